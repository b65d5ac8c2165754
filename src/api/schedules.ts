// /api/schedules: the installation's schedules (job_schedules) and the caller's tenant's run history
// of each. Schedules are global: a tenant admin reads them, and only the operator holding the
// internal secret changes or fires them (the same edits as `nightshift jobs set` / `jobs run`).
import { z } from 'zod';
import { runList, scheduleList, scheduleRecord } from '../contract/schedules.ts';
import {
  getSchedule,
  latestRuns,
  listRuns,
  listSchedules,
  type RunRow,
  updateSchedule,
} from '../db/repositories/schedules.ts';
import { fireNow, MAX_RUNS, scheduleName, schedulePatch, showRun, showSchedule } from '../jobs/schedule-patch.ts';
import { ProblemError } from '../server/problem.ts';
import type { ApiRouter, RouterDeps } from './router.ts';

const nameParams = z.strictObject({ name: scheduleName });

const showLastRun = (run: RunRow | undefined) =>
  run
    ? {
        status: run.status,
        tick_at: run.tick_at,
        started_at: run.started_at,
        finished_at: run.finished_at,
        error: run.error,
        result: run.result,
      }
    : null;

const noSchedule = (name: string) => new ProblemError(404, `no schedule ${name}`);

export function scheduleRoutes(api: ApiRouter, deps: Pick<RouterDeps, 'db'>): void {
  const tag = 'Schedules';

  api.tenant(
    {
      method: 'get',
      path: '/api/schedules',
      tag,
      summary: 'List the schedules, each with the tenant’s last run',
      description:
        'Schedules are the installation’s: every tenant sees the same ones. last_run is the caller’s tenant’s.',
      access: 'admin',
      responses: {
        200: {
          description: 'The schedules, by name',
          schema: scheduleList,
        },
      },
    },
    async ({ c, db, principal }) => {
      const { schedules, runs } = await db.session(async (s) => ({
        schedules: await listSchedules(s),
        runs: await latestRuns(s, principal.tenantId),
      }));
      return c.json({
        data: schedules.map((row) => ({ ...showSchedule(row), last_run: showLastRun(runs.get(row.name)) })),
      });
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/schedules/{name}/runs',
      tag,
      summary: 'The tenant’s runs of a schedule, newest first',
      access: 'admin',
      params: nameParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(MAX_RUNS).default(50) }),
      responses: { 200: { description: 'The runs', schema: runList } },
    },
    async ({ c, db, principal, params, query }) => {
      const runs = await db.session(async (s) => {
        if (!(await getSchedule(s, params.name))) throw noSchedule(params.name);
        return listRuns(s, params.name, query.limit, { tenantId: principal.tenantId });
      });
      return c.json({ data: runs.map(showRun) });
    },
  );

  api.system(
    {
      method: 'patch',
      path: '/api/schedules/{name}',
      tag,
      summary: 'Change a schedule: cron expression, time zone, enabled, data',
      description:
        'For every tenant of the installation. A new cron or time zone, or enabling a disabled schedule, sets next_run_at to null until the next scheduler pass (within seconds) computes it.',
      access: 'internal',
      params: nameParams,
      body: schedulePatch,
      responses: { 200: { description: 'The schedule', schema: scheduleRecord } },
    },
    async ({ c, params, body }) => {
      const row = await deps.db.transaction((s) => updateSchedule(s, params.name, body));
      if (!row) throw noSchedule(params.name);
      return c.json(showSchedule(row));
    },
  );

  api.system(
    {
      method: 'post',
      path: '/api/schedules/{name}/run',
      tag,
      summary: 'Fire a schedule now',
      description:
        'Makes the schedule due now: the next scheduler pass (within seconds) fires it once across all workers, one job per tenant. A disabled schedule answers 409.',
      access: 'internal',
      params: nameParams,
      responses: { 202: { description: 'The schedule, due now', schema: scheduleRecord } },
    },
    async ({ c, params }) => {
      const fired = await fireNow(deps.db, params.name);
      if (fired.outcome === 'missing') throw noSchedule(params.name);
      if (fired.outcome === 'disabled')
        throw new ProblemError(409, `schedule ${params.name} is disabled: enable it first`);
      return c.json(showSchedule(fired.schedule), 202);
    },
  );
}
