// The prior of the ROI model, fitted each cycle to the tenant's own portfolio (empirical Bayes):
// how ROI, and mean order values, vary across its campaigns, and how much single orders vary
// within one. A campaign with little data is then judged as a typical
// campaign of this tenant, not as a break-even one.
import gammaln from '@stdlib/math-base-special-gammaln';
import { type Evidence, type ModelPrior, orderValuePosterior } from './roi-posterior.ts';

/** Within-campaign spread of order values: sum over days of C_d (v_d / v - 1)^2, and its degrees of freedom. */
export interface OrderValueDispersion {
  sumSquares: number;
  degreesOfFreedom: number;
}

// Fewer campaigns or conversions than this and the spread across campaigns is mostly noise.
export const MIN_CAMPAIGNS = 8;
export const MIN_CONVERSIONS = 20;
// Bounds on the ROI prior's shape: at most worth 20 conversions, so that a campaign
// unlike the rest of its portfolio (a fading one) shows within days; at least 0.2, so that a
// portfolio of a few extreme campaigns does not make the prior improper in practice.
const SHAPE_RANGE = [0.2, 20] as const;
// A campaign's mean order value varies across the portfolio by at least this much on the log
// scale (about 10%): a tighter prior would let no campaign differ from the tenant's average.
const MIN_ORDER_VALUE_VARIANCE = 0.01;
// Squared CV of single orders when the tenant's data cannot tell (a moderately heavy tail), and
// the most it may be taken to be.
const DEFAULT_CV2 = 1.5;
const MAX_CV2 = 25;
const MIN_DISPERSION_DOF = 30;
// With no data at all: mean order value 100 (currency units), known to a factor of about 2.
const DEFAULT_LOG_ORDER_VALUE = { mean: Math.log(100), variance: 0.5 };

export function fitOrderValueCv2(dispersion: OrderValueDispersion): number {
  if (dispersion.degreesOfFreedom < MIN_DISPERSION_DOF) return DEFAULT_CV2;
  return Math.min(Math.max(dispersion.sumSquares / dispersion.degreesOfFreedom, 0), MAX_CV2);
}

/**
 * The prior for one portfolio (a tenant, or one channel of it). With too little data it is the
 * neutral prior: a weak one under which a campaign with no data is as likely to lose as to earn.
 */
export function fitPortfolioPrior(campaigns: readonly Evidence[], dispersion: OrderValueDispersion): ModelPrior {
  const cv2 = fitOrderValueCv2(dispersion);
  const withData = campaigns.filter((c) => c.exposure > 0);
  const conversions = withData.reduce((sum, c) => sum + c.conversions, 0);
  const orderValue = fitOrderValuePrior(withData, cv2);
  const neutral = neutralPrior(orderValue, cv2);
  if (withData.length < MIN_CAMPAIGNS || conversions < MIN_CONVERSIONS) return neutral;
  // Each campaign's exposure in units of ROI: its spend over its own mean order value, estimated
  // (shrunk towards the portfolio's) from the orders it reported.
  const roiExposures = withData.map((c) => {
    const logValue = orderValuePosterior(neutral, c);
    return { conversions: c.conversions, exposure: c.exposure / Math.exp(logValue.mean + logValue.variance / 2) };
  });
  return { roi: fitGamma(roiExposures), orderValue, orderValueCv2: cv2 };
}

/** ROI exponential with median 1: as likely to lose as to earn. */
export function neutralPrior(orderValue = DEFAULT_LOG_ORDER_VALUE, cv2 = DEFAULT_CV2): ModelPrior {
  return { roi: { shape: 1, rate: Math.LN2 }, orderValue, orderValueCv2: cv2 };
}

/**
 * Maximum likelihood of the negative binomial (each campaign's conversions, Poisson given its own
 * ROI and exposure, the ROIs Gamma-distributed): for each shape the best rate solves the score
 * equation, and the shape is found by golden-section search on its log.
 */
