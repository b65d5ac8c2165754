// Runs policies over the same simulated portfolio: each on its own market, with the same truth and
// the same random days (see portfolio.ts).
import { Market, type Policy } from './market.ts';
import { generatePortfolio, type PortfolioShape } from './portfolio.ts';

/** Days of reports before the engine's first cycle: enough for the lag to be measured from them. */
export const WARMUP_DAYS = 21;

export interface SimulationSpec {
  shape: PortfolioShape;
  campaigns: number;
  days: number;
  seed: number;
}

export async function simulate(spec: SimulationSpec, policy: Policy): Promise<Market> {
  const firstDay = -WARMUP_DAYS;
  const portfolio = generatePortfolio(spec.shape, spec.campaigns, spec.seed, firstDay);
  const market = new Market(portfolio, { seed: spec.seed, firstDay, lastDay: spec.days - 1 });
  return market.run(policy);
}
