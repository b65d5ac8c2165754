// The performance rows one cycle (or one backtest day) judges, computed once into a temporary
// table that the candidate and opportunity queries both read: the windowed aggregation is the
// costliest step, and doing it twice per tenant doubled the cycle's time.
//
// Built in steps whose plans do not depend on the planner's statistics (migration 0023). Right
// after a bulk load the statistics know nothing of the new rows: for a new tenant of 20,000
// campaigns the planner took its 16,398 active ones for 1 and re-ran the windows' grouped
// subquery once per campaign, and the cycle had not finished after 5 minutes (1.6 s for that
// statement once analyzed). So the windows are computed first, from one table alone (no join for
// a wrong estimate to misorder), into a temporary table keyed by campaign: joining the campaigns
// to it costs at worst one index probe each. cycle_perf is keyed by campaign too, so the later
// statements that join it to the daily totals or the ledger cannot rescan it per row either.
// ANALYZE of the join column gives both their true row counts (milliseconds; the whole of
// cycle_perf's 57 columns took 0.5-1 s).

import type { Window } from '../contract/rule-vocabulary.ts';
import type { SqlSession } from '../db/port.ts';
import { isMoney, REPORTED_METRICS, type ReportedMetric } from '../domain/metrics.ts';

export interface PerformanceScope {
  /** Campaign statuses to judge: the live cycle judges active ones only. */
  statuses?: readonly string[];
  /** Campaigns to leave out (a backtest's already-paused ones). */
  exclude?: readonly string[];
}

/** cycle_perf's windowed columns are `<metric>_<suffix>`, e.g. spend_d7 (see campaign_windows_at). */
export const WINDOW_SUFFIX = { '24h': 'd1', '48h': 'd2', '7d': 'd7', prev_7d: 'p7' } as const satisfies Record<
  Exclude<Window, 'lifetime'>,
  string
>;
const WINDOW_COLUMNS = Object.values(WINDOW_SUFFIX).flatMap((suffix) => REPORTED_METRICS.map((m) => `${m}_${suffix}`));

/** cycle_perf's lifetime column of a metric: campaign_lifetime_at names its sums of money total_spend and total_revenue. */
export function lifetimeColumn(metric: ReportedMetric): string {
  return isMoney(metric) ? `total_${metric}` : metric;
}

// campaign_performance_at's columns in its order: the lifetime part, then the windows, 0 where a
// campaign has no stats in them (test/engine-plans.test.ts holds this to the SQL function).
const INSERT_PERFORMANCE = `
  INSERT INTO cycle_perf
  SELECT l.*, ${WINDOW_COLUMNS.map((c) => `coalesce(w.${c}, 0)`).join(', ')}
    FROM campaign_lifetime_at($2::date, $3::timestamptz) l
    LEFT JOIN cycle_windows w ON w.campaign_id = l.campaign_id
   WHERE l.tenant_id = $1 AND l.status = ANY ($4::text[]) AND l.campaign_id <> ALL ($5::uuid[])`;

/**
 * Fills temp table `cycle_perf` (dropped at commit) for one tenant as of a day. The rest of the
 * transaction runs without JIT compilation: once the tables were analyzed, the candidate query's
 * cost estimate crossed jit_above_cost and compiling its CASE expressions took 4.7 s of the 4.9 s
 * it ran, on 20,000 campaigns (and 0.7 s of the 1.5 s cycle_perf took); without it, 0.3 s.
 */
export async function preparePerformance(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  now: Date,
  scope: PerformanceScope = {},
): Promise<void> {
  await s.exec(`SET LOCAL jit = off;
    DROP TABLE IF EXISTS cycle_windows, cycle_perf;
    CREATE TEMP TABLE cycle_windows ON COMMIT DROP AS SELECT * FROM campaign_windows_at(NULL) WITH NO DATA;
    CREATE TEMP TABLE cycle_perf ON COMMIT DROP AS SELECT * FROM campaign_performance_at(NULL, NULL) WITH NO DATA;`);
  await s.query('INSERT INTO cycle_windows SELECT * FROM campaign_windows_at($2::date) WHERE tenant_id = $1', [
    tenantId,
    asOf,
  ]);
  await s.exec('ALTER TABLE cycle_windows ADD PRIMARY KEY (campaign_id); ANALYZE cycle_windows (campaign_id);');
  await s.query(INSERT_PERFORMANCE, [
    tenantId,
    asOf,
    now.toISOString(),
    scope.statuses ?? ['active'],
    scope.exclude ?? [],
  ]);
  await s.exec('ALTER TABLE cycle_perf ADD PRIMARY KEY (campaign_id); ANALYZE cycle_perf (campaign_id);');
}
