// Three `nightshift worker` processes on one Postgres database: 2,000 jobs and a schedule ticking
// every second. Each job's effect happens once, each tick fires once (one run per tenant, one job
// per run), and a worker killed with SIGKILL in the middle of its jobs loses none of them: pg-boss
// expires them and the other workers run them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../scripts/support/scratch-database.ts';
import { startWorkers, stopWorker, type WorkerProcess } from '../scripts/support/worker-processes.ts';
import { migrate } from '../src/db/migrate.ts';
import type { SystemDatabase } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { createBoss } from '../src/jobs/boss.ts';
import { countProbes, sendProbes } from '../src/jobs/probe.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { postgresServerUrl } from './support/test-db.ts';
import { until } from './support/until.ts';

const JOBS = 2000;
const TICKS = 5;
// Three processes start, share 2,000 jobs and wait out an expiry: generous on a loaded machine.
const WAIT = { timeoutMs: 90_000 };

describe('job workers in three processes (postgres)', () => {
  let scratch: ScratchDatabase;
  let db: SystemDatabase;
  let tenants: TestTenant[];
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(postgresServerUrl());
    db = await openPostgres(scratch.url);
    await migrate(db);
    tenants = [await createTenant(db), await createTenant(db), await createTenant(db)];
    // Only one schedule ticks, every second; the others stay out of the way.
    await db.session((s) =>
      s.query(
        `UPDATE job_schedules SET enabled = (name = 'actual-impact'),
                cron = CASE WHEN name = 'actual-impact' THEN '* * * * * *' ELSE cron END, next_run_at = NULL`,
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await db?.close();
    await scratch?.drop();
  });

  it('runs every job once, fires every tick once, and survives a worker killed mid-job', async () => {
    workers = await startWorkers(3, {
      DATABASE_URL: scratch.url,
      NIGHTSHIFT_SCHEDULER_SECONDS: '1',
      NIGHTSHIFT_JOBS_MONITOR_SECONDS: '1',
    });
    const tenant = tenants[0] as TestTenant;
    const keys = Array.from({ length: JOBS }, () => randomUUID());
    const sender = createBoss(db);
    await sender.start();
    try {
      // Each batch of probes works 100 ms, so a worker spends most of its time holding jobs.
      await sendProbes(sender, tenant.tenantId, keys, { workMs: 100 });
    } finally {
      await sender.stop({ graceful: false });
    }

    // Kill the first worker while it is inside a job (its session is in the probe's pg_sleep).
    const victim = workers[0] as WorkerProcess;
    await until(
      'the victim holding a job',
      () =>
        db.session((s) =>
          s.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
            [`nightshift-worker-${victim.pid}`],
          ),
        ),
      ([row]) => (row?.n ?? 0) > 0,
      WAIT,
    );
    victim.child.kill('SIGKILL');

    const probes = await until(
      'every probe done',
      () => countProbes(db, tenant.tenantId, keys),
      (c) => c.done === JOBS,
      WAIT,
    );
    const jobs = await db.session((s) =>
      s.query<{ state: string; retried: boolean; n: number }>(
        `SELECT state::text, retry_count > 0 AS retried, count(*)::int AS n FROM pgboss.job
          WHERE name = 'probe' GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
    );
    const effects = await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM job_probes WHERE tenant_id = $1', [tenant.tenantId]),
    );

    // One effect per job: 2,000 rows, no more. A job the victim held was run again by another
    // worker (retried), and since the victim died before its effect, nothing ran twice.
    expect(effects[0]?.n).toBe(JOBS);
    expect(probes.redelivered).toBe(0);
    const completed = jobs.filter((j) => j.state === 'completed').reduce((sum, j) => sum + j.n, 0);
    expect(completed, JSON.stringify(jobs)).toBe(JOBS);
    expect(jobs.find((j) => j.retried)?.n ?? 0, 'jobs the killed worker held were retried').toBeGreaterThan(0);

    // The schedule: wait for five ticks, then stop it.
    await until(
      `${TICKS} ticks`,
      () => db.session((s) => s.query<{ n: number }>('SELECT count(DISTINCT tick_at)::int AS n FROM schedule_runs')),
      ([row]) => (row?.n ?? 0) >= TICKS,
      WAIT,
    );
    await db.session((s) => s.query("UPDATE job_schedules SET enabled = false WHERE name = 'actual-impact'"));
    // A pass that had already locked the schedule may still be finishing its tick.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const ticks = await db.session((s) =>
      s.query<{ tick_at: Date; runs: number; tenants: number; jobs: number }>(
        `SELECT r.tick_at, count(*)::int AS runs, count(DISTINCT r.tenant_id)::int AS tenants,
                count(r.job_id)::int AS jobs
           FROM schedule_runs r GROUP BY r.tick_at ORDER BY r.tick_at`,
      ),
    );
    expect(ticks.length).toBeGreaterThanOrEqual(TICKS);
    for (const tick of ticks) expect(tick, 'one run per tenant per tick').toMatchObject({ runs: 3, tenants: 3 });
    // Ticks are distinct seconds: no two passes fired the same schedule twice in one second.
    const seconds = ticks.map((t) => Math.floor(t.tick_at.getTime() / 1000));
    expect(new Set(seconds).size).toBe(ticks.length);
    // One pg-boss job per queued run, and never two jobs for one run.
    const perRun = await db.session((s) =>
      s.query<{ runs: number; jobs: number; doubled: number }>(
        `SELECT (SELECT count(*)::int FROM schedule_runs WHERE job_id IS NOT NULL) AS runs,
                (SELECT count(*)::int FROM pgboss.job WHERE name = 'actual-impact') AS jobs,
                (SELECT count(*)::int FROM (SELECT data->>'runId' FROM pgboss.job WHERE name = 'actual-impact'
                                             GROUP BY 1 HAVING count(*) > 1) d) AS doubled`,
      ),
    );
    expect(perRun[0]).toMatchObject({ doubled: 0 });
    expect(perRun[0]?.jobs).toBe(perRun[0]?.runs);
  }, 240_000);
});
