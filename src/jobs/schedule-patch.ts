// What an operator may change in a schedule, validated once for both ways of changing it: the API
// (PATCH /api/schedules/{name}) and the CLI (`nightshift jobs set`). A patch that passes is one the
// scheduler can read: the cron expression parses and the time zone is one Intl knows. Also how
// both show a schedule and a run, so the API and `nightshift jobs` answer the same fields.
import { z } from 'zod';
import type { Database } from '../db/port.ts';
import { fireScheduleNow, getSchedule, type RunRow, type ScheduleRow } from '../db/repositories/schedules.ts';
import { timeZone } from '../domain/time-zone.ts';
import { cronProblem } from './cron.ts';

/** A schedule as the API and `nightshift jobs` show it. */
export const showSchedule = (row: ScheduleRow) => ({
  name: row.name,
  task: row.task,
  cron: row.cron,
  timezone: row.timezone,
  enabled: row.enabled,
  data: row.data,
  next_run_at: row.next_run_at,
  last_tick_at: row.last_tick_at,
});

/** A run as the API and `nightshift jobs runs` show it. */
export const showRun = (run: RunRow) => ({
  id: run.id,
  tick_at: run.tick_at,
  status: run.status,
  attempts: run.attempts,
  queued_at: run.queued_at,
  started_at: run.started_at,
  finished_at: run.finished_at,
  error: run.error,
  result: run.result,
});

/** The column's own check (job_schedules.name). */
export const scheduleName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expects a schedule name like autonomous-cycle (lowercase letters, digits, dashes)');

/** Five fields, or six with seconds first; stored with single spaces between the fields. */
export const cronExpression = z
  .string()
  .max(200)
  .superRefine((cron, ctx) => {
    const problem = cronProblem(cron);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((cron) => cron.trim().split(/\s+/).join(' '));

export const schedulePatch = z
  .strictObject({
    cron: cronExpression.describe('Five fields (minute hour day month weekday) or six (seconds first)'),
    timezone: timeZone.describe('The IANA time zone the expression is read in'),
    enabled: z.boolean().describe('false: the schedule fires no more until enabled again'),
    data: z
      .record(z.string(), z.unknown(), { error: 'expects a JSON object' })
      .describe('Handed to every job of the schedule (replaces the current data)'),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });

/** The most runs one read of a schedule's history gives (API and CLI). */
export const MAX_RUNS = 500;

export type FireOutcome =
  | { outcome: 'fired'; schedule: ScheduleRow }
  | { outcome: 'disabled'; schedule: ScheduleRow }
  | { outcome: 'missing' };

/**
 * Makes the schedule due now, so the next scheduler pass fires it (once, across every worker). A
 * disabled schedule is left as it is: no pass would fire it, and enabling it later would.
 */
export async function fireNow(db: Database, name: string): Promise<FireOutcome> {
  return db.transaction(async (s) => {
    const [row] = await s.query<{ enabled: boolean }>('SELECT enabled FROM job_schedules WHERE name = $1 FOR UPDATE', [
      name,
    ]);
    if (!row) return { outcome: 'missing' };
    if (!row.enabled) return { outcome: 'disabled', schedule: (await getSchedule(s, name)) as ScheduleRow };
    return { outcome: 'fired', schedule: (await fireScheduleNow(s, name)) as ScheduleRow };
  });
}
