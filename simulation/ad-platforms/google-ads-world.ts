// What the Google Ads stand-in holds: customers (advertiser accounts, some reached through a
// manager account), their campaigns and budgets, and each campaign's daily stats. Money is int64
// micros held as bigint, as Google holds it; conversions are doubles, as Google holds them.
// Seeding 10,000 campaigns × 30 days is deterministic (a seeded generator) and takes well under a
// second.

export type SimCampaignStatus = 'ENABLED' | 'PAUSED' | 'REMOVED';

export interface SimCampaign {
  id: string;
  name: string;
  status: SimCampaignStatus;
  budgetId: string;
}

export interface SimBudget {
  id: string;
  amountMicros: bigint;
}

export interface SimStat {
  /** YYYY-MM-DD in the customer's time zone. */
  date: string;
  costMicros: bigint;
  /** int64 in the API; counts fit a double. */
  impressions: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
}

export interface SimCustomer {
  id: string;
  descriptiveName: string;
  currencyCode: string;
  timeZone: string;
  /** Reached through this manager: calls must name it in login-customer-id. */
  managerId?: string | undefined;
  campaigns: Map<string, SimCampaign>;
  budgets: Map<string, SimBudget>;
  /** By campaign id, each list in date order. */
  stats: Map<string, SimStat[]>;
}

export interface CustomerSpec {
  id: string;
  descriptiveName?: string;
  currencyCode?: string;
  timeZone?: string;
  managerId?: string;
}

export interface CampaignSpec {
  id?: string;
  name?: string;
  status?: SimCampaignStatus;
  /** Share an existing budget… */
  budgetId?: string;
  /** …or make one with this daily amount (default 50 units). */
  budgetMicros?: bigint;
}

export interface SeedSpec {
  campaigns: number;
  days: number;
  /** The last day of stats, YYYY-MM-DD. */
  lastDate: string;
  seed?: number;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** mulberry32: small, fast, and the same numbers every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class GoogleAdsWorld {
  readonly customers = new Map<string, SimCustomer>();
  private nextId = 21_000_000_000n;

  newId(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  addCustomer(spec: CustomerSpec): SimCustomer {
    const customer: SimCustomer = {
      id: spec.id,
      descriptiveName: spec.descriptiveName ?? `Account ${spec.id}`,
      currencyCode: spec.currencyCode ?? 'USD',
      timeZone: spec.timeZone ?? 'America/New_York',
      managerId: spec.managerId,
      campaigns: new Map(),
      budgets: new Map(),
      stats: new Map(),
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  customer(id: string): SimCustomer {
    const customer = this.customers.get(id);
    if (!customer) throw new Error(`no customer ${id} in the Google Ads stand-in`);
    return customer;
  }

  addCampaign(customerId: string, spec: CampaignSpec = {}): SimCampaign {
    const customer = this.customer(customerId);
    let budgetId = spec.budgetId;
    if (budgetId === undefined) {
      budgetId = this.newId();
      customer.budgets.set(budgetId, { id: budgetId, amountMicros: spec.budgetMicros ?? 50_000_000n });
    } else if (!customer.budgets.has(budgetId)) throw new Error(`no budget ${budgetId} in customer ${customerId}`);
    const id = spec.id ?? this.newId();
    const campaign: SimCampaign = {
      id,
      name: spec.name ?? `Campaign ${id}`,
      status: spec.status ?? 'ENABLED',
      budgetId,
    };
    customer.campaigns.set(id, campaign);
    return campaign;
  }

  /** Sets a campaign's stats of one day (replacing that day's). */
  setStat(customerId: string, campaignId: string, stat: SimStat): void {
    const customer = this.customer(customerId);
    if (!customer.campaigns.has(campaignId)) throw new Error(`no campaign ${campaignId} in customer ${customerId}`);
    const list = customer.stats.get(campaignId) ?? [];
    const at = list.findIndex((existing) => existing.date >= stat.date);
    if (at === -1) list.push(stat);
    else if (list[at]!.date === stat.date) list[at] = stat;
    else list.splice(at, 0, stat);
    customer.stats.set(campaignId, list);
  }

  /** `campaigns` enabled campaigns, each with its own budget and `days` days of stats ending `lastDate`. */
  seed(customerId: string, spec: SeedSpec): SimCampaign[] {
    const customer = this.customer(customerId);
    const random = generator(spec.seed ?? 1);
    const firstDate = addDays(spec.lastDate, 1 - spec.days);
    const dates = Array.from({ length: spec.days }, (_, day) => addDays(firstDate, day));
    const made: SimCampaign[] = [];
    for (let i = 0; i < spec.campaigns; i++) {
      const budgetMicros = BigInt(10 + Math.floor(random() * 490)) * 1_000_000n;
      const campaign = this.addCampaign(customerId, {
        name: `Seeded campaign ${String(i + 1).padStart(5, '0')}`,
        status: random() < 0.1 ? 'PAUSED' : 'ENABLED',
        budgetMicros,
      });
      const stats = dates.map((date): SimStat => {
        const impressions = Math.floor(random() * 20_000);
        const clicks = Math.floor(impressions * random() * 0.05);
        const conversions = Math.round(clicks * random() * 0.1 * 100) / 100;
        return {
          date,
          // Cost to the micro, not a round number: sums must come out exact.
          costMicros: BigInt(Math.floor(random() * Number(budgetMicros))),
          impressions,
          clicks,
          conversions,
          conversionsValue: Math.round(conversions * (20 + random() * 80) * 100) / 100,
        };
      });
      customer.stats.set(campaign.id, stats);
      made.push(campaign);
    }
    return made;
  }
}
