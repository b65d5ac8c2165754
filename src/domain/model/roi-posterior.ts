// The posterior of one campaign's true ROI under the portfolio model (docs/confidence.md).
//
//   ROI ~ Gamma(shape, rate)                 across the portfolio
//   mean order value mu, log mu ~ Normal      single orders vary around mu with squared CV cv2
//   conversions ~ Poisson(exposure x ROI / mu)
//
// The prior is on ROI itself, not on conversions per unit of spend: across a portfolio the two
// factors of ROI are far from independent (campaigns selling dearer orders convert less often), and
// a prior that took them as independent was much wider than the portfolio's spread of ROI, so it
// shrank too little: on the simulator, pauses in a mostly good portfolio stored at 0.9 were right
// two times in three.
//
// `exposure` is the spend behind the conversions reported so far (spend times the share of its
// conversions that has arrived), weighted by recency; `conversions` and `revenue` carry the same
// recency weights (campaign-evidence.ts). Given mu, ROI is Gamma by conjugacy; mu's posterior is
// the normal update of log mu from the observed mean order value (whose spread shrinks with the
// conversions behind it, log(1 + cv2 / conversions), so one large order moves mu only as far as
// the order values' own spread allows) times the likelihood of the conversion count given mu,
// integrated by Gauss-Hermite quadrature over mu.
import gammaln from '@stdlib/math-base-special-gammaln';
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';
import { normalNodes } from './gauss-hermite.ts';

export interface GammaPrior {
  shape: number;
  rate: number;
}

export interface ModelPrior {
  /** True ROI across the portfolio. */
  roi: GammaPrior;
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

/** The posterior of log mu from the observed mean order value alone (normal, conjugate). */
export function orderValuePosterior(prior: ModelPrior, evidence: Evidence): { mean: number; variance: number } {
  const { mean, variance } = prior.orderValue;
  if (evidence.conversions <= 0) return { mean, variance };
  const sampling = Math.log1p(prior.orderValueCv2 / evidence.conversions);
  const observed = Math.log(Math.max(evidence.revenue / evidence.conversions, MIN_ORDER_VALUE)) + sampling / 2;
  // Orders that never vary (one fixed price: the tenant's measured spread is 0) show the mean
  // order value exactly (the normal update's limit; dividing by the zero spread gave NaN).
  if (sampling <= 0) return { mean: observed, variance: 0 };
  const precision = 1 / variance + 1 / sampling;
  return { mean: (mean / variance + observed / sampling) / precision, variance: 1 / precision };
}

// A quadrature node whose weight, after the likelihood, is below this adds less than it to any
// probability: it is dropped rather than evaluated (a Gamma CDF each).
const NEGLIGIBLE_WEIGHT = 1e-12;

export class RoiPosterior {
  /** Quadrature over mu: ROI given each node is Gamma(shape, rates[i]) with weight weights[i]. */
  readonly shape: number;
  private readonly rates: number[];
  private readonly weights: number[];
  private readonly atThresholds = new Map<number, { below: number; shortfall: number }>();

  constructor(prior: ModelPrior, evidence: Evidence) {
    const conversions = Math.max(evidence.conversions, 0);
    const exposure = Math.max(evidence.exposure, 0);
    const { shape, rate } = prior.roi;
    this.shape = shape + conversions;
    const nodes = normalNodes(orderValuePosterior(prior, evidence));
    // Per node: exposure in units of ROI (k = exposure / mu), and the log of the negative-binomial
    // likelihood of the conversions given mu (the terms that depend on mu).
    const k = nodes.map((n) => exposure / Math.exp(n.x));
    const logLikelihood = k.map((ki) =>
      ki > 0 ? shape * Math.log(rate / (rate + ki)) + conversions * Math.log(ki / (rate + ki)) : 0,
    );
    const top = Math.max(...logLikelihood);
    const unnormalised = nodes.map((n, i) => n.weight * Math.exp(logLikelihood[i]! - top));
    const total = unnormalised.reduce((sum, w) => sum + w, 0);
    this.weights = [];
    this.rates = [];
    for (let i = 0; i < nodes.length; i++) {
      const weight = unnormalised[i]! / total;
      if (weight < NEGLIGIBLE_WEIGHT) continue;
      this.weights.push(weight);
      this.rates.push(rate + k[i]!);
    }
  }

  /** E[ROI]. */
  mean(): number {
    return this.sum((rate) => this.shape / rate);
  }

  /** Var[ROI]: E[ROI^2] - E[ROI]^2, with E[ROI^2] = a (a + 1) / b^2 for each node's Gamma(a, b). */
  variance(): number {
    const mean = this.mean();
    return Math.max(this.sum((rate) => (this.shape * (this.shape + 1)) / rate ** 2) - mean * mean, 0);
  }

  /** P(ROI < threshold). */
  probabilityBelow(threshold: number): number {
    return this.at(threshold).below;
  }

  /** E[max(threshold - ROI, 0)]: what falls short of the threshold, on average. */
  expectedShortfall(threshold: number): number {
    return this.at(threshold).shortfall;
  }

  // Both figures from one Gamma CDF per node (the costliest step of a cycle's judgement). For
  // ROI ~ Gamma(a, b) and x = b c: E[max(c - ROI, 0)] = c F(c; a, b) - (a / b) F(c; a + 1, b), and
  // F(c; a + 1, b) = F(c; a, b) - x^a e^-x / Gamma(a + 1).
  private at(threshold: number): { below: number; shortfall: number } {
    if (threshold <= 0) return { below: 0, shortfall: 0 };
    const known = this.atThresholds.get(threshold);
    if (known) return known;
    const a = this.shape;
    const logGammaNext = gammaln(a + 1);
    let below = 0;
    let shortfall = 0;
    for (let i = 0; i < this.rates.length; i++) {
      const rate = this.rates[i]!;
      const x = rate * threshold;
      const cdf = gammaCdf(threshold, a, rate);
      const cdfNext = Math.max(cdf - Math.exp(a * Math.log(x) - x - logGammaNext), 0);
      below += this.weights[i]! * cdf;
      shortfall += this.weights[i]! * (threshold * cdf - (a / rate) * cdfNext);
    }
    const figures = { below, shortfall: Math.max(shortfall, 0) };
    this.atThresholds.set(threshold, figures);
    return figures;
  }

  private sum(f: (rate: number) => number): number {
    let sum = 0;
    for (let i = 0; i < this.rates.length; i++) sum += this.weights[i]! * f(this.rates[i]!);
    return sum;
  }
}
