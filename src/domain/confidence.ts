// Confidence scores are posterior probabilities computed from the campaign's own numbers
// (docs/confidence.md has the derivations).
//
// ROI model: conversions ~ Poisson(spend x r), where r is conversions per currency unit, with a
// conjugate prior r ~ Gamma(shape 1, rate AOV0) whose mean ROI is 1 (break-even) and whose weight
// is about one conversion. Revenue per conversion is estimated as (revenue + AOV0) / (conversions
// + 1). Then ROI = r x AOV and P(ROI < t) = GammaCDF(t / AOV; 1 + conversions, AOV0 + spend).
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';

export interface RoiEvidence {
  spend: number;
  revenue: number;
  conversions: number;
  /** The tenant's revenue per conversion, the prior's scale (e.g. over all its campaigns). */
  priorOrderValue: number;
}

const PRIOR_SHAPE = 1;
const FALLBACK_ORDER_VALUE = 100;

/** P(true ROI < threshold | data). */
export function probabilityRoiBelow(evidence: RoiEvidence, threshold: number): number {
  const aov0 = evidence.priorOrderValue > 0 ? evidence.priorOrderValue : FALLBACK_ORDER_VALUE;
  const orderValue = (evidence.revenue + aov0) / (evidence.conversions + 1);
  const shape = PRIOR_SHAPE + evidence.conversions;
  const rate = aov0 * PRIOR_SHAPE + evidence.spend;
  return gammaCdf(threshold / orderValue, shape, rate);
}

/**
 * The confidence of a budget or status action is the probability that it pays off:
 * pausing is right when the campaign truly loses money (ROI < 1), scaling when extra spend
 * truly returns more than it costs (ROI > 1).
 */
export function actionConfidence(kind: 'pause' | 'scale', evidence: RoiEvidence): number {
  const losing = probabilityRoiBelow(evidence, 1);
  return kind === 'pause' ? losing : 1 - losing;
}
