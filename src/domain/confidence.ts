// Confidence of rates and of differences between groups, as posterior probabilities from the
// campaign's own counts (docs/confidence.md). ROI is judged by the portfolio model
// (src/domain/model/), not here.
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

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
  return probabilityLower(pa, pb);
}

/** P(A < B) for two independent posteriors, by the normal approximation to their difference. */
export function probabilityLower(a: Moments, b: Moments): number {
  return normalCdf(0, a.mean - b.mean, Math.sqrt(a.variance + b.variance));
}

export interface Moments {
  mean: number;
  variance: number;
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
