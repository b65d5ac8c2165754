// Optimization opportunities: detected set-based in SQL (only flagged campaigns come back), scored
// in TypeScript (posterior probabilities, see docs/confidence.md; ROI by the tenant's ROI model,
// as the rules judge it), and kept as one live row per campaign and type: a repeat detection
// refreshes it, a condition that clears resolves it, and a dismissed one stays quiet for 30 days.
import type { OpportunityType } from '../contract/opportunity-vocabulary.ts';
import type { SqlSession } from '../db/port.ts';
import { probabilityLower, probabilityRateBelow, probabilityRateDropped } from '../domain/confidence.ts';
import { money } from '../domain/decision-text.ts';
import type { PortfolioModel } from '../domain/model/portfolio-model.ts';
import { recordCriticalOpportunities } from '../notify/opportunity-events.ts';
import { detectTimingOpportunities } from './timing-opportunities.ts';

/** Every type but timing_optimization is flagged by DETECT_SQL (timing: timing-opportunities.ts). */
type SqlDetectedType = Exclude<OpportunityType, 'timing_optimization'>;

/** Thresholds of each detector (documented in docs/confidence.md). */
export const DETECTORS = {
  low_conversion: { minClicks: 100, maxRate: 0.01 },
  high_traffic_low_conversion: { minClicks: 200, maxRate: 0.02 },
  declining_performance: { minSpendPerWeek: 50, drop: 0.3, minConfidence: 0.8 },
  creative_fatigue: { minImpressionsPerWeek: 1000, drop: 0.3, minConfidence: 0.8 },
  budget_inefficiency: { minSpend: 500, maxRoi: 1 },
  audience_mismatch: { minImpressions: 5000, maxCtr: 0.005 },
  // Week-over-week and weekday comparisons of a few conversions a day swing widely by chance;
  // these are flagged only when the difference is unlikely to be noise (minConfidence).
  timing_optimization: { minSpendPerWeekday: 20, minWeekdays: 5, ratio: 2, minConfidence: 0.95 },
} as const;

function convincing(o: Opportunity): boolean {
  const detector = DETECTORS[o.type];
  return o.confidence >= ('minConfidence' in detector ? detector.minConfidence : 0);
}

interface Flagged {
  campaign_id: string;
  title: string;
  channel: string;
  types: SqlDetectedType[];
  clicks: number;
  conversions: number;
  impressions: number;
  spend: number;
  /** Lifetime spend behind the conversions reported so far (attribution lag): what ROI is judged on. */
  exposure: number;
  revenue: number;
  roi: number | null;
  ctr: number | null;
  clicks_d7: number;
  impressions_d7: number;
  clicks_p7: number;
  impressions_p7: number;
  spend_d7: number;
  exposure_d7: number;
  revenue_d7: number;
  conversions_d7: number;
  spend_p7: number;
  exposure_p7: number;
  revenue_p7: number;
  conversions_p7: number;
}

