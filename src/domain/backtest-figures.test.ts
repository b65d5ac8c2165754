import { describe, expect, it } from 'vitest';
import { type ActionOutcome, backtestFigures, MIN_VERDICT_DAYS, shareOf, verdict } from './backtest-figures.ts';

const pause = (ruleName: string, spend: number, revenue: number, days = 7): ActionOutcome => ({
  ruleName,
  kind: 'pause',
  budgetAddedCents: 0,
  recordedBudgetCents: 0,
  laterSpendCents: spend,
  laterRevenueCents: revenue,
  laterDays: days,
});
const scale = (ruleName: string, added: number, budget: number, spend: number, revenue: number, days = 7) => ({
  ...pause(ruleName, spend, revenue, days),
  kind: 'scale' as const,
  budgetAddedCents: added,
  recordedBudgetCents: budget,
});

describe('backtest verdicts', () => {
  it('calls a pause wrong when the campaign later earned ROI >= 1, a scale when it later lost', () => {
    expect(verdict(pause('p', 10_000, 20_000))).toBe('wrong');
    expect(verdict(pause('p', 10_000, 10_000))).toBe('wrong');
    expect(verdict(pause('p', 10_000, 9_999))).toBe('right');
    expect(verdict(scale('s', 5_000, 10_000, 10_000, 9_999))).toBe('wrong');
    expect(verdict(scale('s', 5_000, 10_000, 10_000, 10_000))).toBe('right');
  });

  it('leaves it undetermined with too few days of later spend, or none', () => {
    expect(verdict(pause('p', 10_000, 30_000, MIN_VERDICT_DAYS - 1))).toBe('undetermined');
    expect(verdict(pause('p', 10_000, 30_000, MIN_VERDICT_DAYS))).toBe('wrong');
    expect(verdict(pause('p', 0, 500, 5))).toBe('undetermined');
  });
});

describe('shareOf', () => {
  it('rounds half away from zero, exactly, far beyond float precision', () => {
    expect(shareOf(1_001, 1, 2)).toBe(501);
    expect(shareOf(1_003, 1, 3)).toBe(334);
    expect(shareOf(-1_001, 1, 2)).toBe(-501);
    expect(shareOf(1_000, 0, 5_000)).toBe(0);
    expect(shareOf(1_000, 5, 0)).toBe(0);
    // 9e15 cents x 3 / 7: the float product 2.7e16 is past 2^53.
    expect(shareOf(9_000_000_000_000_001, 3, 7)).toBe(3_857_142_857_142_858);
  });
});

describe('backtestFigures', () => {
  it('adds up per rule and in total, net = saved - forgone + gained - added, in exact cents', () => {
    const { rules, total } = backtestFigures([
      // A loser paused: $320 saved, $96 forgone.
      pause('Pause', 32_000, 9_600),
      // A campaign that later earned ROI 2 paused: it proves good, and costs $100 net.
      pause('Pause', 10_000, 20_000),
      // Budget 100 -> 150 on stats recorded at 100: half the later $400 / $1,600 again.
      scale('Scale', 5_000, 10_000, 40_000, 160_000),
      // 0.1 + 0.2 is not 0.3 in floats; in cents it is.
      pause('Dimes', 10, 0, 1),
      pause('Dimes', 20, 0, 1),
    ]);
    expect(rules).toEqual([
      {
        rule_name: 'Pause',
        campaigns_paused: 2,
        campaigns_scaled: 0,
        spend_saved: 420,
        revenue_forgone: 296,
        spend_added: 0,
        revenue_gained: 0,
        net: 124,
        net_negative: false,
        paused_proved_good: 1,
        scaled_proved_bad: 0,
        undetermined: 0,
      },
      {
        rule_name: 'Scale',
        campaigns_paused: 0,
        campaigns_scaled: 1,
        spend_saved: 0,
        revenue_forgone: 0,
        spend_added: 200,
        revenue_gained: 800,
        net: 600,
        net_negative: false,
        paused_proved_good: 0,
        scaled_proved_bad: 0,
        undetermined: 0,
      },
      expect.objectContaining({ rule_name: 'Dimes', spend_saved: 0.3, net: 0.3, undetermined: 2 }),
    ]);
    expect(total).toEqual({
      campaigns_paused: 4,
      campaigns_scaled: 1,
      spend_saved: 420.3,
      revenue_forgone: 296,
      spend_added: 200,
      revenue_gained: 800,
      net: 724.3,
      net_negative: false,
      paused_proved_good: 1,
      scaled_proved_bad: 0,
      undetermined: 2,
    });
  });

  it('flags a rule whose net is negative: a pause of a campaign that went on to earn ROI 2', () => {
    const { rules, total } = backtestFigures([pause('Eager pause', 50_000, 100_000)]);
    expect(rules[0]).toMatchObject({ net: -500, net_negative: true, paused_proved_good: 1 });
    expect(total).toMatchObject({ net: -500, net_negative: true });
  });

  it('flags a scale of a campaign that went on to lose money', () => {
    const { rules } = backtestFigures([scale('Scale', 10_000, 10_000, 30_000, 15_000)]);
    expect(rules[0]).toMatchObject({
      spend_added: 300,
      revenue_gained: 150,
      net: -150,
      net_negative: true,
      scaled_proved_bad: 1,
    });
  });

  it('reports zeros and no rules when nothing acted', () => {
    expect(backtestFigures([])).toEqual({
      rules: [],
      total: {
        campaigns_paused: 0,
        campaigns_scaled: 0,
        spend_saved: 0,
        revenue_forgone: 0,
        spend_added: 0,
        revenue_gained: 0,
        net: 0,
        net_negative: false,
        paused_proved_good: 0,
        scaled_proved_bad: 0,
        undetermined: 0,
      },
    });
  });
});
