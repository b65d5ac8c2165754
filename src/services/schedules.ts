// The installation's schedules, for /api/schedules: read with the caller's tenant's last run of
// each, and changed or fired by the operator (the same edits as `nightshift jobs set` / `jobs run`,
// validated in src/jobs/schedule-patch.ts).
import type { Database } from '../db/port.ts';
import * as schedules from '../db/repositories/schedules.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { fireNow, showRun, showSchedule } from '../jobs/schedule-patch.ts';

const noSchedule = (name: string) => new NotFoundError(`no schedule ${name}`);

const showLastRun = (run: schedules.RunRow | undefined) =>
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

/** Every schedule, by name, each with the tenant's run of the latest tick it had (null before any). */
export async function listSchedules(db: Database, tenantId: string) {
  const { rows, runs } = await db.session(async (s) => ({
    rows: await schedules.listSchedules(s),
    runs: await schedules.latestRuns(s, tenantId),
  }));
  return rows.map((row) => ({ ...showSchedule(row), last_run: showLastRun(runs.get(row.name)) }));
}

/** The tenant's runs of the schedule, newest first. */
export async function listScheduleRuns(db: Database, tenantId: string, name: string, limit: number) {
  const runs = await db.session(async (s) => {
    if (!(await schedules.getSchedule(s, name))) throw noSchedule(name);
    return schedules.listRuns(s, name, limit, { tenantId });
  });
  return runs.map(showRun);
}

/** `system` is the unscoped database: a schedule is every tenant's. */
export async function updateSchedule(system: Database, name: string, patch: schedules.SchedulePatch) {
  const row = await system.transaction((s) => schedules.updateSchedule(s, name, patch));
  if (!row) throw noSchedule(name);
  return showSchedule(row);
}

/** Makes the schedule due now; a disabled one is a conflict. */
export async function fireSchedule(system: Database, name: string) {
  const fired = await fireNow(system, name);
  if (fired.outcome === 'missing') throw noSchedule(name);
  if (fired.outcome === 'disabled') throw new ConflictError(`schedule ${name} is disabled: enable it first`);
  return showSchedule(fired.schedule);
}
