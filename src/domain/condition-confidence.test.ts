// The confidence of notify and post rules: rate terms calibrated on data drawn from the model,
// ROI terms judged by the tenant's ROI model, measured totals taken as facts, and terms combined
// as the rule's match says.
import { describe, expect, it } from 'vitest';
import type { Term } from '../contract/rules.ts';
import { createRandom } from '../demo/random.ts';
import {
  conditionProbability,
  type RoiBelow,
  termProbability,
  type WindowedTotals,
  type WindowTotals,
} from './condition-confidence.ts';
import { PortfolioModel } from './model/portfolio-model.ts';

const empty: WindowTotals = {
  spend: 0,
  exposure: 0,
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

const noRoiTerm: RoiBelow = () => {
  throw new Error('this condition has no ROI term');
};

describe('condition confidence', () => {
  it('a rate term is calibrated: of terms scored ~p, about p truly hold', () => {
    const random = createRandom(20261122);
    const bins = new Map<number, { scores: number[]; right: number }>();
    for (let i = 0; i < 8000; i++) {
      // The model's uniform prior on the true rate, and a binomial count of successes.
      const trueCtr = random.uniform();
      const impressions = 5 + Math.floor(random.uniform() * 60);
      const clicks = random.binomial(impressions, trueCtr);
      const score = termProbability(term('ctr', '>', 0.3), { ...empty, impressions, clicks }, noRoiTerm);
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
      termProbability(term('ctr', '>', 0.02), { ...empty, impressions, clicks: impressions * 0.03 }, noRoiTerm);
    expect(ctr(300)).toBeLessThan(ctr(3_000));
    expect(ctr(3_000)).toBeLessThan(ctr(30_000));
    expect(ctr(30_000)).toBeGreaterThan(0.999);
  });

  it('scores costs by their posterior and measured totals as facts', () => {
    const cpaAbove50 = (spend: number, conversions: number) =>
      termProbability(term('cpa', '>', 50), { ...empty, spend, exposure: spend, conversions }, noRoiTerm);
    expect(cpaAbove50(600, 4)).toBeGreaterThan(0.95); // CPA 150 on 4 conversions
    expect(cpaAbove50(150, 1)).toBeLessThan(cpaAbove50(600, 4)); // the same CPA on 1 conversion
    expect(cpaAbove50(0, 0)).toBe(0.5); // nothing spent: no evidence either way
    expect(termProbability(term('spend', '>=', 100), { ...empty, spend: 120 }, noRoiTerm)).toBe(1);
    expect(termProbability(term('spend', '>=', 100), { ...empty, spend: 80 }, noRoiTerm)).toBe(0);
    expect(termProbability(term('ctr', '=', 0.5), { ...empty, impressions: 2, clicks: 1 }, noRoiTerm)).toBe(1);
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
    const p = termProbability(ctrUnsure, windows['7d'], noRoiTerm);
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.8);
    expect(conditionProbability({ match: 'all', terms: [spendHolds, ctrUnsure] }, windows, noRoiTerm)).toBeCloseTo(
      p,
      10,
    );
    expect(conditionProbability({ match: 'all', terms: [ctrUnsure, ctrUnsure] }, windows, noRoiTerm)).toBeCloseTo(
      p * p,
      10,
    );
    expect(conditionProbability({ match: 'any', terms: [ctrUnsure, ctrUnsure] }, windows, noRoiTerm)).toBeCloseTo(
      1 - (1 - p) ** 2,
      10,
    );
  });

  it('judges an ROI term by the portfolio model: one large order does not make a winner', () => {
    // A portfolio of 60 campaigns with ROI 0.6 to 1.8 and orders of about 50.
    const random = createRandom(20261207);
    const model = new PortfolioModel(
      Array.from({ length: 60 }, () => {
        const exposure = 500 + random.uniform() * 1500;
        const conversions = Math.round((exposure * (0.6 + random.uniform() * 1.2)) / 50);
        return {
          channel: 'google_ads',
          exposure,
          conversions,
          revenue: conversions * 50,
          dispersionSumSquares: 0,
          dispersionDof: 0,
        };
      }),
    );
    const roiBelow: RoiBelow = (w, threshold) =>
      model
        .posterior('google_ads', { exposure: w.exposure, conversions: w.conversions, revenue: w.revenue })
        .probabilityBelow(threshold);
    const winner = term('roi', '>=', 3);
    // ROI 6 observed, on a single order twelve times the portfolio's typical one.
    const lucky = termProbability(
      winner,
      { ...empty, spend: 100, exposure: 100, conversions: 1, revenue: 600 },
      roiBelow,
    );
    // ROI 4 on 600 orders of the typical value (the portfolio's spread pulls a short record back).
    const proven = termProbability(
      winner,
      { ...empty, spend: 7500, exposure: 7500, conversions: 600, revenue: 30000 },
      roiBelow,
    );
    expect(lucky).toBeLessThan(0.1);
    expect(proven).toBeGreaterThan(0.95);
    // Judged on the spend behind the conversions reported so far: half of them still to come.
    const halfReported = termProbability(
      winner,
      { ...empty, spend: 15000, exposure: 7500, conversions: 600, revenue: 30000 },
      roiBelow,
    );
    expect(halfReported).toBeCloseTo(proven, 10);
  });
});
