// probabilityBest against references it does not share code with: the exact two-arm integral with
// stdlib's Beta CDF, and a seeded Monte Carlo for more arms.
import betaSampler from '@stdlib/random-base-beta';
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../demo/random.ts';
import { type Arm, probabilityBest, variantsToKill } from './variant-selection.ts';

const posterior = (arm: Arm) => [1 + arm.successes, 1 + arm.trials - arm.successes] as const;

/** P(a's rate > b's rate) = ∫ CDF_b dCDF_a, on 20,000 steps with exact CDF values. */
function exactTwoArms(a: Arm, b: Arm): number {
  const [aa, ab] = posterior(a);
  const [ba, bb] = posterior(b);
  const steps = 20_000;
  let p = 0;
  let previous = 0;
  for (let s = 1; s <= steps; s++) {
    const x = s / steps;
    const current = betaCdf(x, aa, ab);
    p += (current - previous) * betaCdf(x - 0.5 / steps, ba, bb);
    previous = current;
  }
  return p;
}

function monteCarlo(arms: readonly Arm[], draws: number, seed: number): number[] {
  const beta = betaSampler.factory({ prng: createRandom(seed).uniform });
  const wins = arms.map(() => 0);
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestRate = -1;
    arms.forEach((arm, i) => {
      const rate = beta(...posterior(arm));
      if (rate > bestRate) [best, bestRate] = [i, rate];
    });
    wins[best]!++;
  }
  return wins.map((w) => w / draws);
}

const arm = (successes: number, trials: number): Arm => ({ successes, trials });

describe('probabilityBest', () => {
  it('has nothing to compare with fewer than two arms', () => {
    expect(probabilityBest([])).toEqual([]);
    expect(probabilityBest([arm(3, 100)])).toEqual([1]);
  });

  it('splits evenly between equal arms', () => {
    for (const k of [2, 3, 4, 7]) {
      for (const p of probabilityBest(Array.from({ length: k }, () => arm(40, 1000)))) expect(p).toBeCloseTo(1 / k, 9);
    }
    expect(probabilityBest([arm(0, 0), arm(0, 0)])).toEqual([0.5, 0.5]);
  });

  it.each([
    ['4% vs 3.4% on 1,000 sends', arm(40, 1000), arm(34, 1000)],
    ['close rates on unequal samples', arm(200, 5000), arm(45, 1000)],
    ['a narrow posterior beside a wide, skewed one', arm(160, 20_000), arm(1, 200)],
    ['no successes', arm(0, 1000), arm(2, 1000)],
    ['every trial a success', arm(1000, 1000), arm(998, 1000)],
    ['no trials at all', arm(0, 0), arm(3, 10)],
  ])('matches the exact two-arm integral within 0.002: %s', (_, a, b) => {
    const [pa, pb] = probabilityBest([a, b]);
    const exact = exactTwoArms(a, b);
    expect(Math.abs(pa! - exact)).toBeLessThan(0.002);
    expect(Math.abs(pb! - (1 - exact))).toBeLessThan(0.002);
  });

  it('matches a 200,000-draw Monte Carlo within 0.005 for four arms', () => {
    const arms = [arm(84, 2000), arm(95, 2100), arm(80, 1900), arm(170, 4000)];
    const simulated = monteCarlo(arms, 200_000, 20261122);
    const computed = probabilityBest(arms);
    computed.forEach((p, i) => {
      expect(Math.abs(p - simulated[i]!)).toBeLessThan(0.005);
    });
    // Not a trivial case: every arm has a real chance.
    expect(Math.min(...simulated)).toBeGreaterThan(0.1);
  });

  it('is near certain when the arms are clearly apart', () => {
    const [high, low] = probabilityBest([arm(100, 1000), arm(10, 1000)]);
    expect(high).toBeGreaterThan(0.999_999);
    expect(low).toBeLessThan(1e-6);
  });

  it('always sums to 1', () => {
    const random = createRandom(7);
    for (let c = 0; c < 200; c++) {
      const arms = Array.from({ length: random.int(2, 6) }, () => {
        const trials = random.int(0, 20_000);
        return arm(random.binomial(trials, random.uniform() * 0.2), trials);
      });
      const probabilities = probabilityBest(arms);
      expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
      for (const p of probabilities) expect(p).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('variantsToKill', () => {
  const options = { threshold: 0.05, minTrials: 200 };
  const named = (id: string, successes: number, trials: number) => ({ id, successes, trials });

  it('kills a clearly losing variant', () => {
    const verdict = variantsToKill(
      [named('a', 80, 2000), named('b', 80, 2000), named('c', 80, 2000), named('d', 20, 2000)],
      options,
    );
    expect(verdict.kills.map((k) => k.id)).toEqual(['d']);
    expect(verdict.kills[0]!.probabilityBest).toBeLessThan(0.001);
    expect([...verdict.probabilities.keys()]).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps a merely unlucky one', () => {
    const verdict = variantsToKill([named('a', 40, 1000), named('b', 34, 1000)], options);
    expect(verdict.kills).toEqual([]);
    expect(verdict.probabilities.get('b')).toBeGreaterThan(0.05);
  });

  it('judges nothing until every variant has the minimum sends', () => {
    const verdict = variantsToKill([named('a', 80, 2000), named('b', 0, 199)], options);
    expect(verdict).toEqual({ kills: [], probabilities: new Map() });
    expect(variantsToKill([named('a', 80, 2000)], options).kills).toEqual([]);
  });

  it('never kills the best variant, so never the last one', () => {
    // Each of three even arms has P(best) 1/3, below a threshold of 0.4: all but one go.
    const even = variantsToKill([named('a', 40, 1000), named('b', 40, 1000), named('c', 40, 1000)], {
      threshold: 0.4,
      minTrials: 200,
    });
    expect(even.kills).toHaveLength(2);
    const clear = variantsToKill([named('a', 100, 1000), named('b', 10, 1000)], options);
    expect(clear.kills.map((k) => k.id)).toEqual(['b']);
  });
});
