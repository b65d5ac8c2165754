// Calibration: on campaigns drawn from the model the formula assumes, with known true ROI, the
// actions scored ~p must be right about p of the time.
import gammaSampler from '@stdlib/random-base-gamma';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../demo/random.ts';
import { actionConfidence, probabilityRoiBelow } from './confidence.ts';

const ORDER_VALUE = 100;

function simulate(count: number, seed: number) {
  const random = createRandom(seed);
  const gamma = gammaSampler.factory({ prng: random.uniform });
  return Array.from({ length: count }, () => {
    // True conversions per unit of spend from the prior: mean ROI 1 at this order value.
    const rate = gamma(1, ORDER_VALUE);
    const spend = 50 + random.uniform() * 1950;
    const conversions = random.poisson(spend * rate);
    return {
      trueRoi: rate * ORDER_VALUE,
      evidence: { spend, revenue: conversions * ORDER_VALUE, conversions, priorOrderValue: ORDER_VALUE },
    };
  });
}

describe('confidence calibration', () => {
  const campaigns = simulate(6000, 20261121);

  it.each(['pause', 'scale'] as const)(
    '%s confidence is calibrated: in each bin, the share that is right matches the score',
    (kind) => {
      const bins = new Map<number, { scores: number[]; right: number }>();
      for (const c of campaigns) {
        const score = actionConfidence(kind, c.evidence);
        if (score < 0.5) continue; // an action is only proposed when it is more likely right than wrong
        const bin = Math.min(Math.floor(score * 10), 9);
        const entry = bins.get(bin) ?? { scores: [], right: 0 };
        entry.scores.push(score);
        if (kind === 'pause' ? c.trueRoi < 1 : c.trueRoi > 1) entry.right++;
        bins.set(bin, entry);
      }
      const checked = [...bins.entries()].filter(([, e]) => e.scores.length >= 150);
      expect(checked.map(([bin]) => bin)).toContain(8); // scores ~0.8 are common enough to test
      for (const [, e] of checked) {
        const meanScore = e.scores.reduce((a, b) => a + b, 0) / e.scores.length;
        const observed = e.right / e.scores.length;
        // Three standard errors of a proportion on this many campaigns.
        const tolerance = 3 * Math.sqrt((meanScore * (1 - meanScore)) / e.scores.length) + 0.01;
        expect(Math.abs(observed - meanScore)).toBeLessThan(tolerance);
      }
    },
  );

  it('grows more certain with more evidence at the same observed ROI', () => {
    const at = (spend: number, conversions: number) =>
      probabilityRoiBelow({ spend, revenue: conversions * 40, conversions, priorOrderValue: 100 }, 1);
    // Observed ROI 0.8 on 2, 20 and 200 conversions.
    expect(at(100, 2)).toBeLessThan(at(1000, 20));
    expect(at(1000, 20)).toBeLessThan(at(10_000, 200));
    expect(at(10_000, 200)).toBeGreaterThan(0.99);
  });
});
