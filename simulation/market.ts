// One policy's month on a simulated portfolio: campaigns spend their budgets while active, their
// conversions arrive late, and the policy decides each evening on what has been reported so far.
// The market keeps what the policy did and what it was worth in truth.
import { type DayOutcome, dayOutcome, LAG_PROFILE, type SimCampaign, trueRoi } from './portfolio.ts';

/** The first simulated day is a Monday; day 0 is the engine's first cycle. */
const DAY_ZERO = Date.UTC(2026, 8, 7);
const DAY_MS = 86_400_000;

export function dateOf(day: number): string {
  return new Date(DAY_ZERO + day * DAY_MS).toISOString().slice(0, 10);
}

/** The moment of day `day` plus `hours` hours (the cycle runs at 23:30, stats arrive at 23:00). */
export function momentOf(day: number, hours: number): Date {
  return new Date(DAY_ZERO + day * DAY_MS + hours * 3_600_000);
}

export interface SimAction {
  campaign: number;
  kind: 'pause' | 'scale' | 'resume';
  mode: 'execute' | 'suggest';
  /** The probability the policy stored that the action is right (null: a policy without one). */
  confidence: number | null;
  /** Scales: the new daily budget. */
  budget?: number;
  rule: string;
}

export interface RecordedAction extends SimAction {
  day: number;
  /** True ROI at the campaign's budget on the day of the action. */
  trueRoi: number;
  /** Whether what the stored confidence claims held in truth: ROI < 1 for a pause, ROI > 1 for a scale or a resume. */
  right: boolean;
}

export interface Reported {
  spend: number;
  conversions: number;
  revenue: number;
  clicks: number;
  impressions: number;
}

export interface Policy {
  readonly name: string;
  /** Called once before the first day. */
  start?(market: Market): Promise<void>;
  /** The day's reports are in (day `day` itself and revisions of the days before). */
  observe?(market: Market, day: number): Promise<void>;
  decide(market: Market, day: number): Promise<SimAction[]>;
}

export interface SimulationOptions {
  seed: number;
  firstDay: number;
  lastDay: number;
}

export class Market {
  readonly status: ('active' | 'paused')[];
  readonly budget: number[];
  readonly actions: RecordedAction[] = [];
  /** Day outcomes by campaign (only days it was active). */
  readonly days: Map<number, DayOutcome>[];
  /** Profit in truth over the decision days (expected revenue - spend). */
  profit = 0;
  spend = 0;

  readonly campaigns: readonly SimCampaign[];
  readonly options: SimulationOptions;

  constructor(campaigns: readonly SimCampaign[], options: SimulationOptions) {
    this.campaigns = campaigns;
    this.options = options;
    this.status = campaigns.map(() => 'active');
    this.budget = campaigns.map((c) => c.baseBudget);
    this.days = campaigns.map(() => new Map());
  }

  launched(c: SimCampaign, day: number): boolean {
    return c.launchDay <= day;
  }

  /** What has been reported of a stat day by the evening of `asOf`. */
  reported(campaign: number, statDay: number, asOf: number): Reported | null {
    const outcome = this.days[campaign]!.get(statDay);
    if (!outcome) return null;
    const known = outcome.arrivals.slice(0, Math.max(asOf - statDay + 1, 0));
    return {
      spend: outcome.spend,
      conversions: known.reduce((sum, a) => sum + a.conversions, 0),
      revenue: Math.round(known.reduce((sum, a) => sum + a.revenue, 0) * 100) / 100,
      clicks: outcome.clicks,
      impressions: outcome.impressions,
    };
  }

  /** Reported totals over stat days [from, to] as known by the evening of `asOf`. */
  totals(campaign: number, from: number, to: number, asOf: number): Reported {
    const sum: Reported = { spend: 0, conversions: 0, revenue: 0, clicks: 0, impressions: 0 };
    for (let day = Math.max(from, this.campaigns[campaign]!.launchDay); day <= to; day++) {
      const r = this.reported(campaign, day, asOf);
      if (!r) continue;
      sum.spend += r.spend;
      sum.conversions += r.conversions;
      sum.revenue += r.revenue;
      sum.clicks += r.clicks;
      sum.impressions += r.impressions;
    }
    return sum;
  }

  /** Days (of revision) for which reports change on the evening of `day`: the day and the lag's. */
  revisedDays(day: number): number[] {
    return LAG_PROFILE.map((_, age) => day - age);
  }

  async run(policy: Policy): Promise<this> {
    await policy.start?.(this);
    for (let day = this.options.firstDay; day <= this.options.lastDay; day++) {
      const weekday = new Date(DAY_ZERO + day * DAY_MS).getUTCDay();
      for (const c of this.campaigns) {
        if (!this.launched(c, day) || this.status[c.index] !== 'active') continue;
        const outcome = dayOutcome(c, day, this.budget[c.index]!, this.options.seed, weekday);
        this.days[c.index]!.set(day, outcome);
        if (day >= 0) {
          this.profit += outcome.expectedRevenue - outcome.spend;
          this.spend += outcome.spend;
        }
      }
      await policy.observe?.(this, day);
      if (day < 0) continue;
      for (const action of await policy.decide(this, day)) this.record(action, day);
    }
    return this;
  }

  private record(action: SimAction, day: number): void {
    const c = this.campaigns[action.campaign]!;
    const budget = this.budget[c.index]!;
    const roi = trueRoi(c, day, budget);
    const right = action.kind === 'pause' ? roi < 1 : roi > 1;
    this.actions.push({ ...action, day, trueRoi: roi, right });
    if (action.mode !== 'execute') return;
    if (action.kind === 'pause') this.status[c.index] = 'paused';
    if (action.kind === 'resume') this.status[c.index] = 'active';
    if (action.kind === 'scale' && action.budget !== undefined) this.budget[c.index] = action.budget;
  }
}
