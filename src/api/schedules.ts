// /api/schedules: the installation's schedules (job_schedules) and the caller's tenant's run history
// of each. Schedules are global: a tenant admin reads them, and only the operator holding the
// internal secret changes or fires them (the same edits as `nightshift jobs set` / `jobs run`).
import { z } from 'zod';
import { runList, scheduleList, scheduleRecord } from '../contract/schedules.ts';
import { MAX_RUNS, scheduleName, schedulePatch } from '../jobs/schedule-patch.ts';
import { fireSchedule, listScheduleRuns, listSchedules, updateSchedule } from '../services/schedules.ts';
import type { ApiRouter, RouterDeps } from './router.ts';

const nameParams = z.strictObject({ name: scheduleName });

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
    async ({ c, db, principal }) => c.json({ data: await listSchedules(db, principal.tenantId) }),
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
    async ({ c, db, principal, params, query }) =>
      c.json({ data: await listScheduleRuns(db, principal.tenantId, params.name, query.limit) }),
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
    async ({ c, params, body }) => c.json(await updateSchedule(deps.db, params.name, body)),
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
    async ({ c, params }) => c.json(await fireSchedule(deps.db, params.name), 202),
  );
}
