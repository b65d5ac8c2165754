// Confidence scores are posterior probabilities computed from the campaign's own numbers
// (docs/confidence.md has the derivations).
//
// ROI model: conversions ~ Poisson(spend x r), where r is conversions per currency unit, with a
// conjugate prior r ~ Gamma(shape 1, rate AOV0) whose mean ROI is 1 (break-even) and whose weight
// is about one conversion. Revenue per conversion is estimated as (revenue + AOV0) / (conversions
// + 1). Then ROI = r x AOV and P(ROI < t) = GammaCDF(t / AOV; 1 + conversions, AOV0 + spend).
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

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

/** P(true rate < threshold) for successes out of trials, with a uniform Beta(1, 1) prior. */
export function probabilityRateBelow(successes: number, trials: number, threshold: number): number {
  if (threshold <= 0) return 0;
  if (threshold >= 1) return 1;
  return betaCdf(threshold, 1 + successes, 1 + Math.max(trials - successes, 0));
}

/**
 * P(rate A < rate B) for two measured rates (e.g. this week's CTR below last week's), by the
 * normal approximation to the difference of two Beta posteriors.
 */
export function probabilityRateDropped(
  successesA: number,
  trialsA: number,
  successesB: number,
  trialsB: number,
): number {
  const posterior = (s: number, n: number) => {
    const a = 1 + s;
    const b = 1 + Math.max(n - s, 0);
    return { mean: a / (a + b), variance: (a * b) / ((a + b) ** 2 * (a + b + 1)) };
  };
  const pa = posterior(successesA, trialsA);
  const pb = posterior(successesB, trialsB);
  return normalCdf(0, pa.mean - pb.mean, Math.sqrt(pa.variance + pb.variance));
}

/**
 * Evidence that conversions per unit of spend differ across groups (e.g. weekdays): one minus
 * the p-value of Pearson's chi-square test of conversions against each group's share of spend.
 */
export function unevenConversionEvidence(groups: readonly { spend: number; conversions: number }[]): number {
  const spend = groups.reduce((sum, g) => sum + g.spend, 0);
  const conversions = groups.reduce((sum, g) => sum + g.conversions, 0);
  if (spend <= 0 || conversions === 0 || groups.length < 2) return 0;
  let statistic = 0;
  for (const g of groups) {
    const expected = (conversions * g.spend) / spend;
    if (expected > 0) statistic += (g.conversions - expected) ** 2 / expected;
  }
  return chisquareCdf(statistic, groups.length - 1);
}

/**
 * P(this period's true ROI < the previous period's), each period's ROI by the Gamma posterior
 * above, compared by the normal approximation to their difference.
 */
export function probabilityRoiDropped(recent: RoiEvidence, previous: RoiEvidence): number {
  const moments = (e: RoiEvidence) => {
    const aov0 = e.priorOrderValue > 0 ? e.priorOrderValue : FALLBACK_ORDER_VALUE;
    const orderValue = (e.revenue + aov0) / (e.conversions + 1);
    const shape = PRIOR_SHAPE + e.conversions;
    const rate = aov0 * PRIOR_SHAPE + e.spend;
    return { mean: (shape / rate) * orderValue, variance: (shape / rate ** 2) * orderValue ** 2 };
  };
  const a = moments(recent);
  const b = moments(previous);
  return normalCdf(0, a.mean - b.mean, Math.sqrt(a.variance + b.variance));
}
