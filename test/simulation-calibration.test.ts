// Issue 22 point 3: the confidence the engine stores is tested where it can fail. The real engine
// (ingestion, attribution lag, evidence, portfolio prior, guardrails, ledger) runs day by day over
// simulated portfolios whose true ROI is known (simulation/): heavy-tailed order values, low
// volume, conversions reported up to three days late, fatigue, weekday seasonality, three
// portfolio shapes. Every pause and scale it stores, executed or suggested, is binned by its
// confidence and held to how often it was right in truth. The engine before issue 22 (a fixed
// Gamma prior) is scored on the same days and must fail the same check, or the check proves nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { enginePolicy } from '../simulation/engine-policy.ts';
import type { Market, RecordedAction } from '../simulation/market.ts';
import { type CalibrationBin, calibration, outcomeOf } from '../simulation/outcomes.ts';
import { PORTFOLIO_SHAPES, type PortfolioShape } from '../simulation/portfolio.ts';
import { legacyPolicy } from '../simulation/rule-policies.ts';
import { simulate } from '../simulation/simulate.ts';
import { useTestDb } from './support/test-db.ts';

/** Campaigns per portfolio: enough for bins of 100 actions when the three shapes are pooled. */
const CAMPAIGNS = 200;
const DAYS = 30;
const SEED = 7;
const MIN_BIN = 100;
const MAX_OFF_POINTS = 5;

const judged = (bins: readonly CalibrationBin[]) => bins.filter((b) => b.actions >= MIN_BIN);
const worstOff = (bins: readonly CalibrationBin[]) => Math.max(...judged(bins).map((b) => Math.abs(b.offPoints)));
const judgedActions = (market: Market): RecordedAction[] => market.actions.filter((a) => a.confidence !== null);

describe('stored confidence on simulated portfolios (issue 22)', () => {
  const db = useTestDb();
  const engine = new Map<PortfolioShape, Market>();
  const legacy = new Map<PortfolioShape, Market>();

  beforeAll(async () => {
    for (const shape of PORTFOLIO_SHAPES) {
      const spec = { shape, campaigns: CAMPAIGNS, days: DAYS, seed: SEED };
      engine.set(shape, await simulate(spec, enginePolicy(db())));
      legacy.set(shape, await simulate(spec, legacyPolicy()));
    }
  }, 900_000);

  it('is within 5 points of how often it was right, in every bin of 100 actions or more', () => {
    const pooled = calibration([...engine.values()].flatMap(judgedActions));
    // The check must have something to judge: the pooled bins hold most actions.
    expect(judged(pooled).length).toBeGreaterThanOrEqual(2);
    for (const bin of judged(pooled)) {
      expect(Math.abs(bin.offPoints), `pooled bin from ${bin.from}`).toBeLessThanOrEqual(MAX_OFF_POINTS);
    }
    for (const [shape, market] of engine) {
      for (const bin of judged(calibration(judgedActions(market)))) {
        expect(Math.abs(bin.offPoints), `${shape} bin from ${bin.from}`).toBeLessThanOrEqual(MAX_OFF_POINTS);
      }
    }
  });

  it('fails the same check with the fixed prior it replaced', () => {
    const pooled = calibration([...legacy.values()].flatMap(judgedActions));
    expect(judged(pooled).length).toBeGreaterThanOrEqual(1);
    expect(worstOff(pooled)).toBeGreaterThan(MAX_OFF_POINTS);
  });

  it('pauses losing campaigns (85% or more of its pauses) and leaves stars alone', () => {
    for (const [shape, market] of engine) {
      const outcome = outcomeOf(market);
      expect(outcome.pauses, `${shape}: pauses`).toBeGreaterThan(0);
      expect(outcome.pausePrecision, `${shape}: pause precision`).toBeGreaterThanOrEqual(0.85);
      expect(outcome.starsPaused, `${shape}: share of stars paused`).toBeLessThanOrEqual(0.005);
    }
  });
});
