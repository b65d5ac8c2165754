// Schedules (job_schedules) and their run history (schedule_runs): what runs when, and what each
// run did. The scheduler and the workers write runs as system work; a tenant-scoped session reads
// only its tenant's runs (row-level security), the operator's unscoped one reads them all.
import type { SqlSession } from '../port.ts';

export interface ScheduleRow {
  id: string;
  name: string;
  task: string;
  cron: string;
  timezone: string;
  data: Record<string, unknown>;
  enabled: boolean;
  next_run_at: Date | null;
  last_tick_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type RunStatus = 'queued' | 'skipped' | 'running' | 'retrying' | 'succeeded' | 'failed';

export interface RunRow {
  id: string;
  tenant_id: string;
  schedule_name: string;
  tick_at: Date;
  job_id: string | null;
  status: RunStatus;
  attempts: number;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
  result: Record<string, unknown> | null;
}

/** The runs of a schedule's latest tick, counted by status: its "last result". */
export interface LastTick {
  tick_at: Date;
  counts: Partial<Record<RunStatus, number>>;
  /** One failed run's error, when any failed. */
  error: string | null;
}

const SCHEDULE_COLUMNS =
  'id, name, task, cron, timezone, data, enabled, next_run_at, last_tick_at, created_at, updated_at';

export async function listSchedules(s: SqlSession): Promise<ScheduleRow[]> {
  return s.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM job_schedules ORDER BY name`);
}

export async function getSchedule(s: SqlSession, name: string): Promise<ScheduleRow | undefined> {
  const [row] = await s.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM job_schedules WHERE name = $1`, [name]);
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
  const [row] = await s.query<ScheduleRow>(
    `UPDATE job_schedules
        SET cron = coalesce($2, cron), timezone = coalesce($3, timezone), enabled = coalesce($4, enabled),
            data = coalesce($5::jsonb, data),
            next_run_at = CASE WHEN $2::text IS NOT NULL OR $3::text IS NOT NULL OR ($4::boolean AND NOT enabled) THEN NULL
                               ELSE next_run_at END,
            updated_at = now()
      WHERE name = $1
      RETURNING ${SCHEDULE_COLUMNS}`,
    [
      name,
      patch.cron ?? null,
      patch.timezone ?? null,
      patch.enabled ?? null,
      patch.data ? JSON.stringify(patch.data) : null,
    ],
  );
  return row;
}

/** Makes the schedule due now: the next scheduler pass fires it (once, across all schedulers). */
export async function fireScheduleNow(s: SqlSession, name: string): Promise<ScheduleRow | undefined> {
  const [row] = await s.query<ScheduleRow>(
    `UPDATE job_schedules SET next_run_at = statement_timestamp(), updated_at = now() WHERE name = $1
      RETURNING ${SCHEDULE_COLUMNS}`,
    [name],
  );
  return row;
}

/** Each schedule's latest tick as the session sees it (one tenant's runs, or all of them). */
export async function lastTicks(s: SqlSession): Promise<Map<string, LastTick>> {
  const rows = await s.query<{
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
  for (const row of rows) {
    const tick = ticks.get(row.schedule_name) ?? { tick_at: row.tick_at, counts: {}, error: null };
    tick.counts[row.status] = row.n;
    if (row.status === 'failed') tick.error = row.error;
    ticks.set(row.schedule_name, tick);
  }
  return ticks;
}

const RUN_COLUMNS = `r.id, r.tenant_id, j.name AS schedule_name, r.tick_at, r.job_id, r.status, r.attempts,
  r.queued_at, r.started_at, r.finished_at, r.error, r.result`;

/** The schedule's runs, newest tick first: every tenant's the session sees, or one tenant's. */
export async function listRuns(
  s: SqlSession,
  name: string,
  limit: number,
  options: { tenantId?: string } = {},
): Promise<RunRow[]> {
  return s.query<RunRow>(
    `SELECT ${RUN_COLUMNS}
       FROM schedule_runs r JOIN job_schedules j ON j.id = r.schedule_id
      WHERE j.name = $1 AND ($3::uuid IS NULL OR r.tenant_id = $3)
      ORDER BY r.tick_at DESC, r.tenant_id
      LIMIT $2`,
    [name, limit, options.tenantId ?? null],
  );
}

/** Each schedule's latest run of one tenant (by tick), keyed by schedule name. */
export async function latestRuns(s: SqlSession, tenantId: string): Promise<Map<string, RunRow>> {
  const rows = await s.query<RunRow>(
    `SELECT ${RUN_COLUMNS}
       FROM job_schedules j
       JOIN LATERAL (SELECT * FROM schedule_runs
                      WHERE schedule_id = j.id AND tenant_id = $1
                      ORDER BY tick_at DESC LIMIT 1) r ON true`,
    [tenantId],
  );
  return new Map(rows.map((row) => [row.schedule_name, row]));
}

export async function markRunStarted(s: SqlSession, tenantId: string, runId: string, jobId: string): Promise<void> {
  await s.query(
    `UPDATE schedule_runs
        SET status = 'running', job_id = $3, attempts = attempts + 1, started_at = now(), finished_at = NULL
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, runId, jobId],
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
  await s.query(
    `UPDATE schedule_runs SET status = $3, finished_at = now(), result = $4::jsonb, error = $5
      WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      runId,
      outcome.status,
      outcome.status === 'succeeded' ? JSON.stringify(outcome.result) : null,
      outcome.status === 'succeeded' ? null : outcome.error,
    ],
  );
}
