// Each channel's attribution-lag curve for a tenant (src/domain/model/attribution-lag.ts), measured
// from the stats' revisions (conversion_arrivals, migration 0025) where they are enough, else the
// tenant's configured window, else none (days are taken as complete).
import type { SqlSession } from '../db/port.ts';
import {
  type ArrivalsByAge,
  type Completeness,
  LAG_HORIZON_DAYS,
  measuredCompleteness,
  windowCompleteness,
} from '../domain/model/attribution-lag.ts';

/** Curves by channel; `*` is the tenant's over all channels, for channels without their own. */
export type CompletenessByChannel = Map<string, Completeness>;
export const ANY_CHANNEL = '*';

// Days judged for the curve: old enough to be complete (the horizon), recent enough to describe
// today's reporting (the 90 days before). A day whose first report came more than a day late was
// loaded after the fact (an import, a backfill): its revisions say nothing of the lag, so it is left out.
const HISTORY_DAYS = 90;
const LIVE_FIRST_REPORT_DAYS = 1;

const ARRIVALS_SQL = `
  WITH days AS (
    SELECT channel, stat_date, min(reported_on) AS first_report
      FROM conversion_arrivals
     WHERE tenant_id = $1 AND stat_date BETWEEN $2::date - $3::int AND $2::date - $4::int
     GROUP BY channel, stat_date
  )
  SELECT a.channel, least(a.reported_on - a.stat_date, $4::int - 1) AS age,
         sum(a.conversions)::float8 AS conversions, sum(a.spend)::float8 AS spend
    FROM conversion_arrivals a JOIN days d USING (channel, stat_date)
   WHERE a.tenant_id = $1 AND d.first_report - d.stat_date <= $5::int
   GROUP BY 1, 2`;

export async function loadCompleteness(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  configuredLagDays: number | null,
): Promise<CompletenessByChannel> {
  const rows = await s.query<ArrivalsByAge & { channel: string }>(ARRIVALS_SQL, [
    tenantId,
    asOf,
    HISTORY_DAYS + LAG_HORIZON_DAYS,
    LAG_HORIZON_DAYS,
    LIVE_FIRST_REPORT_DAYS,
  ]);
  const curves: CompletenessByChannel = new Map();
  const byChannel = Map.groupBy(rows, (row) => row.channel);
  for (const [channel, arrivals] of byChannel) {
    const curve = measuredCompleteness(arrivals);
    if (curve) curves.set(channel, curve);
  }
  const overall = measuredCompleteness(rows);
  if (overall) curves.set(ANY_CHANNEL, overall);
  else if (configuredLagDays !== null && configuredLagDays > 0)
    curves.set(ANY_CHANNEL, windowCompleteness(configuredLagDays));
  return curves;
}
