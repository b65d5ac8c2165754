// The confidence of notify and post rules: rate terms calibrated on data drawn from the model,
// measured totals taken as facts, and terms combined as the rule's match says.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../demo/random.ts';
import {
  conditionProbability,
  termProbability,
  type WindowedTotals,
  type WindowTotals,
} from './condition-confidence.ts';
import type { Term } from './rules.ts';

const empty: WindowTotals = {
  spend: 0,
  revenue: 0,
  impressions: 0,
  clicks: 0,
  conversions: 0,
  sends: 0,
  replies: 0,
  meetings: 0,
};
const term = (
  metric: Term['metric'],
  operator: Term['operator'],
  threshold: number,
  window: Term['window'] = 'lifetime',
) => ({
  metric,
  operator,
  threshold,
  window,
});

describe('condition confidence', () => {
  it('a rate term is calibrated: of terms scored ~p, about p truly hold', () => {
    const random = createRandom(20261122);
    const bins = new Map<number, { scores: number[]; right: number }>();
    for (let i = 0; i < 8000; i++) {
      // The model's uniform prior on the true rate, and a binomial count of successes.
      const trueCtr = random.uniform();
      const impressions = 5 + Math.floor(random.uniform() * 60);
      const clicks = random.binomial(impressions, trueCtr);
      const score = termProbability(term('ctr', '>', 0.3), { ...empty, impressions, clicks }, 0);
      const bin = Math.min(Math.floor(score * 10), 9);
      const entry = bins.get(bin) ?? { scores: [], right: 0 };
      entry.scores.push(score);
      if (trueCtr > 0.3) entry.right++;
      bins.set(bin, entry);
    }
    const checked = [...bins.entries()].filter(([, e]) => e.scores.length >= 150);
    expect(checked.map(([bin]) => bin)).toContain(8);
    for (const [, e] of checked) {
      const meanScore = e.scores.reduce((a, b) => a + b, 0) / e.scores.length;
      const tolerance = 3 * Math.sqrt((meanScore * (1 - meanScore)) / e.scores.length) + 0.01;
      expect(Math.abs(e.right / e.scores.length - meanScore)).toBeLessThan(tolerance);
    }
  });

  it('grows more certain with more evidence at the same observed rate', () => {
    const ctr = (impressions: number) =>
      termProbability(term('ctr', '>', 0.02), { ...empty, impressions, clicks: impressions * 0.03 }, 0);
    expect(ctr(300)).toBeLessThan(ctr(3_000));
    expect(ctr(3_000)).toBeLessThan(ctr(30_000));
    expect(ctr(30_000)).toBeGreaterThan(0.999);
  });

  it('scores costs by their posterior and measured totals as facts', () => {
    const cpaAbove50 = (spend: number, conversions: number) =>
      termProbability(term('cpa', '>', 50), { ...empty, spend, conversions }, 0);
    expect(cpaAbove50(600, 4)).toBeGreaterThan(0.95); // CPA 150 on 4 conversions
    expect(cpaAbove50(150, 1)).toBeLessThan(cpaAbove50(600, 4)); // the same CPA on 1 conversion
    expect(cpaAbove50(0, 0)).toBe(0.5); // nothing spent: no evidence either way
    expect(termProbability(term('spend', '>=', 100), { ...empty, spend: 120 }, 0)).toBe(1);
    expect(termProbability(term('spend', '>=', 100), { ...empty, spend: 80 }, 0)).toBe(0);
    expect(termProbability(term('ctr', '=', 0.5), { ...empty, impressions: 2, clicks: 1 }, 0)).toBe(1);
  });

  it("combines terms: 'all' multiplies, 'any' is one minus none holding", () => {
    const windows = Object.fromEntries(
      ['lifetime', '24h', '48h', '7d', 'prev_7d'].map((w) => [
        w,
        { ...empty, spend: 120, impressions: 100, clicks: 3 },
      ]),
    ) as WindowedTotals;
    const spendHolds = term('spend', '>', 100);
    const ctrUnsure = term('ctr', '>', 0.03, '7d');
    const p = termProbability(ctrUnsure, windows['7d'], 0);
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.8);
    expect(conditionProbability({ match: 'all', terms: [spendHolds, ctrUnsure] }, windows, 0)).toBeCloseTo(p, 10);
    expect(conditionProbability({ match: 'all', terms: [ctrUnsure, ctrUnsure] }, windows, 0)).toBeCloseTo(p * p, 10);
    expect(conditionProbability({ match: 'any', terms: [ctrUnsure, ctrUnsure] }, windows, 0)).toBeCloseTo(
      1 - (1 - p) ** 2,
      10,
    );
  });
});
