// What the Overview tab's cards and charts read besides the engine's own preview: campaigns'
// lifetime totals, the rules' descriptions, daily spend and revenue, and the spread of ROI.
// The set-based reads stay visible SQL per docs/architecture.md; the lookups by key are typed CRUD.
import { sql } from 'kysely';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

export interface CampaignLifetime {
  campaign_id: string;
  spend: number;
  /** Clicks per impression; null before the first impression. */
  ctr: number | null;
  /** Whole hours since started_at; null for a campaign never started. */
  hours_running: number | null;
}

// Lifetime totals as the engine reads them (campaign_performance_at): the rollups, or
// campaign_metrics for a campaign without daily stats, so a card's spend and CTR belong to the
// same totals as the ROI the engine judged.
const LIFETIME_TOTALS = `
  FROM campaigns c
  LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
  LEFT JOIN campaign_metrics m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
 CROSS JOIN LATERAL (SELECT coalesce(r.spend, m.spend, 0) AS spend, coalesce(r.revenue, m.revenue, 0) AS revenue,
                            coalesce(r.clicks, m.clicks, 0) AS clicks,
                            coalesce(r.impressions, m.impressions, 0) AS impressions) t`;

export async function campaignLifetimes(
  s: SqlSession,
  tenantId: string,
  campaignIds: readonly string[],
  now: Date,
): Promise<CampaignLifetime[]> {
  if (campaignIds.length === 0) return [];
  return s.query<CampaignLifetime>(
    `SELECT c.id AS campaign_id, t.spend::float8 AS spend, (t.clicks::float8 / nullif(t.impressions, 0)) AS ctr,
            floor(extract(epoch FROM $3::timestamptz - c.started_at) / 3600)::int AS hours_running
       ${LIFETIME_TOTALS}
      WHERE c.tenant_id = $1 AND c.id = ANY ($2::uuid[])`,
    [tenantId, campaignIds, now.toISOString()],
  );
}

/** Each named rule's description (rule names are unique per tenant); rules without one are left out. */
export async function ruleDescriptions(
  s: SqlSession,
  tenantId: string,
  ruleNames: readonly string[],
): Promise<Map<string, string>> {
  if (ruleNames.length === 0) return new Map();
  const described = await rows(
    s,
    typed
      .selectFrom('autonomous_rules')
      .select(['rule_name', 'description'])
      .where('tenant_id', '=', tenantId)
      .where('rule_name', '=', (eb) => eb.fn.any(eb.val(ruleNames)))
      .where((eb) => eb(eb.fn('nullif', [eb.fn('trim', ['description']), sql.lit('')]), 'is not', null))
      // The condition above leaves out the rules without a description.
      .$narrowType<{ description: string }>(),
  );
  return new Map(described.map((r) => [r.rule_name, r.description]));
}

export interface DailyTotal {
  date: string;
  spend: number;
  revenue: number;
}

/**
 * Spend and revenue per UTC day of the last `days` days (today included), summed over campaigns
 * and channels, every day present (zero when nothing was recorded), oldest first. Reads the
 * per-day rollup: its covering (tenant_id, stat_date) index answers without the heap.
 */
export async function dailyTotals(s: SqlSession, tenantId: string, days: number): Promise<DailyTotal[]> {
  return s.query<DailyTotal>(
    `WITH bounds AS (SELECT (now() AT TIME ZONE 'UTC')::date AS today),
          totals AS (
            SELECT d.stat_date, sum(d.spend) AS spend, sum(d.revenue) AS revenue
              FROM campaign_daily_totals d, bounds b
             WHERE d.tenant_id = $1 AND d.stat_date BETWEEN b.today - ($2::int - 1) AND b.today
             GROUP BY d.stat_date)
     SELECT to_char(g.day, 'YYYY-MM-DD') AS date, coalesce(t.spend, 0)::float8 AS spend,
            coalesce(t.revenue, 0)::float8 AS revenue
       FROM bounds b
      CROSS JOIN LATERAL generate_series(b.today - ($2::int - 1), b.today, interval '1 day') AS g (day)
       LEFT JOIN totals t ON t.stat_date = g.day::date
      ORDER BY g.day`,
    [tenantId, days],
  );
}

export interface RoiBucket {
  label: string;
  /** Inclusive lower bound; null: no lower bound. */
  from: number | null;
  /** Exclusive upper bound; null: no upper bound. */
  to: number | null;
  campaigns: number;
}

// The dashboard's ROI bands; the thresholds are the bands' lower bounds after the first, which is
// the array width_bucket takes (0 below the first threshold, n at or above the n-th).
const ROI_BANDS: readonly Omit<RoiBucket, 'campaigns'>[] = [
  { label: '<0.5', from: null, to: 0.5 },
  { label: '0.5-1', from: 0.5, to: 1 },
  { label: '1-2', from: 1, to: 2 },
  { label: '2-3', from: 2, to: 3 },
  { label: '3-5', from: 3, to: 5 },
  { label: '>=5', from: 5, to: null },
];
const ROI_THRESHOLDS = ROI_BANDS.slice(1).map((band) => band.from);

/** Active campaigns with lifetime spend, counted by lifetime ROI (revenue / spend) band; every band present. */
export async function roiDistribution(s: SqlSession, tenantId: string): Promise<RoiBucket[]> {
  const rows = await s.query<{ band: number; campaigns: number }>(
    `SELECT width_bucket(t.revenue / t.spend, $2::numeric[]) AS band, count(*)::int AS campaigns
       ${LIFETIME_TOTALS}
      WHERE c.tenant_id = $1 AND c.status = 'active' AND t.spend > 0
      GROUP BY 1`,
    [tenantId, ROI_THRESHOLDS],
  );
  const counts = new Map(rows.map((r) => [r.band, r.campaigns]));
  return ROI_BANDS.map((band, i) => ({ ...band, campaigns: counts.get(i) ?? 0 }));
}

export async function tenantCurrency(s: SqlSession, tenantId: string): Promise<string> {
  const [row] = await rows(s, typed.selectFrom('tenants').select('currency').where('id', '=', tenantId));
  return row?.currency ?? 'USD';
}
