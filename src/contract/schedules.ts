// The installation's schedules as the schedules API answers them, and the tenant's runs of each.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';

const RUN_STATUSES = ['queued', 'skipped', 'running', 'retrying', 'succeeded', 'failed'] as const;

export const scheduleRecord = z.object({
  name: z.string(),
  task: z.string().describe('What each tick queues, one job per tenant'),
  cron: z.string(),
  timezone: z.string().describe('The IANA time zone the expression is read in'),
  enabled: z.boolean(),
  data: z.record(z.string(), z.unknown()).describe('Handed to every job of the schedule'),
  next_run_at: timestamp.nullable().describe('The next tick; null until a scheduler pass computes it'),
  last_tick_at: timestamp.nullable(),
});

const runRecord = z.object({
  id: uuid,
  tick_at: timestamp,
  status: z.enum(RUN_STATUSES),
  attempts: z.number().int(),
  queued_at: timestamp,
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  error: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable().describe('What the run did (the task’s summary)'),
});

const lastRun = runRecord
  .pick({ status: true, tick_at: true, started_at: true, finished_at: true, error: true, result: true })
  .nullable()
  .describe('The tenant’s run of the latest tick it had; null before any');

/** The schedules, by name, each with the tenant's run of its latest tick. */
export const scheduleList = z.object({ data: z.array(scheduleRecord.extend({ last_run: lastRun })) });
/** A schedule's runs for the tenant, newest first. */
export const runList = z.object({ data: z.array(runRecord) });

export type ScheduleList = z.infer<typeof scheduleList>;
export type RunList = z.infer<typeof runList>;
