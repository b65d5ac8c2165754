// What the ROI model knows of each campaign of a tenant as of a day (docs/confidence.md), computed
// once per cycle into temp table `cycle_evidence`, keyed by campaign, for every campaign with
// stats (paused ones too: they belong to the portfolio the prior is fitted to, and auto-revive
// judges them):
//   exposure, conversions, revenue  recency-weighted, the spend counted at the share of its
//                                   conversions reported so far (attribution lag);
//   evidence_days                   days with activity, each counted at its completeness;
//   espend_<window>                 the spend of a rule window at its completeness: the ROI a rule
//                                   compares is revenue / espend, the expected complete ROI;
//   daily_spend                     what the campaign spends a day: over its active days of the
//                                   last week, else of the window, else of its lifetime (what a
//                                   pause saves or a scale multiplies, even when stats are late);
//   dispersion_ss, dispersion_dof   the spread of daily mean order values around the campaign's
//                                   (sum of C_d (v_d / v - 1)^2 and its degrees of freedom).
// The last EVIDENCE_WINDOW_DAYS days are read one by one; older history (lifetime totals minus
// those days) counts as one complete block at the weight of the window's first day. Recency counts
// back from the campaign's latest day of activity, not from today: a campaign whose stats stopped
// arriving is judged on its last weeks (silence says nothing of its ROI), while the attribution
// lag counts from today (it is about how long ago a day was reported).
import type { SqlSession } from '../db/port.ts';
import { EVIDENCE_WINDOW_DAYS, HALF_LIFE_DAYS } from '../domain/model/recency.ts';
import type { Evidence } from '../domain/model/roi-posterior.ts';
import { ANY_CHANNEL, type CompletenessByChannel } from './attribution.ts';

// In two steps whose plans do not depend on the planner's statistics (as cycle_perf,
// src/engine/performance.ts): embedded PGlite has no autovacuum, so the statistics of a tenant's
// daily totals are as old as its last bulk load, and the planner, taking the tenant's campaigns
// for one row, joined them to its days by nested loops that rescanned the tenant per campaign
// (0.9 s a cycle for 114 campaigns of 30 days on PGlite; now a few ms). First the window's days
// are summed per campaign from the daily totals alone, each day's completeness looked up by key in
// JSON (the curves a parameter, the campaigns' channels one object built once), into temp table
// cycle_recent keyed by campaign; then the campaigns' lifetimes are joined to it, one index probe each.
const CREATE_TABLES = `
  DROP TABLE IF EXISTS cycle_recent, cycle_evidence;
  CREATE TEMP TABLE cycle_recent (
    campaign_id uuid PRIMARY KEY, last_active date, exposure float8, conversions float8, revenue float8,
    spend_cents float8, raw_conversions float8, raw_revenue_cents float8, espend float8, evidence_days float8,
    espend_d1 float8, espend_d2 float8, espend_d7 float8, espend_p7 float8, daily_spend_week float8,
    daily_spend_window float8, revenue_sq_per_conversion float8, conversion_days bigint
  ) ON COMMIT DROP;
  CREATE TEMP TABLE cycle_evidence (
    campaign_id uuid PRIMARY KEY, status text NOT NULL, channel text NOT NULL,
    exposure float8 NOT NULL, conversions float8 NOT NULL, revenue float8 NOT NULL, evidence_days float8 NOT NULL,
    espend_lifetime numeric NOT NULL, espend_d1 numeric NOT NULL, espend_d2 numeric NOT NULL,
    espend_d7 numeric NOT NULL, espend_p7 numeric NOT NULL, daily_spend float8 NOT NULL, dispersion_ss float8 NOT NULL, dispersion_dof int NOT NULL
  ) ON COMMIT DROP`;

