// The tenant's ROI model for one cycle: a prior per channel where the channel has data enough to
// fit its own, the tenant's over all campaigns otherwise (channels differ: a search campaign and
// a display campaign of one tenant convert at very different rates).
import { fitPortfolioPrior } from './portfolio-prior.ts';
import { type Evidence, type ModelPrior, RoiPosterior } from './roi-posterior.ts';

export interface PortfolioCampaign extends Evidence {
  channel: string;
  dispersionSumSquares: number;
  dispersionDof: number;
}

// A channel gets its own prior from this many campaigns with data and conversions.
const MIN_CHANNEL_CAMPAIGNS = 30;
const MIN_CHANNEL_CONVERSIONS = 50;

export class PortfolioModel {
  private readonly overall: ModelPrior;
  private readonly byChannel = new Map<string, ModelPrior>();

  constructor(campaigns: readonly PortfolioCampaign[]) {
    this.overall = fitPrior(campaigns);
    for (const [channel, members] of Map.groupBy(campaigns, (c) => c.channel)) {
      const withData = members.filter((c) => c.exposure > 0);
      const conversions = withData.reduce((sum, c) => sum + c.conversions, 0);
      if (withData.length >= MIN_CHANNEL_CAMPAIGNS && conversions >= MIN_CHANNEL_CONVERSIONS) {
        this.byChannel.set(channel, fitPrior(members));
      }
    }
  }

  prior(channel: string): ModelPrior {
    return this.byChannel.get(channel) ?? this.overall;
  }

  posterior(channel: string, evidence: Evidence): RoiPosterior {
    const prior = this.prior(channel);
    return new RoiPosterior(prior, withCountedOrders(evidence, prior));
  }
}

/**
 * A source that reports revenue but no conversion count (a revenue-only import) still carries
 * evidence: its revenue is counted as orders of the portfolio's typical value. Without this such a
 * campaign would look like one with no conversions at all, and its revenue would be ignored.
 */
function withCountedOrders(evidence: Evidence, prior: ModelPrior): Evidence {
  if (evidence.conversions > 0 || evidence.revenue <= 0) return evidence;
  return { ...evidence, conversions: evidence.revenue / Math.exp(prior.orderValue.mean) };
}

function fitPrior(campaigns: readonly PortfolioCampaign[]): ModelPrior {
  // The order values first (from campaigns that count their conversions), then the rates with
  // revenue-only campaigns' orders counted at the typical value.
  // The spread of order values comes from campaigns that count their conversions: the same for both fits.
  const dispersion = dispersionOf(campaigns);
  const first = fitPortfolioPrior(campaigns, dispersion);
  if (!campaigns.some((c) => c.conversions <= 0 && c.revenue > 0)) return first;
  return fitPortfolioPrior(
    campaigns.map((c) => ({ ...c, ...withCountedOrders(c, first) })),
    dispersion,
  );
}

function dispersionOf(campaigns: readonly PortfolioCampaign[]) {
  return campaigns.reduce(
    (sum, c) => ({
      sumSquares: sum.sumSquares + c.dispersionSumSquares,
      degreesOfFreedom: sum.degreesOfFreedom + c.dispersionDof,
    }),
    { sumSquares: 0, degreesOfFreedom: 0 },
  );
}
