// The dead-letter queue as `nightshift jobs` shows it: how many jobs failed their last retry, and
// in which task's queue.
import type { SqlSession } from '../db/port.ts';
import { DEAD_LETTER_QUEUE } from './queues.ts';

/**
 * Jobs waiting in the dead-letter queue, by the queue they failed in, read straight from pg-boss's
 * table: no started boss needed (starting one would install its schema and run its maintenance),
 * and the count is current, where getQueue() reports the monitor's last snapshot. Null until a
 * worker has created pg-boss's schema.
 */
export async function deadLetterCounts(s: SqlSession): Promise<Map<string, number> | null> {
  const [installed] = await s.query<{ ok: boolean }>("SELECT to_regclass('pgboss.job') IS NOT NULL AS ok");
  if (!installed?.ok) return null;
  const rows = await s.query<{ source: string; n: number }>(
    `SELECT coalesce(source_name, '') AS source, count(*)::int AS n FROM pgboss.job
      WHERE name = $1 AND state NOT IN ('completed', 'cancelled')
      GROUP BY 1`,
    [DEAD_LETTER_QUEUE],
  );
  return new Map(rows.map((row) => [row.source, row.n]));
}
