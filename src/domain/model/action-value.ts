// What a pause or a scale is worth under the posterior, over the next week, in money: the engine
// acts when the expected gain beats the expected loss by a margin, and reports both.
//
// Pausing a campaign that spends s a week saves s and forgoes its revenue s x ROI: its value is
// s x (1 - ROI), a gain when the campaign loses money and a loss (revenue forgone from a good
// campaign) when it earns. Scaling adds spend a, which returns a x ROI (returns taken as linear in
// budget): value a x (ROI - 1). Both are split into their expected positive and negative parts.
import type { ExpectedValueRecord } from '../../contract/cycles.ts';
import type { RoiPosterior } from './roi-posterior.ts';

export const HORIZON_DAYS = 7;

export interface ActionValue {
  /** Probability that the action is right (ROI on the side of 1 that makes it pay). */
  confidence: number;
  /** Expected money gained over the horizon where the action is right. */
  expectedGain: number;
  /** Expected money lost over the horizon where it is wrong. */
  expectedLoss: number;
  /** expectedGain - expectedLoss. */
  net: number;
  /** The spend at stake over the horizon (saved by a pause, added by a scale). */
  spendAtStake: number;
}

// E[max(ROI - 1, 0)] = E[ROI] - 1 + E[max(1 - ROI, 0)]: the shortfall once, not twice (it is the
// costliest figure: two Gamma CDFs per quadrature node).
function shortfallAndExcess(posterior: RoiPosterior): { shortfall: number; excess: number } {
  const shortfall = posterior.expectedShortfall(1);
  return { shortfall, excess: posterior.mean() - 1 + shortfall };
}

export function pauseValue(posterior: RoiPosterior, weeklySpend: number): ActionValue {
  const { shortfall, excess } = shortfallAndExcess(posterior);
  const gain = weeklySpend * shortfall;
  const loss = weeklySpend * excess;
  return {
    confidence: posterior.probabilityBelow(1),
    expectedGain: gain,
    expectedLoss: loss,
    net: gain - loss,
    spendAtStake: weeklySpend,
  };
}

export function scaleValue(posterior: RoiPosterior, weeklyAddedSpend: number): ActionValue {
  const { shortfall, excess } = shortfallAndExcess(posterior);
  const gain = weeklyAddedSpend * excess;
  const loss = weeklyAddedSpend * shortfall;
  return {
    confidence: 1 - posterior.probabilityBelow(1),
    expectedGain: gain,
    expectedLoss: loss,
    net: gain - loss,
    spendAtStake: weeklyAddedSpend,
  };
}

/** As the ledger stores it (autonomous_actions.expected_value) and the cycle reports it: cents. */
export function expectedValueRecord(value: ActionValue): ExpectedValueRecord {
  const cents = (x: number) => Math.round(x * 100) / 100;
  return {
    confidence: Math.round(value.confidence * 1e5) / 1e5,
    expected_gain: cents(value.expectedGain),
    expected_loss: cents(value.expectedLoss),
    net: cents(value.net),
    spend_at_stake: cents(value.spendAtStake),
    horizon_days: HORIZON_DAYS,
  };
}
