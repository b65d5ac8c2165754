// The performance rows one cycle (or one backtest day) judges, computed once into a temporary
// table that the candidate and opportunity queries both read: the windowed aggregation is the
// costliest step, and doing it twice per tenant doubled the cycle's time.
import type { SqlSession } from '../db/port.ts';

export interface PerformanceScope {
  /** Campaign statuses to judge: the live cycle judges active ones only. */
  statuses?: readonly string[];
  /** Campaigns to leave out (a backtest's already-paused ones). */
  exclude?: readonly string[];
}

/** Fills temp table `cycle_perf` (dropped at commit) for one tenant as of a day. */
export async function preparePerformance(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  now: Date,
  scope: PerformanceScope = {},
): Promise<void> {
  await s.exec(`DROP TABLE IF EXISTS cycle_perf;
    CREATE TEMP TABLE cycle_perf ON COMMIT DROP AS
      SELECT * FROM campaign_performance_at(NULL, NULL) WITH NO DATA;`);
  await s.query(
    `INSERT INTO cycle_perf
     SELECT * FROM campaign_performance_at($2::date, $3::timestamptz)
      WHERE tenant_id = $1 AND status = ANY ($4::text[]) AND campaign_id <> ALL ($5::uuid[])`,
    [tenantId, asOf, now.toISOString(), scope.statuses ?? ['active'], scope.exclude ?? []],
  );
}
