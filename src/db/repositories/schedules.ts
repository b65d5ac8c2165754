// Schedules (job_schedules) and their run history (schedule_runs): what runs when, and what each
// run did. The scheduler and the workers write runs as system work; a tenant-scoped session reads
// only its tenant's runs (row-level security), the operator's unscoped one reads them all.
import { type InferResult, sql } from 'kysely';
import type { Json, JsonObject } from '../generated/schema.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** The column's check (schedule_runs.status). */
export type RunStatus = 'queued' | 'skipped' | 'running' | 'retrying' | 'succeeded' | 'failed';

/** A record as a jsonb value, sent as its JSON text. */
const jsonb = (value: Record<string, unknown>) => sql<Json>`${JSON.stringify(value)}::jsonb`;

const SCHEDULE_COLUMNS = [
  'id',
  'name',
  'task',
  'cron',
  'timezone',
  'data',
  'enabled',
  'next_run_at',
  'last_tick_at',
  'created_at',
  'updated_at',
] as const;

/** data is always an object (the defaults, patches validated as records): each job's data is spread from it. */
type ScheduleData = { data: JsonObject };

const SCHEDULES = typed.selectFrom('job_schedules').select(SCHEDULE_COLUMNS).$narrowType<ScheduleData>();

export type ScheduleRow = InferResult<typeof SCHEDULES>[number];

/** The runs of a schedule's latest tick, counted by status: its "last result". */
export interface LastTick {
  tick_at: Date;
  counts: Partial<Record<RunStatus, number>>;
  /** One failed run's error, when any failed. */
  error: string | null;
}

export async function listSchedules(s: SqlSession): Promise<ScheduleRow[]> {
  return rows(s, SCHEDULES.orderBy('name'));
}

export async function getSchedule(s: SqlSession, name: string): Promise<ScheduleRow | undefined> {
  const [row] = await rows(s, SCHEDULES.where('name', '=', name));
  return row;
}

export interface SchedulePatch {
  cron?: string;
  timezone?: string;
  enabled?: boolean;
  data?: Record<string, unknown>;
}

/**
 * Applies the patch. A new cron or time zone clears next_run_at, so the next scheduler pass
 * computes it from the new expression instead of firing once more on the old one; so does enabling
 * a disabled schedule, whose next_run_at went stale while it was off (it would fire at once).
 */
export async function updateSchedule(
  s: SqlSession,
  name: string,
  patch: SchedulePatch,
): Promise<ScheduleRow | undefined> {
  const [row] = await rows(
    s,
    typed
      .updateTable('job_schedules')
      .set((eb) => ({
        // A field not in the patch is undefined, which Kysely leaves out of the SET list.
        cron: patch.cron,
        timezone: patch.timezone,
        enabled: patch.enabled,
        data: patch.data && jsonb(patch.data),
        next_run_at:
          patch.cron !== undefined || patch.timezone !== undefined
            ? null
            : patch.enabled
              ? eb.case().when(eb.not('enabled')).then(null).else(eb.ref('next_run_at')).end()
              : undefined,
        updated_at: sql<Date>`now()`,
      }))
      .where('name', '=', name)
      .returning(SCHEDULE_COLUMNS)
      .$narrowType<ScheduleData>(),
  );
  return row;
}

/** Makes the schedule due now: the next scheduler pass fires it (once, across all schedulers). */
export async function fireScheduleNow(s: SqlSession, name: string): Promise<ScheduleRow | undefined> {
  const [row] = await rows(
    s,
    typed
      .updateTable('job_schedules')
      .set({ next_run_at: sql<Date>`statement_timestamp()`, updated_at: sql<Date>`now()` })
      .where('name', '=', name)
      .returning(SCHEDULE_COLUMNS)
      .$narrowType<ScheduleData>(),
  );
  return row;
}

/**
 * Each schedule's latest tick as the session sees it (one tenant's runs, or all of them). An
 * aggregate (runs counted by status), so visible SQL per docs/architecture.md.
 */
