// The cron side of the workers. Every worker runs a scheduler pass every few seconds; a pass
// fires each due schedule once across all of them, however many there are:
//
// 1. In one transaction, due schedules are locked FOR UPDATE SKIP LOCKED (another pass holding one
//    skips it), moved to their next run, and given one schedule_runs row per tenant. The row's
//    unique key (tenant, schedule, tick) is the once-only guarantee: a second INSERT of the same
//    tick is a no-op, whoever tries it.
// 2. After the commit, each new run is queued as a pg-boss job whose id is the run's id, so a
//    resend can never make a second job. Queuing after the commit, not inside it, keeps the
//    embedded database's single connection free for pg-boss's own statements; a scheduler that
//    dies between the two leaves runs 'queued' without a job, which the next pass sends.
//
// Missed ticks (every worker down for an hour) collapse into one run, not one per missed tick.
import type { PgBoss } from 'pg-boss';
import type { Database, SqlSession } from '../db/port.ts';
import type { ScheduleRow } from '../db/repositories/schedules.ts';
import { nextRunAfter } from './cron.ts';

export type JobSender = Pick<PgBoss, 'send'>;

type DueSchedule = Pick<ScheduleRow, 'id' | 'name' | 'task' | 'cron' | 'timezone' | 'data' | 'next_run_at'>;

interface NewRun {
  id: string;
  tenant_id: string;
  schedule_name: string;
  task: string;
  tick_at: Date;
  data: Record<string, unknown>;
}

export interface PassReport {
  /** Schedules that fired, with their tick. */
  fired: { schedule: string; tick_at: Date; runs: number }[];
  queued: number;
  /** Runs not queued because the tenant's previous job of that task is still queued or running. */
  skipped: number;
  /** Runs that could not be queued this time (they stay queued; the next pass tries again). */
  failed: { run_id: string; error: string }[];
}

/** A run left 'queued' without a job this long ago was orphaned by a scheduler that died. */
const ORPHAN_AFTER_SECONDS = 30;

export const SKIPPED_REASON = 'the previous run of this task for this tenant was still queued or running';

export async function runSchedulerPass(db: Database, boss: JobSender): Promise<PassReport> {
  const { fired, runs } = await db.transaction(fireDueSchedules);
  const orphans = await db.session(orphanedRuns);
  const report: PassReport = { fired, queued: 0, skipped: 0, failed: [] };
  for (const run of [...runs, ...orphans]) {
    try {
      if (await queueRun(db, boss, run)) report.queued++;
      else report.skipped++;
    } catch (error) {
      report.failed.push({ run_id: run.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

async function fireDueSchedules(s: SqlSession): Promise<{ fired: PassReport['fired']; runs: NewRun[] }> {
  // The database's clock, not this machine's: every worker agrees on it.
  const [{ now }] = (await s.query<{ now: Date }>('SELECT statement_timestamp() AS now')) as [{ now: Date }];
  const due = await s.query<DueSchedule>(
    `SELECT id, name, task, cron, timezone, data, next_run_at FROM job_schedules
      WHERE enabled AND (next_run_at IS NULL OR next_run_at <= $1)
      ORDER BY name
        FOR UPDATE SKIP LOCKED`,
    [now],
  );
  const fired: PassReport['fired'] = [];
  const runs: NewRun[] = [];
  for (const schedule of due) {
    const next = nextRunAfter(schedule.cron, schedule.timezone, now);
    if (schedule.next_run_at === null) {
      // New or edited: the first tick is the next one the expression names.
      await s.query('UPDATE job_schedules SET next_run_at = $2 WHERE id = $1', [schedule.id, next]);
      continue;
    }
    const tickAt = schedule.next_run_at;
    await s.query('UPDATE job_schedules SET next_run_at = $2, last_tick_at = $3 WHERE id = $1', [
      schedule.id,
      next,
      tickAt,
    ]);
    const inserted = await s.query<{ id: string; tenant_id: string }>(
      `INSERT INTO schedule_runs (tenant_id, schedule_id, tick_at)
       SELECT id, $1, $2 FROM tenants ORDER BY id
       ON CONFLICT (tenant_id, schedule_id, tick_at) DO NOTHING
       RETURNING id, tenant_id`,
      [schedule.id, tickAt],
    );
    fired.push({ schedule: schedule.name, tick_at: tickAt, runs: inserted.length });
    for (const run of inserted) {
      runs.push({ ...run, schedule_name: schedule.name, task: schedule.task, tick_at: tickAt, data: schedule.data });
    }
  }
  return { fired, runs };
}

async function orphanedRuns(s: SqlSession): Promise<NewRun[]> {
  return s.query<NewRun>(
    `SELECT r.id, r.tenant_id, j.name AS schedule_name, j.task, r.tick_at, j.data
       FROM schedule_runs r JOIN job_schedules j ON j.id = r.schedule_id
      WHERE r.status = 'queued' AND r.job_id IS NULL
        AND r.queued_at < statement_timestamp() - make_interval(secs => $1)
      ORDER BY r.queued_at
      LIMIT 1000`,
    [ORPHAN_AFTER_SECONDS],
  );
}

/**
 * Queues the run's job; false when the tenant's previous job of the task holds its place. (A resent
 * orphan whose job did exist also answers false and is marked skipped; its job then marks it
 * running when it starts, so the history still ends with what happened.)
 */
async function queueRun(db: Database, boss: JobSender, run: NewRun): Promise<boolean> {
  const jobId = await boss.send(
    run.task,
    { ...run.data, tenantId: run.tenant_id, runId: run.id, schedule: run.schedule_name },
    { id: run.id, singletonKey: run.tenant_id },
  );
  await db.session((s) =>
    jobId
      ? s.query("UPDATE schedule_runs SET job_id = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'queued'", [
          run.tenant_id,
          run.id,
          jobId,
        ])
      : s.query(
          `UPDATE schedule_runs SET status = 'skipped', finished_at = now(), error = $3
            WHERE tenant_id = $1 AND id = $2 AND status = 'queued'`,
          [run.tenant_id, run.id, SKIPPED_REASON],
        ),
  );
  return jobId !== null;
}
