// Probes: trivial jobs that show the job system works end to end and how fast. A probe's only
// effect is its row in job_probes, written with the probe's key as primary key, so a probe that
// runs twice (its worker died after the effect, before pg-boss heard of it) still has one effect;
// `deliveries` counts the runs. `nightshift jobs probe` and bench:runner send them.
import type { Job, PgBoss } from 'pg-boss';
import type { Database } from '../db/port.ts';
import { PROBE_QUEUE } from './queues.ts';

export interface ProbeData {
  tenantId: string;
  key: string;
  /** Simulated work before the effect (pg_sleep in the worker's session), so a probe can stand in for a real job's length. */
  workMs?: number;
}

const INSERT_BATCH = 1000;

export async function sendProbes(
  boss: PgBoss,
  tenantId: string,
  keys: readonly string[],
  options: { workMs?: number } = {},
): Promise<void> {
  for (let i = 0; i < keys.length; i += INSERT_BATCH) {
    const batch = keys.slice(i, i + INSERT_BATCH);
    await boss.insert(
      PROBE_QUEUE,
      batch.map((key) => ({ data: { tenantId, key, ...options } satisfies ProbeData })),
    );
  }
}

/** One statement for a whole batch of probes. */
export async function recordProbes(db: Database, jobs: readonly Job<ProbeData>[]): Promise<void> {
  const workMs = Math.max(0, ...jobs.map((j) => j.data.workMs ?? 0));
  await db.session(async (s) => {
    if (workMs > 0) await s.query('SELECT pg_sleep($1)', [workMs / 1000]);
    await s.query(
      `INSERT INTO job_probes (tenant_id, probe_key, deliveries)
       SELECT tenant_id, probe_key, count(*) FROM unnest($1::uuid[], $2::text[]) AS p (tenant_id, probe_key)
        GROUP BY tenant_id, probe_key
       ON CONFLICT (tenant_id, probe_key) DO UPDATE SET deliveries = job_probes.deliveries + excluded.deliveries`,
      [jobs.map((j) => j.data.tenantId), jobs.map((j) => j.data.key)],
    );
  });
}

export interface ProbeCount {
  /** Probes whose effect exists. */
  done: number;
  /** Runs beyond the first (retries after a lost worker). */
  redelivered: number;
}

export async function countProbes(db: Database, tenantId: string, keys: readonly string[]): Promise<ProbeCount> {
  const [row] = await db.session((s) =>
    s.query<ProbeCount>(
      `SELECT count(*)::int AS done, coalesce(sum(deliveries - 1), 0)::int AS redelivered
         FROM job_probes WHERE tenant_id = $1 AND probe_key = ANY ($2::text[])`,
      [tenantId, keys],
    ),
  );
  return row ?? { done: 0, redelivered: 0 };
}