export async function lastTicks(s: SqlSession): Promise<Map<string, LastTick>> {
  const counted = await s.query<{
    schedule_name: string;
    tick_at: Date;
    status: RunStatus;
    n: number;
    error: string | null;
  }>(
    `SELECT j.name AS schedule_name, r.tick_at, r.status, count(*)::int AS n, max(r.error) AS error
       FROM job_schedules j
       JOIN LATERAL (SELECT max(tick_at) AS tick_at FROM schedule_runs WHERE schedule_id = j.id) latest ON true
       JOIN schedule_runs r ON r.schedule_id = j.id AND r.tick_at = latest.tick_at
      GROUP BY j.name, r.tick_at, r.status`,
  );
  const ticks = new Map<string, LastTick>();
  for (const row of counted) {
    const tick = ticks.get(row.schedule_name) ?? { tick_at: row.tick_at, counts: {}, error: null };
    tick.counts[row.status] = row.n;
    if (row.status === 'failed') tick.error = row.error;
    ticks.set(row.schedule_name, tick);
  }
  return ticks;
}

const RUN_COLUMNS = [
  'r.id',
  'r.tenant_id',
  'j.name as schedule_name',
  'r.tick_at',
  'r.job_id',
  'r.status',
  'r.attempts',
  'r.queued_at',
  'r.started_at',
  'r.finished_at',
  'r.error',
  'r.result',
] as const;

/** status as the column's check allows it. */
type RunNarrowing = { status: RunStatus };

const RUNS = typed
  .selectFrom('schedule_runs as r')
  .innerJoin('job_schedules as j', 'j.id', 'r.schedule_id')
  .select(RUN_COLUMNS)
  .$narrowType<RunNarrowing>();

export type RunRow = InferResult<typeof RUNS>[number];

/** The schedule's runs, newest tick first: every tenant's the session sees, or one tenant's. */
export async function listRuns(
  s: SqlSession,
  name: string,
  limit: number,
  options: { tenantId?: string } = {},
): Promise<RunRow[]> {
  let query = RUNS.where('j.name', '=', name);
  if (options.tenantId !== undefined) query = query.where('r.tenant_id', '=', options.tenantId);
  return rows(s, query.orderBy('r.tick_at', 'desc').orderBy('r.tenant_id').limit(limit));
}

/** Each schedule's latest run of one tenant (by tick), keyed by schedule name. */
export async function latestRuns(s: SqlSession, tenantId: string): Promise<Map<string, RunRow>> {
  const latest = await rows(
    s,
    typed
      .selectFrom('job_schedules as j')
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('schedule_runs')
            .selectAll()
            .whereRef('schedule_id', '=', 'j.id')
            .where('tenant_id', '=', tenantId)
            .orderBy('tick_at', 'desc')
            .limit(1)
            .as('r'),
        (join) => join.onTrue(),
      )
      .select(RUN_COLUMNS)
      .$narrowType<RunNarrowing>(),
  );
  return new Map(latest.map((row) => [row.schedule_name, row]));
}

export async function markRunStarted(s: SqlSession, tenantId: string, runId: string, jobId: string): Promise<void> {
  await rows(
    s,
    typed
      .updateTable('schedule_runs')
      .set((eb) => ({
        status: 'running',
        job_id: jobId,
        attempts: eb('attempts', '+', 1),
        started_at: sql<Date>`now()`,
        finished_at: null,
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId),
  );
}

export type RunOutcome =
  | { status: 'succeeded'; result: Record<string, unknown> }
  | { status: 'retrying' | 'failed'; error: string };

export async function markRunFinished(
  s: SqlSession,
  tenantId: string,
  runId: string,
  outcome: RunOutcome,
): Promise<void> {
  await rows(
    s,
    typed
      .updateTable('schedule_runs')
      .set({
        status: outcome.status,
        finished_at: sql<Date>`now()`,
        result: outcome.status === 'succeeded' ? jsonb(outcome.result) : null,
        error: outcome.status === 'succeeded' ? null : outcome.error,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId),
  );
}