export function fitGamma(campaigns: readonly { conversions: number; exposure: number }[]): ModelPrior['roi'] {
  const totalConversions = campaigns.reduce((sum, c) => sum + c.conversions, 0);
  const logLikelihood = (shape: number, rate: number) => {
    const perCampaign = shape * Math.log(rate) - gammaln(shape);
    let sum = 0;
    for (const c of campaigns) {
      sum += gammaln(shape + c.conversions) + perCampaign - (shape + c.conversions) * Math.log(rate + c.exposure);
    }
    return sum;
  };
  // The score in u = log(rate) is decreasing in u: Newton's method on it, kept inside a bracket
  // that every step narrows (a step leaving the bracket bisects instead). A few steps each, where
  // bisection alone took 80. The mean ROI (shape / rate) moves little between shapes: each starts
  // from the last one's, at first the portfolio's pooled ROI.
  let logMeanRoi = Math.log(totalConversions / campaigns.reduce((sum, c) => sum + c.exposure, 0));
  const bestRate = (shape: number) => {
    let lo = -30;
    let hi = 30;
    let u = Math.min(Math.max(Math.log(shape) - logMeanRoi, lo), hi);
    for (let i = 0; i < 100; i++) {
      const rate = Math.exp(u);
      let score = 0;
      let slope = 0;
      for (const c of campaigns) {
        const toward = (shape + c.conversions) / (rate + c.exposure);
        score += shape / rate - toward;
        slope += (rate * toward) / (rate + c.exposure) - shape / rate;
      }
      if (score > 0) lo = u;
      else hi = u;
      const newton = u - score / slope;
      const next = slope < 0 && newton > lo && newton < hi ? newton : (lo + hi) / 2;
      const step = Math.abs(next - u);
      u = next;
      if (step < 1e-12 || hi - lo < 1e-12) break;
    }
    logMeanRoi = Math.log(shape) - u;
    return Math.exp(u);
  };
  const profile = (logShape: number) => logLikelihood(Math.exp(logShape), bestRate(Math.exp(logShape)));
  let lo = Math.log(SHAPE_RANGE[0]);
  let hi = Math.log(SHAPE_RANGE[1]);
  const golden = (Math.sqrt(5) - 1) / 2;
  let a = hi - golden * (hi - lo);
  let b = lo + golden * (hi - lo);
  let fa = profile(a);
  let fb = profile(b);
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      lo = a;
      a = b;
      fa = fb;
      b = lo + golden * (hi - lo);
      fb = profile(b);
    } else {
      hi = b;
      b = a;
      fb = fa;
      a = hi - golden * (hi - lo);
      fa = profile(a);
    }
  }
  const shape = Math.exp((lo + hi) / 2);
  return { shape, rate: bestRate(shape) };
}

/**
 * Mean and variance of log mean order value across campaigns. Each campaign's observed log mean
 * order value is its true one plus sampling noise of known variance (log(1 + cv2 / C)); the
 * spread across campaigns is the Paule-Mandel estimate (the variance at which the weighted squared
 * deviations equal their degrees of freedom), and the mean is precision-weighted.
 */
function fitOrderValuePrior(campaigns: readonly Evidence[], cv2: number): ModelPrior['orderValue'] {
  const observed = campaigns
    .filter((c) => c.conversions >= 1 && c.revenue > 0)
    .map((c) => {
      const noise = Math.log1p(cv2 / c.conversions);
      return { value: Math.log(c.revenue / c.conversions) + noise / 2, noise };
    });
  if (observed.length === 0) return DEFAULT_LOG_ORDER_VALUE;
  const weightedMean = (variance: number) => {
    let weights = 0;
    let sum = 0;
    for (const o of observed) {
      const w = 1 / (variance + o.noise);
      weights += w;
      sum += w * o.value;
    }
    return sum / weights;
  };
  if (observed.length < MIN_CAMPAIGNS) {
    // Too few campaigns to measure the spread: centre on them, keep the default spread.
    const variance = DEFAULT_LOG_ORDER_VALUE.variance;
    return { mean: weightedMean(variance), variance };
  }
  const excess = (variance: number) => {
    const mean = weightedMean(variance);
    let q = 0;
    for (const o of observed) q += (o.value - mean) ** 2 / (variance + o.noise);
    return q - (observed.length - 1);
  };
  let lo = MIN_ORDER_VALUE_VARIANCE;
  let hi = 25;
  if (excess(lo) <= 0) hi = lo;
  for (let i = 0; i < 60 && hi - lo > 1e-6; i++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  return { mean: weightedMean(hi), variance: hi };
}
