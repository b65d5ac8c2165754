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

const CREATE_TABLE = `
  DROP TABLE IF EXISTS cycle_evidence;
  CREATE TEMP TABLE cycle_evidence (
    campaign_id uuid PRIMARY KEY, status text NOT NULL, channel text NOT NULL,
    exposure float8 NOT NULL, conversions float8 NOT NULL, revenue float8 NOT NULL, evidence_days float8 NOT NULL,
    espend_lifetime numeric NOT NULL, espend_d1 numeric NOT NULL, espend_d2 numeric NOT NULL,
    espend_d7 numeric NOT NULL, espend_p7 numeric NOT NULL, daily_spend float8 NOT NULL, dispersion_ss float8 NOT NULL, dispersion_dof int NOT NULL
  ) ON COMMIT DROP`;

const EVIDENCE_SQL = `
  INSERT INTO cycle_evidence
  WITH curve AS (
    SELECT * FROM unnest($4::text[], $5::int[], $6::float8[]) AS f (channel, age, completeness)
  ),
  days AS (
    SELECT d.campaign_id, ($2::date - d.stat_date) AS age, d.spend, d.conversions, d.revenue,
           (d.spend > 0 OR d.impressions > 0 OR d.sends > 0 OR d.clicks > 0) AS active,
           coalesce(own.completeness, tenant.completeness, 1) AS completeness,
           max(d.stat_date) FILTER (WHERE d.spend > 0 OR d.impressions > 0 OR d.sends > 0 OR d.clicks > 0)
             OVER (PARTITION BY d.campaign_id) AS last_active,
           d.stat_date
      FROM campaign_daily_totals d
      JOIN campaigns c ON c.tenant_id = d.tenant_id AND c.id = d.campaign_id
      LEFT JOIN curve own ON own.channel = c.channels[1] AND own.age = $2::date - d.stat_date
      LEFT JOIN curve tenant ON tenant.channel = '${ANY_CHANNEL}' AND tenant.age = $2::date - d.stat_date
     WHERE d.tenant_id = $1 AND d.stat_date BETWEEN $2::date - ($8::int - 1) AND $2::date
  ),
  weighted AS (
    SELECT *, power(0.5, greatest(coalesce(last_active, stat_date) - stat_date, 0) / $7::float8) AS weight FROM days
  ),
  recent AS (
    SELECT campaign_id, max(last_active) AS last_active,
           sum(spend * completeness * weight) AS exposure, sum(conversions * weight) AS conversions,
           sum(revenue * weight) AS revenue, sum(spend) AS spend, sum(conversions) AS raw_conversions,
           sum(revenue) AS raw_revenue, sum(spend * completeness) AS espend,
           sum(completeness) FILTER (WHERE active) AS evidence_days,
           sum(spend * completeness) FILTER (WHERE age < 1) AS espend_d1,
           sum(spend * completeness) FILTER (WHERE age < 2) AS espend_d2,
           sum(spend * completeness) FILTER (WHERE age < 7) AS espend_d7,
           sum(spend * completeness) FILTER (WHERE age BETWEEN 7 AND 13) AS espend_p7,
           avg(spend) FILTER (WHERE active AND age < 7) AS daily_spend_week,
           avg(spend) FILTER (WHERE active) AS daily_spend_window,
           sum(revenue * revenue / conversions) FILTER (WHERE conversions > 0) AS revenue_sq_per_conversion,
           count(*) FILTER (WHERE conversions > 0) AS conversion_days
      FROM weighted GROUP BY campaign_id
  )
  SELECT l.campaign_id, l.status, coalesce(c.channels[1], '') AS channel,
         (coalesce(r.exposure, 0) + older.weight * (l.total_spend - coalesce(r.spend, 0)))::float8 AS exposure,
         (coalesce(r.conversions, 0) + older.weight * (l.conversions - coalesce(r.raw_conversions, 0)))::float8 AS conversions,
         (coalesce(r.revenue, 0) + older.weight * (l.total_revenue - coalesce(r.raw_revenue, 0)))::float8 AS revenue,
         (coalesce(r.evidence_days, 0)
           + greatest(0, ($2::date - ($8::int - 1)) - coalesce(ru.first_stat_date, $2::date)))::float8 AS evidence_days,
         (l.total_spend - coalesce(r.spend, 0) + coalesce(r.espend, 0)) AS espend_lifetime,
         coalesce(r.espend_d1, 0) AS espend_d1, coalesce(r.espend_d2, 0) AS espend_d2,
         coalesce(r.espend_d7, 0) AS espend_d7, coalesce(r.espend_p7, 0) AS espend_p7,
         coalesce(r.daily_spend_week, r.daily_spend_window,
                  l.total_spend / greatest(coalesce(ru.last_stat_date - ru.first_stat_date + 1, 1), 1))::float8 AS daily_spend,
         -- sum_d C_d (v_d / v - 1)^2 = (sum_d R_d^2 / C_d - R^2 / C) / v^2, with v = R / C.
         CASE WHEN r.raw_conversions > 0 AND r.raw_revenue > 0
              THEN ((r.revenue_sq_per_conversion - r.raw_revenue * r.raw_revenue / r.raw_conversions)
                    / (r.raw_revenue / r.raw_conversions) ^ 2)::float8 ELSE 0 END AS dispersion_ss,
         greatest(coalesce(r.conversion_days, 0) - 1, 0)::int AS dispersion_dof
    FROM campaign_lifetime_at($2::date, $3::timestamptz) l
    JOIN campaigns c ON c.tenant_id = l.tenant_id AND c.id = l.campaign_id
    LEFT JOIN campaign_rollups ru ON ru.tenant_id = l.tenant_id AND ru.campaign_id = l.campaign_id
    LEFT JOIN recent r ON r.campaign_id = l.campaign_id
   -- History before the window counts at the weight of the window's first day.
   CROSS JOIN LATERAL (
     SELECT least(1, power(0.5, (coalesce(r.last_active, least(ru.last_stat_date, $2::date)) - ($2::date - ($8::int - 1)))
                                / $7::float8)) AS weight
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
  const points = [...completeness].flatMap(([channel, curve]) => curve.map((value, age) => ({ channel, age, value })));
  await s.exec(CREATE_TABLE);
  await s.query(EVIDENCE_SQL, [
    tenantId,
    asOf,
    now.toISOString(),
    points.map((p) => p.channel),
    points.map((p) => p.age),
    points.map((p) => p.value),
    HALF_LIFE_DAYS,
    EVIDENCE_WINDOW_DAYS,
  ]);
  await s.exec('ANALYZE cycle_evidence (campaign_id)');
}

/** Every campaign's evidence, for fitting the portfolio's prior. */
export async function readEvidence(s: SqlSession): Promise<CampaignEvidence[]> {
  return s.query<CampaignEvidence>(
    `SELECT campaign_id AS "campaignId", status, channel, exposure, conversions, revenue,
            dispersion_ss AS "dispersionSumSquares", dispersion_dof AS "dispersionDof"
       FROM cycle_evidence`,
  );
}
