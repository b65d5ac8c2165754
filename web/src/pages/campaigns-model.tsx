// The rates the dashboard derives from a campaign's totals.
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';

/** A quotient that is undefined (not 0, not ∞) when there is nothing to divide by. */
function quotient(top: number | undefined, bottom: number | undefined): number | null {
  if (top === undefined || bottom === undefined || bottom === 0) return null;
  return top / bottom;
}

/** Return on spend: revenue / spend. */
export const roiOf = (c: Pick<CampaignRecord, 'totals'>) => quotient(c.totals.revenue, c.totals.spend);

/** Click-through rate: clicks / impressions. */
export const ctrOf = (c: Pick<CampaignRecord, 'totals'>) => quotient(c.totals.clicks, c.totals.impressions);
