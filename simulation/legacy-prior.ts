// The engine's ROI judgement before issue 22, frozen here as the reference the simulator scores
// the engine against (legacyPolicy in rule-policies.ts); production judges ROI by the portfolio
// model (src/domain/model/) only.
//
// conversions ~ Poisson(spend x r), r (conversions per currency unit) with the conjugate prior
// Gamma(shape 1, rate AOV0): mean ROI 1 (break-even), weight about one conversion. Revenue per
// conversion is estimated as (revenue + AOV0) / (conversions + 1) and then taken as known, so
// P(ROI < t) = GammaCDF(t / AOV; 1 + conversions, AOV0 + spend).
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';

export interface LegacyRoiEvidence {
  spend: number;
  revenue: number;
  conversions: number;
  /** The tenant's revenue per conversion, the prior's scale. */
  priorOrderValue: number;
}

const PRIOR_SHAPE = 1;
const FALLBACK_ORDER_VALUE = 100;

/** P(true ROI < threshold) under the fixed prior. */
export function legacyProbabilityRoiBelow(evidence: LegacyRoiEvidence, threshold: number): number {
  const aov0 = evidence.priorOrderValue > 0 ? evidence.priorOrderValue : FALLBACK_ORDER_VALUE;
  const orderValue = (evidence.revenue + aov0) / (evidence.conversions + 1);
  const shape = PRIOR_SHAPE + evidence.conversions;
  const rate = aov0 * PRIOR_SHAPE + evidence.spend;
  return gammaCdf(threshold / orderValue, shape, rate);
}
