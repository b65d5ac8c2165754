// Job throughput for bench:runner: trivial jobs (probes: one row each in job_probes) through three
// `nightshift worker` processes on one Postgres, against the bare-SQL limit of the same work: three
// connections claiming batches of rows from a plain table with DELETE ... FOR UPDATE SKIP LOCKED
// and writing the same rows, with no job bookkeeping at all. Both timed from the first insert of
// the jobs to the last effect.
import { randomUUID } from 'node:crypto';
import { startWorkers, stopWorker } from '../../scripts/support/worker-processes.ts';
import type { Database, SystemDatabase } from '../../src/db/port.ts';
import { createBoss } from '../../src/jobs/boss.ts';
import { sendProbes } from '../../src/jobs/probe.ts';
import { say } from './harness.ts';

export interface Throughput {
  jobs: number;
  seconds: number;
  jobs_per_second: number;
}

const WORKERS = 3;
const CLAIM_BATCH = 100;

async function tenant(db: Database, slug: string): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>('INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id', [slug]),
  );
  return (row as { id: string }).id;
}

async function effects(db: Database, tenantId: string): Promise<number> {
  const [row] = await db.session((s) =>
    s.query<{ n: number }>('SELECT count(*)::int AS n FROM job_probes WHERE tenant_id = $1', [tenantId]),
  );
  return row?.n ?? 0;
}

const throughput = (jobs: number, seconds: number): Throughput => ({
  jobs,
  seconds,
  jobs_per_second: Math.round(jobs / seconds),
});

export async function oursThroughput(db: SystemDatabase, databaseUrl: string, jobs: number): Promise<Throughput> {
  const tenantId = await tenant(db, 'bench-jobs-ours');
  // Only probes are timed: the default schedules stay quiet meanwhile.
  await db.session((s) => s.query('UPDATE job_schedules SET enabled = false'));
  const workers = await startWorkers(WORKERS, { DATABASE_URL: databaseUrl });
  const sender = createBoss(db);
  await sender.start();
  try {
    const keys = Array.from({ length: jobs }, () => randomUUID());
    const started = performance.now();
    await sendProbes(sender, tenantId, keys);
    while ((await effects(db, tenantId)) < jobs) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - started) / 1000;
    say(`ours: ${jobs} jobs through ${WORKERS} worker processes in ${seconds.toFixed(2)} s`);
    return throughput(jobs, seconds);
  } finally {
    await sender.stop({ graceful: false });
    await Promise.all(workers.map(stopWorker));
  }
}

export async function limitThroughput(db: Database, jobs: number): Promise<Throughput> {
  const tenantId = await tenant(db, 'bench-jobs-limit');
  await db.session((s) =>
    s.exec(
      'CREATE UNLOGGED TABLE IF NOT EXISTS bench_queue (id bigserial PRIMARY KEY, tenant_id uuid, probe_key text)',
    ),
  );
  const started = performance.now();
  await db.session((s) =>
    s.query(
      'INSERT INTO bench_queue (tenant_id, probe_key) SELECT $1, gen_random_uuid()::text FROM generate_series(1, $2::int)',
      [tenantId, jobs],
    ),
  );
  const drain = () =>
    db.session(async (s) => {
      for (;;) {
        const rows = await s.query(
          `WITH claimed AS (
             DELETE FROM bench_queue WHERE id IN (SELECT id FROM bench_queue ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING tenant_id, probe_key)
           INSERT INTO job_probes (tenant_id, probe_key) SELECT tenant_id, probe_key FROM claimed
           ON CONFLICT DO NOTHING RETURNING 1`,
          [CLAIM_BATCH],
        );
        if (rows.length === 0) return;
      }
    });
  await Promise.all(Array.from({ length: WORKERS }, drain));
  const seconds = (performance.now() - started) / 1000;
  const done = await effects(db, tenantId);
  if (done !== jobs) throw new Error(`the limit wrote ${done} effects, not ${jobs}`);
  say(`limit: ${jobs} rows claimed by ${WORKERS} connections in ${seconds.toFixed(2)} s`);
  return throughput(jobs, seconds);
}
