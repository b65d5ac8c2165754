// The portfolio prior's fit of ROI across campaigns (maximum likelihood of the negative binomial):
// it must find the maximum, not a point near it, and recover a known portfolio from its counts.
// Whether the fitted prior judges real-looking portfolios well is the simulator's test
// (test/simulation-calibration.test.ts).
import gammaln from '@stdlib/math-base-special-gammaln';
import gammaSampler from '@stdlib/random-base-gamma';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../demo/random.ts';
import { fitGamma } from './portfolio-prior.ts';

// Exposure in units of ROI: conversions ~ Poisson(exposure x ROI), ROI ~ Gamma(shape, rate).
function drawPortfolio(count: number, shape: number, rate: number, seed: number) {
  const random = createRandom(seed);
  const gamma = gammaSampler.factory({ prng: random.uniform });
  return Array.from({ length: count }, () => {
    const exposure = 1 + random.uniform() * 60;
    return { exposure, conversions: random.poisson(exposure * gamma(shape, rate)) };
  });
}

function logLikelihood(campaigns: readonly { exposure: number; conversions: number }[], shape: number, rate: number) {
  let sum = 0;
  for (const c of campaigns) {
    sum +=
      gammaln(shape + c.conversions) -
      gammaln(shape) +
      shape * Math.log(rate) -
      (shape + c.conversions) * Math.log(rate + c.exposure);
  }
  return sum;
}

describe('fitGamma', () => {
  const campaigns = drawPortfolio(3000, 2.5, 2, 20261206);
  const fitted = fitGamma(campaigns);

  it('recovers the portfolio it was drawn from', () => {
    expect(fitted.shape).toBeGreaterThan(2.5 * 0.8);
    expect(fitted.shape).toBeLessThan(2.5 * 1.2);
    expect(fitted.shape / fitted.rate).toBeGreaterThan(1.25 * 0.95);
    expect(fitted.shape / fitted.rate).toBeLessThan(1.25 * 1.05);
  });

  it('is the maximum of the likelihood: no nearby shape or rate does better', () => {
    const best = logLikelihood(campaigns, fitted.shape, fitted.rate);
    for (const shapeStep of [0.99, 1, 1.01]) {
      for (const rateStep of [0.99, 1, 1.01]) {
        if (shapeStep === 1 && rateStep === 1) continue;
        expect(logLikelihood(campaigns, fitted.shape * shapeStep, fitted.rate * rateStep)).toBeLessThan(best);
      }
    }
  });

  it('finds the same maximum whatever the scale of the exposures', () => {
    // A tenant's exposures can be in cents or in millions: the rate scales with them, the shape not.
    const scaled = fitGamma(campaigns.map((c) => ({ ...c, exposure: c.exposure * 1e4 })));
    expect(scaled.shape).toBeCloseTo(fitted.shape, 4);
    expect(scaled.rate / 1e4).toBeCloseTo(fitted.rate, 4);
  });
});
