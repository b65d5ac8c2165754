// The posterior of one campaign's true ROI under the portfolio model (docs/confidence.md).
//
//   conversions ~ Poisson(exposure x r)      r: conversions per unit of spend, r ~ Gamma(shape, rate)
//   mean order value mu, log mu ~ Normal      single orders vary around mu with squared CV cv2
//   ROI = r x mu
//
// `exposure` is the spend behind the conversions reported so far (spend times the share of its
// conversions that has arrived), weighted by recency; `conversions` and `revenue` carry the same
// recency weights (campaign-evidence.ts). The two factors are independent a posteriori: r by
// Gamma-Poisson conjugacy, mu by a normal update of log mu from the observed mean order value,
// whose spread shrinks with the conversions behind it (log(1 + cv2 / conversions)), so one large
// order moves mu only as far as the order values' own spread allows.
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';
import { normalExpectation } from './gauss-hermite.ts';

export interface GammaPrior {
  shape: number;
  rate: number;
}

export interface ModelPrior {
  /** Conversions per unit of spend across the portfolio. */
  conversionRate: GammaPrior;
  /** log of a campaign's mean order value across the portfolio. */
  orderValue: { mean: number; variance: number };
  /** Squared coefficient of variation of single order values within a campaign. */
  orderValueCv2: number;
}

export interface Evidence {
  /** Spend behind the reported conversions (completeness- and recency-weighted). */
  exposure: number;
  /** Reported conversions (recency-weighted). */
  conversions: number;
  /** Reported revenue (recency-weighted). */
  revenue: number;
}

// An observed mean order value below a cent is a campaign whose conversions earn nothing: its log
// is clamped there so that the update stays finite (its ROI is then about 0, as it should be).
const MIN_ORDER_VALUE = 0.01;

export class RoiPosterior {
  readonly shape: number;
  readonly rate: number;
  readonly logOrderValueMean: number;
  readonly logOrderValueVariance: number;

  constructor(prior: ModelPrior, evidence: Evidence) {
    this.shape = prior.conversionRate.shape + Math.max(evidence.conversions, 0);
    this.rate = prior.conversionRate.rate + Math.max(evidence.exposure, 0);
    const { mean, variance } = prior.orderValue;
    if (evidence.conversions > 0) {
      const sampling = Math.log1p(prior.orderValueCv2 / evidence.conversions);
      const observed = Math.log(Math.max(evidence.revenue / evidence.conversions, MIN_ORDER_VALUE)) + sampling / 2;
      const precision = 1 / variance + 1 / sampling;
      this.logOrderValueVariance = 1 / precision;
      this.logOrderValueMean = (mean / variance + observed / sampling) / precision;
    } else {
      this.logOrderValueMean = mean;
      this.logOrderValueVariance = variance;
    }
  }

  /** E[ROI]. */
  mean(): number {
    return (this.shape / this.rate) * Math.exp(this.logOrderValueMean + this.logOrderValueVariance / 2);
  }

  /** P(ROI < threshold). */
  probabilityBelow(threshold: number): number {
    if (threshold <= 0) return 0;
    return this.overOrderValue((mu) => gammaCdf(threshold / mu, this.shape, this.rate));
  }

  /** E[max(threshold - ROI, 0)]: what falls short of the threshold, on average. */
  expectedShortfall(threshold: number): number {
    if (threshold <= 0) return 0;
    const mean = this.shape / this.rate;
    // For r ~ Gamma(a, b): E[max(c - r, 0)] = c F(c; a, b) - (a / b) F(c; a + 1, b).
    return this.overOrderValue((mu) => {
      const c = threshold / mu;
      return mu * (c * gammaCdf(c, this.shape, this.rate) - mean * gammaCdf(c, this.shape + 1, this.rate));
    });
  }

  /** E[max(ROI - threshold, 0)]. */
  expectedExcess(threshold: number): number {
    return this.mean() - threshold + this.expectedShortfall(threshold);
  }

  private overOrderValue(f: (orderValue: number) => number): number {
    return normalExpectation(this.logOrderValueMean, this.logOrderValueVariance, (x) => f(Math.exp(x)));
  }
}