// Parameters: $1 tenant, $2 now, then the DETECTORS thresholds in order.
const DETECT_SQL = `
WITH quiet AS MATERIALIZED (
  SELECT campaign_id, opportunity_type FROM optimization_opportunities
   WHERE tenant_id = $1 AND status = 'dismissed' AND updated_at > $2::timestamptz - interval '30 days'
),
flags AS (
  SELECT p.*, array_remove(ARRAY[
    CASE WHEN p.clicks >= $3::numeric AND p.conversion_rate < $4::numeric THEN 'low_conversion' END,
    CASE WHEN p.clicks >= $5::numeric AND p.conversion_rate >= $4::numeric AND p.conversion_rate < $6::numeric THEN 'high_traffic_low_conversion' END,
    -- Each week's ROI on the spend behind its conversions reported so far: this week's late
    -- conversions do not make it look like a decline.
    CASE WHEN p.spend_d7 >= $7::numeric AND p.spend_p7 >= $7::numeric AND p.revenue_p7 > 0
          AND p.revenue_d7 * coalesce(e.espend_p7, p.spend_p7)
              < (1 - $8::numeric) * p.revenue_p7 * coalesce(e.espend_d7, p.spend_d7) THEN 'declining_performance' END,
    CASE WHEN p.impressions_d7 >= $9::numeric AND p.impressions_p7 >= $9::numeric AND p.clicks_p7 > 0
          AND (p.clicks_d7::numeric / p.impressions_d7) < (1 - $8::numeric) * (p.clicks_p7::numeric / p.impressions_p7) THEN 'creative_fatigue' END,
    CASE WHEN p.total_spend >= $10::numeric AND coalesce(p.roi, 0) < 1 THEN 'budget_inefficiency' END,
    CASE WHEN p.impressions >= $11::numeric AND p.ctr < $12::numeric THEN 'audience_mismatch' END
  ], NULL) AS types,
         coalesce(e.channel, '') AS channel, coalesce(e.espend_lifetime, p.total_spend) AS exposure,
         coalesce(e.espend_d7, p.spend_d7) AS exposure_d7, coalesce(e.espend_p7, p.spend_p7) AS exposure_p7
    FROM cycle_perf p
    LEFT JOIN cycle_evidence e ON e.campaign_id = p.campaign_id
)
SELECT f.campaign_id, f.title, f.channel,
       array(SELECT t FROM unnest(f.types) t
              WHERE (f.campaign_id, t) NOT IN (SELECT campaign_id, opportunity_type FROM quiet)) AS types,
       f.clicks::float8 AS clicks, f.conversions::float8 AS conversions, f.impressions::float8 AS impressions,
       f.total_spend::float8 AS spend, f.exposure::float8 AS exposure, f.total_revenue::float8 AS revenue,
       f.roi::float8 AS roi, f.ctr::float8 AS ctr,
       f.clicks_d7::float8 AS clicks_d7, f.impressions_d7::float8 AS impressions_d7,
       f.clicks_p7::float8 AS clicks_p7, f.impressions_p7::float8 AS impressions_p7,
       f.spend_d7::float8 AS spend_d7, f.exposure_d7::float8 AS exposure_d7, f.revenue_d7::float8 AS revenue_d7,
       f.conversions_d7::float8 AS conversions_d7, f.spend_p7::float8 AS spend_p7, f.exposure_p7::float8 AS exposure_p7,
       f.revenue_p7::float8 AS revenue_p7, f.conversions_p7::float8 AS conversions_p7
  FROM flags f WHERE cardinality(f.types) > 0`;

