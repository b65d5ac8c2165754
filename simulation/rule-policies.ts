// The policies the engine is compared with on the same simulated data, evaluated in memory on
// what has been reported (as the engine sees it):
//   nothing - never acts (the baseline every gain is measured against);
//   seeds   - the seeds' four rules at their fixed thresholds, acting whenever a rule matches
//             (Low ROI Pause needing both 48 h and lifetime ROI below 1, hours counted on the clock);
//   legacy  - the engine before issue 22: the same rules, with its fixed Gamma(1, V0) prior scoring
//             every action and scales gated at 0.75 (legacy-prior.ts);
//   oracle  - today's default rules, acting on a match only when the true ROI says the action pays.
import { legacyProbabilityRoiBelow } from './legacy-prior.ts';
import type { Market, Policy, SimAction } from './market.ts';
import { trueRoi } from './portfolio.ts';

interface Windows {
  lifetime: { spend: number; revenue: number; conversions: number };
  last48h: { spend: number; revenue: number; conversions: number };
  hoursRunning: number;
}

interface SimRule {
  name: string;
  kind: 'pause' | 'scale';
  /** Rules are tried highest first; the first that acts wins the campaign for the day. */
  priority: number;
  matches(w: Windows): boolean;
  multiplier?: number;
}

const roi = (t: { spend: number; revenue: number }) => (t.spend > 0 ? t.revenue / t.spend : Number.NaN);
const MIN_SPEND = 50;

function defaultRules(lowRoiNeedsLifetime: boolean): SimRule[] {
  return [
    {
      name: 'Critical ROI Pause',
      kind: 'pause',
      priority: 100,
      matches: (w) => w.hoursRunning >= 24 && w.lifetime.spend >= MIN_SPEND && roi(w.lifetime) < 0.5,
    },
    {
      name: 'Low ROI Pause',
      kind: 'pause',
      priority: 90,
      matches: (w) =>
        w.hoursRunning >= 48 &&
        w.lifetime.spend >= MIN_SPEND &&
        roi(w.last48h) < 1 &&
        (!lowRoiNeedsLifetime || roi(w.lifetime) < 1),
    },
    {
      name: 'Exceptional ROI Aggressive Scale',
      kind: 'scale',
      priority: 85,
      multiplier: 2,
      matches: (w) => w.hoursRunning >= 24 && w.lifetime.conversions >= 10 && roi(w.lifetime) >= 4,
    },
    {
      name: 'High ROI Scale',
      kind: 'scale',
      priority: 80,
      multiplier: 1.5,
      matches: (w) => w.hoursRunning >= 24 && w.lifetime.conversions >= 10 && roi(w.lifetime) >= 3,
    },
  ];
}

export interface RulePolicyOptions {
  /** Pause rules only (the pause side's own worth). */
  pauseOnly?: boolean;
}

type Judge = (market: Market, campaign: number, day: number, rule: SimRule, w: Windows) => SimAction | null;

function rulePolicy(name: string, rules: SimRule[], judge: Judge, options: RulePolicyOptions): Policy {
  const active = rules.filter((r) => !options.pauseOnly || r.kind === 'pause').sort((a, b) => b.priority - a.priority);
  const lastScaled = new Map<number, number>();
  return {
    name,
    async decide(market, day) {
      const actions: SimAction[] = [];
      for (const c of market.campaigns) {
        if (!market.launched(c, day) || market.status[c.index] !== 'active') continue;
        // One budget change a day at most (the 24 h cooldown).
        const w = windowsOf(market, c.index, day);
        for (const rule of active) {
          if (rule.kind === 'scale' && lastScaled.get(c.index) === day - 1) continue;
          if (!rule.matches(w)) continue;
          const action = judge(market, c.index, day, rule, w);
          if (!action) continue;
          if (action.kind === 'scale') lastScaled.set(c.index, day);
          actions.push(action);
          break;
        }
      }
      return actions;
    },
  };
}

function windowsOf(market: Market, campaign: number, day: number): Windows {
  const c = market.campaigns[campaign]!;
  return {
    lifetime: market.totals(campaign, c.launchDay, day, day),
    last48h: market.totals(campaign, day - 1, day, day),
    // The cycle runs at 23:30; campaigns start at midnight of their launch day.
    hoursRunning: (day - c.launchDay) * 24 + 23.5,
  };
}

const act = (market: Market, campaign: number, rule: SimRule, confidence: number | null): SimAction => ({
  campaign,
  kind: rule.kind,
  mode: 'execute',
  confidence,
  rule: rule.name,
  budget: rule.kind === 'scale' ? Math.round(market.budget[campaign]! * (rule.multiplier ?? 1) * 100) / 100 : undefined,
});

export function nothingPolicy(): Policy {
  return { name: 'nothing', decide: async () => [] };
}

export function seedsPolicy(options: RulePolicyOptions = {}): Policy {
  return rulePolicy('seeds', defaultRules(true), (m, c, _day, rule) => act(m, c, rule, null), options);
}

export function legacyPolicy(options: RulePolicyOptions = {}): Policy {
  // The old prior's scale: the tenant's revenue per conversion as reported, once a day.
  const orderValue = { day: Number.NaN, value: 0 };
  const tenantOrderValue = (market: Market, day: number) => {
    if (orderValue.day === day) return orderValue.value;
    let revenue = 0;
    let conversions = 0;
    for (const c of market.campaigns) {
      const t = market.totals(c.index, c.launchDay, day, day);
      revenue += t.revenue;
      conversions += t.conversions;
    }
    orderValue.day = day;
    orderValue.value = conversions > 0 ? revenue / conversions : 0;
    return orderValue.value;
  };
  return rulePolicy(
    'legacy',
    defaultRules(true),
    (market, campaign, day, rule, w) => {
      const priorOrderValue = tenantOrderValue(market, day);
      const losing = legacyProbabilityRoiBelow({ ...w.lifetime, priorOrderValue }, 1);
      if (rule.kind === 'scale' && 1 - losing < 0.75) return null;
      return act(market, campaign, rule, rule.kind === 'pause' ? losing : 1 - losing);
    },
    options,
  );
}

export function oraclePolicy(options: RulePolicyOptions = {}): Policy {
  return rulePolicy(
    'oracle',
    defaultRules(false),
    (market, campaign, day, rule) => {
      const c = market.campaigns[campaign]!;
      const budget = market.budget[campaign]!;
      const now = trueRoi(c, day, budget);
      if (rule.kind === 'pause') return now < 1 ? act(market, campaign, rule, 1) : null;
      const next = budget * (rule.multiplier ?? 1);
      // The added spend pays for itself (returns diminish: the new budget earns a lower ROI).
      return trueRoi(c, day, next) * next - now * budget > next - budget ? act(market, campaign, rule, 1) : null;
    },
    options,
  );
}
