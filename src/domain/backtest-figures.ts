// The money a backtest reports (docs/backtest.md): what each replayed pause or scale would have
// changed, judged on what the campaign really recorded after the action day, added up per rule and
// in total. Pure arithmetic on integer cents: amounts are numeric(16, 2) in the database, and a sum
// of binary floating-point dollars drifts by fractions of a cent; cents are exact in a JS number up
// to 2^53 (90 trillion dollars).
//
// - A pause saves the spend the campaign went on to record and forgoes the revenue it went on to
//   earn, within the horizon.
// - A scale adds the budget's added share (added / the budget the stats were recorded on) of that
//   spend and of that revenue: returns are taken as linear in budget, as the engine's expected
//   value takes them (src/domain/model/action-value.ts).
// - net = (spend saved - revenue forgone) + (revenue gained - spend added): what the rule's
//   actions would have made over doing nothing. A negative net is flagged.
// - A pause hit a campaign that later proved good when its recorded ROI over the horizon was >= 1;
//   a scale hit one that later proved bad when it was < 1. With fewer than MIN_VERDICT_DAYS days of
//   spend in the horizon (an action near the end of the data, or a campaign that stopped), the
//   verdict is undetermined: a day or two of stats, their conversions still arriving, prove little.

import type { BacktestFigures, RuleFigures } from '../contract/backtest.ts';

export const MIN_VERDICT_DAYS = 3;

export interface ActionOutcome {
  ruleName: string;
  kind: 'pause' | 'scale';
  /** Scale only: budget added by the action, and the budget the recorded stats ran on (cents). */
  budgetAddedCents: number;
  recordedBudgetCents: number;
  /** What the campaign recorded in the horizon after the action day. */
  laterSpendCents: number;
  laterRevenueCents: number;
  /** Days in the horizon on which it spent. */
  laterDays: number;
}

export type Verdict = 'right' | 'wrong' | 'undetermined';

/** Whether the campaign's recorded ROI after the action bore the action out. */
export function verdict(outcome: ActionOutcome): Verdict {
  if (outcome.laterDays < MIN_VERDICT_DAYS || outcome.laterSpendCents <= 0) return 'undetermined';
  const earned = outcome.laterRevenueCents >= outcome.laterSpendCents;
  return (outcome.kind === 'pause') === earned ? 'wrong' : 'right';
}

/** `cents` x numerator / denominator, rounded half away from zero, exact (BigInt). */
export function shareOf(cents: number, numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  const product = BigInt(cents) * BigInt(numerator);
  const d = BigInt(denominator);
  const sign = product < 0n ? -1n : 1n;
  return Number((sign * (sign * product * 2n + d)) / (2n * d));
}

interface Tally {
  paused: number;
  scaled: number;
  saved: number;
  forgone: number;
  added: number;
  gained: number;
  provedGood: number;
  provedBad: number;
  undetermined: number;
}

const emptyTally = (): Tally => ({
  paused: 0,
  scaled: 0,
  saved: 0,
  forgone: 0,
  added: 0,
  gained: 0,
  provedGood: 0,
  provedBad: 0,
  undetermined: 0,
});

function count(tally: Tally, outcome: ActionOutcome): void {
  const judged = verdict(outcome);
  if (judged === 'undetermined') tally.undetermined++;
  if (outcome.kind === 'pause') {
    tally.paused++;
    tally.saved += outcome.laterSpendCents;
    tally.forgone += outcome.laterRevenueCents;
    if (judged === 'wrong') tally.provedGood++;
  } else {
    tally.scaled++;
    tally.added += shareOf(outcome.laterSpendCents, outcome.budgetAddedCents, outcome.recordedBudgetCents);
    tally.gained += shareOf(outcome.laterRevenueCents, outcome.budgetAddedCents, outcome.recordedBudgetCents);
    if (judged === 'wrong') tally.provedBad++;
  }
}

const money = (cents: number) => cents / 100;

function figures(tally: Tally): BacktestFigures {
  const net = tally.saved - tally.forgone + tally.gained - tally.added;
  return {
    campaigns_paused: tally.paused,
    campaigns_scaled: tally.scaled,
    spend_saved: money(tally.saved),
    revenue_forgone: money(tally.forgone),
    spend_added: money(tally.added),
    revenue_gained: money(tally.gained),
    net: money(net),
    net_negative: net < 0,
    paused_proved_good: tally.provedGood,
    scaled_proved_bad: tally.provedBad,
    undetermined: tally.undetermined,
  };
}

/** Per rule (in the order the rules first acted) and in total. */
export function backtestFigures(outcomes: readonly ActionOutcome[]): { rules: RuleFigures[]; total: BacktestFigures } {
  const byRule = new Map<string, Tally>();
  const total = emptyTally();
  for (const outcome of outcomes) {
    const tally = byRule.get(outcome.ruleName) ?? emptyTally();
    byRule.set(outcome.ruleName, tally);
    count(tally, outcome);
    count(total, outcome);
  }
  return {
    rules: [...byRule].map(([rule_name, tally]) => ({ rule_name, ...figures(tally) })),
    total: figures(total),
  };
}