export interface Opportunity {
  campaignId: string;
  type: OpportunityType;
  severity: 'critical' | 'high' | 'medium' | 'low';
  description: string;
  suggestedAction: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * P(this week's true ROI < last week's): each week's posterior under the tenant's ROI model,
 * compared by the normal approximation to their difference.
 */
function probabilityRoiDropped(row: Flagged, model: PortfolioModel): number {
  const week = (exposure: number, conversions: number, revenue: number) => {
    const posterior = model.posterior(row.channel, { exposure, conversions, revenue });
    return { mean: posterior.mean(), variance: posterior.variance() };
  };
  return probabilityLower(
    week(row.exposure_d7, row.conversions_d7, row.revenue_d7),
    week(row.exposure_p7, row.conversions_p7, row.revenue_p7),
  );
}

function describe(row: Flagged, type: SqlDetectedType, model: PortfolioModel, currency: string): Opportunity {
  const rate = row.clicks > 0 ? row.conversions / row.clicks : 0;
  const base = { campaignId: row.campaign_id, type };
  switch (type) {
    case 'low_conversion':
      return {
        ...base,
        severity: rate < DETECTORS.low_conversion.maxRate / 2 ? 'high' : 'medium',
        description: `Campaign "${row.title}" converts ${pct(rate)} of ${row.clicks} clicks.`,
        suggestedAction:
          'Check the landing page and the offer against what the ad promises; test a simpler conversion step.',
        confidence: probabilityRateBelow(row.conversions, row.clicks, DETECTORS.low_conversion.maxRate),
        evidence: { clicks: row.clicks, conversions: row.conversions, conversion_rate: rate },
      };
    case 'high_traffic_low_conversion':
      return {
        ...base,
        severity: 'medium',
        description: `Campaign "${row.title}" has ${row.clicks} clicks but only ${pct(rate)} conversion rate.`,
        suggestedAction:
          'Review targeting parameters and landing page experience. Consider A/B testing different audiences or CTAs.',
        confidence: probabilityRateBelow(row.conversions, row.clicks, DETECTORS.high_traffic_low_conversion.maxRate),
        evidence: { clicks: row.clicks, conversions: row.conversions, conversion_rate: rate },
      };
    case 'declining_performance': {
      const recent = row.revenue_d7 / row.exposure_d7;
      const previous = row.revenue_p7 / row.exposure_p7;
      const drop = 1 - recent / previous;
      return {
        ...base,
        severity: recent < 1 ? 'high' : 'medium',
        description: `Campaign "${row.title}": ROI fell ${pct(drop)} week over week (${previous.toFixed(2)}x to ${recent.toFixed(2)}x).`,
        suggestedAction: 'Find what changed this week (audience, bids, offer, competition) and revert or refresh it.',
        confidence: probabilityRoiDropped(row, model),
        evidence: { roi_last_7_days: recent, roi_previous_7_days: previous, drop },
      };
    }
    case 'creative_fatigue': {
      const now = row.clicks_d7 / row.impressions_d7;
      const before = row.clicks_p7 / row.impressions_p7;
      const drop = 1 - now / before;
      return {
        ...base,
        severity: drop > 0.5 ? 'high' : 'medium',
        description: `Campaign "${row.title}": CTR dropped ${pct(drop)} over 7 days (${pct(before)} to ${pct(now)}).`,
        suggestedAction: 'Refresh the creative: new visuals, headline and hook; rotate out the tired variants.',
        confidence: probabilityRateDropped(row.clicks_d7, row.impressions_d7, row.clicks_p7, row.impressions_p7),
        evidence: { ctr_last_7_days: now, ctr_previous_7_days: before, drop },
      };
    }
    case 'budget_inefficiency':
      return {
        ...base,
        severity: (row.roi ?? 0) < 0.5 ? 'critical' : 'high',
        description: `Campaign "${row.title}" spent ${money(row.spend, currency)} at ROI ${(row.roi ?? 0).toFixed(2)}x.`,
        suggestedAction: 'Pause it or move its budget to campaigns with ROI above 1.',
        confidence: model
          .posterior(row.channel, { exposure: row.exposure, conversions: row.conversions, revenue: row.revenue })
          .probabilityBelow(1),
        evidence: { spend: row.spend, revenue: row.revenue, roi: row.roi },
      };
    case 'audience_mismatch':
      return {
        ...base,
        severity: 'medium',
        description: `Campaign "${row.title}" reaches ${row.impressions} people but only ${pct(row.ctr ?? 0)} click.`,
        suggestedAction:
          'Narrow the audience to the ICP segments that convert; exclude broad or mismatched placements.',
        confidence: probabilityRateBelow(row.clicks, row.impressions, DETECTORS.audience_mismatch.maxCtr),
        evidence: { impressions: row.impressions, clicks: row.clicks, ctr: row.ctr },
      };
  }
}

export interface OpportunityPass {
  detected: Opportunity[];
  /** Newly opened this pass (not refreshes of ones already open). */
  opened: number;
  resolved: number;
}

export async function detectOpportunities(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  now: Date,
  model: PortfolioModel,
  /** The tenant's: the descriptions state amounts in it. */
  currency: string,
): Promise<Opportunity[]> {
  const d = DETECTORS;
  const rows = await s.query<Flagged>(DETECT_SQL, [
    tenantId,
    now.toISOString(),
    d.low_conversion.minClicks,
    d.low_conversion.maxRate,
    d.high_traffic_low_conversion.minClicks,
    d.high_traffic_low_conversion.maxRate,
    d.declining_performance.minSpendPerWeek,
    d.declining_performance.drop,
    d.creative_fatigue.minImpressionsPerWeek,
    d.budget_inefficiency.minSpend,
    d.audience_mismatch.minImpressions,
    d.audience_mismatch.maxCtr,
  ]);
  const timing = await detectTimingOpportunities(s, tenantId, asOf, now, d.timing_optimization);
  return [...rows.flatMap((row) => row.types.map((type) => describe(row, type, model, currency))), ...timing].filter(
    convincing,
  );
}

/**
 * Opens or refreshes each detected opportunity, and resolves live ones no longer detected. One
 * opened critical is told (opportunity.critical) in the same transaction; a refresh is not.
 */
export async function recordOpportunities(
  s: SqlSession,
  tenantId: string,
  detected: Opportunity[],
  now: Date,
): Promise<OpportunityPass> {
  const inserted = await s.query<{ id: string; inserted: boolean; severity: string }>(
    `INSERT INTO optimization_opportunities AS o (tenant_id, campaign_id, opportunity_type, severity, description,
                                                  suggested_action, confidence_score, evidence, detected_at, last_seen_at, updated_at)
     SELECT $1, d.campaign_id, d.type, d.severity, d.description, d.suggested_action, round(d.confidence::numeric, 5),
            d.evidence, $9, $9, $9
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::jsonb[])
            AS d (campaign_id, type, severity, description, suggested_action, confidence, evidence)
     ON CONFLICT (tenant_id, campaign_id, opportunity_type) WHERE status IN ('open', 'in_progress') DO UPDATE SET
       severity = EXCLUDED.severity, description = EXCLUDED.description, suggested_action = EXCLUDED.suggested_action,
       confidence_score = EXCLUDED.confidence_score, evidence = EXCLUDED.evidence, last_seen_at = EXCLUDED.last_seen_at,
       updated_at = EXCLUDED.updated_at
      -- Unchanged evidence is not rewritten: an hourly cycle over 100k campaigns would otherwise
     -- rewrite every open row every hour.
     WHERE (o.severity, o.description, o.confidence_score) IS DISTINCT FROM
           (EXCLUDED.severity, EXCLUDED.description, EXCLUDED.confidence_score)
     RETURNING o.id, (xmax = 0) AS inserted, o.severity`,
    [
      tenantId,
      detected.map((o) => o.campaignId),
      detected.map((o) => o.type),
      detected.map((o) => o.severity),
      detected.map((o) => o.description),
      detected.map((o) => o.suggestedAction),
      detected.map((o) => o.confidence),
      detected.map((o) => JSON.stringify(o.evidence)),
      now.toISOString(),
    ],
  );
  const critical = inserted.filter((r) => r.inserted && r.severity === 'critical').map((r) => r.id);
  await recordCriticalOpportunities(s, tenantId, critical, now);
  const resolved = await s.query(
    `UPDATE optimization_opportunities o SET status = 'resolved', resolved_at = $4, updated_at = $4
      WHERE o.tenant_id = $1 AND o.status IN ('open', 'in_progress')
        AND (o.campaign_id, o.opportunity_type) NOT IN (SELECT * FROM unnest($2::uuid[], $3::text[]))
     RETURNING o.id`,
    [tenantId, detected.map((o) => o.campaignId), detected.map((o) => o.type), now.toISOString()],
  );
  return { detected, opened: inserted.filter((r) => r.inserted).length, resolved: resolved.length };
}

/** What recordOpportunities would do, without writing: how many it would open and resolve. */
export async function previewOpportunities(
  s: SqlSession,
  tenantId: string,
  detected: Opportunity[],
): Promise<{ opened: number; resolved: number }> {
  const [row] = await s.query<{ opened: number; resolved: number }>(
    `WITH d AS (SELECT * FROM unnest($2::uuid[], $3::text[]) AS d (campaign_id, type)),
          live AS (SELECT o.campaign_id, o.opportunity_type AS type FROM optimization_opportunities o
                    WHERE o.tenant_id = $1 AND o.status IN ('open', 'in_progress'))
     SELECT (SELECT count(*) FROM d WHERE (d.campaign_id, d.type) NOT IN (SELECT * FROM live))::int AS opened,
            (SELECT count(*) FROM live WHERE (live.campaign_id, live.type) NOT IN (SELECT * FROM d))::int AS resolved`,
    [tenantId, detected.map((o) => o.campaignId), detected.map((o) => o.type)],
  );
  return row ?? { opened: 0, resolved: 0 };
}
