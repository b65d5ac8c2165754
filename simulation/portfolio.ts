// The simulator's truth: a tenant's campaigns with known true ROI, and what each day of each
// campaign really brings. Every hard case the engine must survive is here by construction:
//   - portfolio shapes: mostly good, mixed, mostly bad (true base ROI mostly between 0.5 and 3);
//   - heavy-tailed order values (lognormal single orders, a third of campaigns with sigma 1.4:
//     one order in a hundred is worth 25x the median), so one large order can make a loser look good;
//   - low volume: daily budgets from about $10 to $500 (lognormal), a few conversions a day or less;
//   - drift: a third of the campaigns fatigue, their ROI halving every 8-25 days from an onset day;
//   - weekday seasonality in conversion rates;
//   - diminishing returns: ROI falls as a campaign spends beyond its base budget (elasticity 0.8);
//   - attribution lag: a day's conversions arrive over that day and the three after it.
// The truth is not drawn from the engine's model (Gamma rates, lognormal mean order values): base
// ROIs and order values are drawn independently, lognormal and Pareto-tailed, and fatigue and
// seasonality are outside the model altogether.
import { createRandom, type Random } from '../src/demo/random.ts';

export type PortfolioShape = 'mostly_good' | 'mixed' | 'mostly_bad';
export const PORTFOLIO_SHAPES: readonly PortfolioShape[] = ['mostly_good', 'mixed', 'mostly_bad'];

export interface SimCampaign {
  index: number;
  channel: 'google_ads' | 'meta';
  /** True ROI at the base budget, before fatigue (the weekly average over weekdays). */
  baseRoi: number;
  /** True mean value of one order. */
  orderValueMean: number;
  /** Sigma of log single order values: their spread within the campaign. */
  orderValueSigma: number;
  /** The daily budget it was launched with; spend at it is what base ROI is measured at. */
  baseBudget: number;
  /** Simulated day of launch (negative: before the engine's first cycle). */
  launchDay: number;
  fatigue: { onsetDay: number; halfLifeDays: number; floor: number } | null;
}

/** Median and log-sigma of true base ROI per shape. */
const SHAPE_ROI: Record<PortfolioShape, { median: number; sigma: number }> = {
  mostly_good: { median: 1.7, sigma: 0.55 },
  mixed: { median: 1.1, sigma: 0.6 },
  mostly_bad: { median: 0.7, sigma: 0.55 },
};

/** Multipliers of conversion rates by UTC weekday (Sunday first); they average 1. */
export const WEEKDAY_FACTOR = [0.85, 1.05, 1.1, 1.1, 1.05, 0.95, 0.9] as const;
/** Returns to spend: revenue grows as spend^ELASTICITY around the base budget. */
export const ELASTICITY = 0.8;
/** Share of a day's conversions reported on the day itself and each of the next three days. */
export const LAG_PROFILE = [0.45, 0.3, 0.15, 0.1] as const;
/** Campaigns spend between this share of their budget and all of it. */
const MIN_BUDGET_USE = 0.8;
export const MEAN_BUDGET_USE = (1 + MIN_BUDGET_USE) / 2;

export function generatePortfolio(shape: PortfolioShape, count: number, seed: number, firstDay: number): SimCampaign[] {
  const random = createRandom(seed);
  const roi = SHAPE_ROI[shape];
  return Array.from({ length: count }, (_, index) => {
    const heavyTailed = random.uniform() < 1 / 3;
    const established = random.uniform() < 0.6;
    const launchDay = established ? random.int(firstDay, firstDay + 7) : random.int(firstDay + 8, 25);
    const fatigues = random.uniform() < 1 / 3;
    return {
      index,
      channel: random.uniform() < 0.5 ? 'google_ads' : 'meta',
      baseRoi: Math.min(random.lognormal(roi.median, roi.sigma), 12),
      orderValueMean: paretoTailed(random, 60),
      orderValueSigma: heavyTailed ? 1.4 : 0.7,
      baseBudget: Math.round(Math.min(Math.max(random.lognormal(60, 0.9), 8), 800)),
      launchDay,
      fatigue: fatigues
        ? { onsetDay: random.int(launchDay + 5, 29), halfLifeDays: 8 + random.uniform() * 17, floor: 0.35 }
        : null,
    };
  });
}

/** Mean order values across campaigns: mostly near the median, with a Pareto tail of big-ticket campaigns. */
function paretoTailed(random: Random, median: number): number {
  if (random.uniform() < 0.85) return random.lognormal(median, 0.4);
  return median * (1 - random.uniform()) ** (-1 / 1.5);
}

/** True ROI of the campaign on a day at a daily budget (the weekday average; diminishing returns and fatigue included). */
export function trueRoi(c: SimCampaign, day: number, budget: number): number {
  return c.baseRoi * fatigueFactor(c, day) * (budget / c.baseBudget) ** (ELASTICITY - 1);
}

function fatigueFactor(c: SimCampaign, day: number): number {
  if (!c.fatigue || day <= c.fatigue.onsetDay) return 1;
  return Math.max(0.5 ** ((day - c.fatigue.onsetDay) / c.fatigue.halfLifeDays), c.fatigue.floor);
}

export interface DayOutcome {
  spend: number;
  /** Expected revenue of the day given its spend (what profit is counted on: free of order noise). */
  expectedRevenue: number;
  /** Conversions and revenue by the age (days after the stat day) at which they are reported. */
  arrivals: { conversions: number; revenue: number }[];
  clicks: number;
  impressions: number;
}

/**
 * What the campaign brings on a day at a budget. The stream is seeded by campaign and day, so two
 * policies that give a campaign the same budget see the same day (common random numbers).
 */
export function dayOutcome(c: SimCampaign, day: number, budget: number, seed: number, dayOfWeek: number): DayOutcome {
  const random = createRandom(hashSeed(seed, c.index, day));
  const spend = Math.round(budget * (MIN_BUDGET_USE + (1 - MIN_BUDGET_USE) * random.uniform()) * 100) / 100;
  const roi = trueRoi(c, day, budget) * (WEEKDAY_FACTOR[dayOfWeek] ?? 1);
  const expectedRevenue = spend * roi;
  const conversions = random.poisson(expectedRevenue / c.orderValueMean);
  const median = c.orderValueMean * Math.exp(-(c.orderValueSigma ** 2) / 2);
  const arrivals = LAG_PROFILE.map(() => ({ conversions: 0, revenue: 0 }));
  for (let i = 0; i < conversions; i++) {
    const arrival = arrivals[lagAge(random)]!;
    arrival.conversions++;
    arrival.revenue += Math.round(random.lognormal(median, c.orderValueSigma) * 100) / 100;
  }
  for (const a of arrivals) a.revenue = Math.round(a.revenue * 100) / 100;
  const clicks = random.poisson(spend / 1.2);
  return { spend, expectedRevenue, arrivals, clicks, impressions: clicks * 40 + random.int(0, 39) };
}

function lagAge(random: Random): number {
  let roll = random.uniform();
  for (let age = 0; age < LAG_PROFILE.length; age++) {
    roll -= LAG_PROFILE[age]!;
    if (roll < 0) return age;
  }
  return LAG_PROFILE.length - 1;
}

function hashSeed(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p + 0x9e3779b9;
    h = Math.imul(h, 16777619) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0 || 1;
}