// $3: completeness curves by channel as JSON ({"google_ads": [c0, c1, ...], "*": [...]}), an age
// past a curve's end being complete, and $6 the longest curve's length (older days are complete
// without a lookup).
const RECENT_SQL = `
  INSERT INTO cycle_recent
  WITH channel_of AS MATERIALIZED (
    -- Each campaign's channel, for its curve: one object built once, looked up by key.
    SELECT jsonb_object_agg(id, channels[1]) AS campaigns FROM campaigns WHERE tenant_id = $1
  ),
  days AS (
    -- Judged in float8 (estimates, not amounts: numeric arithmetic cost 3x as much on PGlite), and
    -- amounts in cents: integers, so their sums are exact (below 2^53) and lifetime minus them
    -- leaves exactly the older history; and numeric to int8 is arithmetic, where numeric to float8
    -- goes through text (it cost a third of this statement).
    SELECT d.campaign_id, ($2::date - d.stat_date) AS age, d.stat_date,
           (d.spend * 100)::int8::float8 AS spend, d.conversions::float8 AS conversions,
           (d.revenue * 100)::int8::float8 AS revenue,
           (d.spend > 0 OR d.impressions > 0 OR d.sends > 0 OR d.clicks > 0) AS active
      FROM campaign_daily_totals d
     WHERE d.tenant_id = $1 AND d.stat_date BETWEEN $2::date - ($5::int - 1) AND $2::date
  ),
  judged AS (
    SELECT *, CASE WHEN age >= $6::int THEN 1
                   ELSE coalesce(($3::jsonb -> ((SELECT campaigns FROM channel_of) ->> campaign_id::text) ->> age)::float8,
                                 ($3::jsonb -> '${ANY_CHANNEL}' ->> age)::float8, 1) END AS completeness,
           max(stat_date) FILTER (WHERE active) OVER (PARTITION BY campaign_id) AS last_active
      FROM days
  ),
  weighted AS (
    SELECT *, power(0.5, greatest(coalesce(last_active, stat_date) - stat_date, 0) / $4::float8) AS weight FROM judged
  )
  SELECT campaign_id, max(last_active),
         sum(spend * completeness * weight) / 100, sum(conversions * weight), sum(revenue * weight) / 100,
         sum(spend), sum(conversions), sum(revenue), sum(spend * completeness) / 100,
         sum(completeness) FILTER (WHERE active),
         sum(spend * completeness) FILTER (WHERE age < 1) / 100,
         sum(spend * completeness) FILTER (WHERE age < 2) / 100,
         sum(spend * completeness) FILTER (WHERE age < 7) / 100,
         sum(spend * completeness) FILTER (WHERE age BETWEEN 7 AND 13) / 100,
         avg(spend) FILTER (WHERE active AND age < 7) / 100,
         avg(spend) FILTER (WHERE active) / 100,
         sum(revenue * revenue / conversions) FILTER (WHERE conversions > 0) / 10000,
         count(*) FILTER (WHERE conversions > 0)
    FROM weighted GROUP BY campaign_id`;

