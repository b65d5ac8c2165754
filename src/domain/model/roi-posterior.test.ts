// The posterior's arithmetic (quadrature over the order value, the count's likelihood weighting
// it, the Gamma integrals): on campaigns drawn from the model itself, P(ROI < 1) must match how
// often ROI < 1, and the expected shortfall and mean must match their sample averages. This checks
// the mathematics only; whether the model fits real portfolios is the simulator's test
// (test/simulation-calibration.test.ts).
import gammaSampler from '@stdlib/random-base-gamma';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../demo/random.ts';
import { type ModelPrior, RoiPosterior } from './roi-posterior.ts';

const PRIOR: ModelPrior = {
  roi: { shape: 3, rate: 2.5 },
  orderValue: { mean: Math.log(60), variance: 1 },
  orderValueCv2: 1.2,
};

function drawCampaigns(count: number, seed: number) {
  const random = createRandom(seed);
  const gamma = gammaSampler.factory({ prng: random.uniform });
  const orderSigma = Math.sqrt(Math.log1p(PRIOR.orderValueCv2));
  return Array.from({ length: count }, () => {
    const roi = gamma(PRIOR.roi.shape, PRIOR.roi.rate);
    const meanOrder = random.lognormal(Math.exp(PRIOR.orderValue.mean), Math.sqrt(PRIOR.orderValue.variance));
    const exposure = 20 + random.uniform() * 1000;
    const conversions = random.poisson((exposure * roi) / meanOrder);
    let revenue = 0;
    for (let i = 0; i < conversions; i++) {
      revenue += random.lognormal(meanOrder * Math.exp(-(orderSigma ** 2) / 2), orderSigma);
    }
    return { roi, posterior: new RoiPosterior(PRIOR, { exposure, conversions, revenue }) };
  });
}

describe('RoiPosterior on data drawn from its own model', () => {
  const campaigns = drawCampaigns(5000, 20261206);

  it('P(ROI < 1) is right as often as it says, bin by bin', () => {
    const bins = Map.groupBy(campaigns, (c) => Math.min(Math.floor(c.posterior.probabilityBelow(1) * 10), 9));
    expect(bins.size).toBe(10);
    for (const members of bins.values()) {
      const said = members.reduce((sum, c) => sum + c.posterior.probabilityBelow(1), 0) / members.length;
      const seen = members.filter((c) => c.roi < 1).length / members.length;
      const tolerance = 3 * Math.sqrt((said * (1 - said)) / members.length) + 0.01;
      expect(Math.abs(seen - said)).toBeLessThan(tolerance);
    }
  });

  it('the mean, the variance and the expected shortfall below 1 match their averages in truth', () => {
    const average = (f: (c: (typeof campaigns)[number]) => number) =>
      campaigns.reduce((sum, c) => sum + f(c), 0) / campaigns.length;
    expect(average((c) => c.posterior.mean())).toBeCloseTo(
      average((c) => c.roi),
      1,
    );
    expect(average((c) => c.posterior.expectedShortfall(1))).toBeCloseTo(
      average((c) => Math.max(1 - c.roi, 0)),
      1,
    );
    // E[ROI^2] = Var + mean^2, averaged over campaigns, against the true ROIs' squares.
    expect(average((c) => c.posterior.variance() + c.posterior.mean() ** 2)).toBeCloseTo(
      average((c) => c.roi ** 2),
      1,
    );
  });

  it('one large order does not make a star, and more of the same evidence makes it surer', () => {
    // A portfolio whose order values are known to within about 50%, typical value 60: $1,000 and
    // 10 orders is ROI 0.6; one of them worth 2,000 instead.
    const prior = { ...PRIOR, orderValue: { mean: Math.log(60), variance: 0.3 } };
    const typical = new RoiPosterior(prior, { exposure: 1000, conversions: 10, revenue: 600 });
    const lucky = new RoiPosterior(prior, { exposure: 1000, conversions: 10, revenue: 2540 });
    expect(lucky.mean()).toBeLessThan(2);
    expect(lucky.probabilityBelow(1)).toBeGreaterThan(0.1);
    const tenTimes = new RoiPosterior(prior, { exposure: 10_000, conversions: 100, revenue: 6000 });
    expect(tenTimes.probabilityBelow(1)).toBeGreaterThan(typical.probabilityBelow(1));
    expect(tenTimes.probabilityBelow(1)).toBeGreaterThan(0.99);
  });

  it('judges a portfolio of fixed-price orders (no spread at all) with finite figures', () => {
    const fixedPrice = { ...PRIOR, orderValueCv2: 0 };
    const posterior = new RoiPosterior(fixedPrice, { exposure: 600, conversions: 6, revenue: 300 });
    // Six orders of exactly 50 on 600: ROI 0.5 observed, pulled towards the prior's mean of 1.2.
    expect(posterior.mean()).toBeGreaterThan(0.5);
    expect(posterior.mean()).toBeLessThan(1.2);
    expect(posterior.probabilityBelow(1)).toBeGreaterThan(0.5);
    expect(posterior.probabilityBelow(1)).toBeLessThan(1);
    expect(Number.isFinite(posterior.expectedShortfall(1))).toBe(true);
  });
});