const EVIDENCE_SQL = `
  INSERT INTO cycle_evidence
  SELECT l.campaign_id, l.status,
         coalesce((SELECT c.channels[1] FROM campaigns c WHERE c.tenant_id = l.tenant_id AND c.id = l.campaign_id), '')
           AS channel,
         (coalesce(r.exposure, 0) + older.weight * older.spend)::float8 AS exposure,
         (coalesce(r.conversions, 0) + older.weight * (l.conversions - coalesce(r.raw_conversions, 0)))::float8 AS conversions,
         (coalesce(r.revenue, 0) + older.weight * older.revenue)::float8 AS revenue,
         (coalesce(r.evidence_days, 0)
           + greatest(0, ($2::date - ($5::int - 1)) - coalesce(ru.first_stat_date, $2::date)))::float8 AS evidence_days,
         older.spend_cents::numeric / 100 + coalesce(r.espend, 0)::numeric AS espend_lifetime,
         coalesce(r.espend_d1, 0) AS espend_d1, coalesce(r.espend_d2, 0) AS espend_d2,
         coalesce(r.espend_d7, 0) AS espend_d7, coalesce(r.espend_p7, 0) AS espend_p7,
         coalesce(r.daily_spend_week, r.daily_spend_window,
                  l.total_spend / greatest(coalesce(ru.last_stat_date - ru.first_stat_date + 1, 1), 1))::float8 AS daily_spend,
         -- sum_d C_d (v_d / v - 1)^2 = (sum_d R_d^2 / C_d - R^2 / C) / v^2, with v = R / C.
         CASE WHEN r.raw_conversions > 0 AND r.raw_revenue_cents > 0
              THEN ((r.revenue_sq_per_conversion - (r.raw_revenue_cents / 100) ^ 2 / r.raw_conversions)
                    / (r.raw_revenue_cents / 100 / r.raw_conversions) ^ 2)::float8 ELSE 0 END AS dispersion_ss,
         greatest(coalesce(r.conversion_days, 0) - 1, 0)::int AS dispersion_dof
    FROM campaign_lifetime_at($2::date, $3::timestamptz) l
    LEFT JOIN cycle_recent r ON r.campaign_id = l.campaign_id
    -- By key, never rescanned per campaign (OFFSET 0 keeps the planner from flattening it).
    LEFT JOIN LATERAL (
      SELECT first_stat_date, last_stat_date FROM campaign_rollups
       WHERE tenant_id = l.tenant_id AND campaign_id = l.campaign_id OFFSET 0
    ) ru ON true
   -- History before the window: lifetime minus the window's days, in cents (exact), counted at
   -- the weight of the window's first day.
   CROSS JOIN LATERAL (
     SELECT (l.total_spend * 100)::int8 - coalesce(r.spend_cents, 0)::int8 AS spend_cents,
            ((l.total_spend * 100)::int8 - coalesce(r.spend_cents, 0)::int8) / 100.0::float8 AS spend,
            ((l.total_revenue * 100)::int8 - coalesce(r.raw_revenue_cents, 0)::int8) / 100.0::float8 AS revenue,
            least(1, power(0.5, (coalesce(r.last_active, least(ru.last_stat_date, $2::date)) - ($2::date - ($5::int - 1)))
                                / $4::float8)) AS weight
   ) older
   WHERE l.tenant_id = $1 AND (l.total_spend > 0 OR l.conversions > 0)`;

export interface CampaignEvidence extends Evidence {
  campaignId: string;
  status: string;
  channel: string;
  dispersionSumSquares: number;
  dispersionDof: number;
}

/** Fills `cycle_evidence` (dropped at commit) for one tenant as of a day. */
export async function prepareEvidence(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  now: Date,
  completeness: CompletenessByChannel,
): Promise<void> {
  await s.exec(CREATE_TABLES);
  await s.query(RECENT_SQL, [
    tenantId,
    asOf,
    JSON.stringify(Object.fromEntries(completeness)),
    HALF_LIFE_DAYS,
    EVIDENCE_WINDOW_DAYS,
    Math.max(0, ...[...completeness.values()].map((curve) => curve.length)),
  ]);
  await s.exec('ANALYZE cycle_recent (campaign_id)');
  await s.query(EVIDENCE_SQL, [tenantId, asOf, now.toISOString(), HALF_LIFE_DAYS, EVIDENCE_WINDOW_DAYS]);
  await s.exec('ANALYZE cycle_evidence (campaign_id)');
}

/**
 * Every campaign's evidence, for fitting the portfolio's prior. In a fixed order: the fit's sums
 * then add up in the same order whatever plan filled the table, so the same data gives the same
 * figures to the last bit (a preview and the cycle it previews agree exactly).
 */
export async function readEvidence(s: SqlSession): Promise<CampaignEvidence[]> {
  return s.query<CampaignEvidence>(
    `SELECT campaign_id AS "campaignId", status, channel, exposure, conversions, revenue,
            dispersion_ss AS "dispersionSumSquares", dispersion_dof AS "dispersionDof"
       FROM cycle_evidence ORDER BY campaign_id`,
  );
}
