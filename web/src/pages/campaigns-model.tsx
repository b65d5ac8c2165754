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

const LINK_KIND: Record<NonNullable<CampaignRecord['platform_link']>['external_kind'], string> = {
  meta_campaign: 'Meta campaign',
  meta_adset: 'Meta ad set',
  google_campaign: 'Google Ads campaign',
};

/** "Meta ad set 1202…": the ad-platform object a campaign is linked to, or null when unlinked. */
export const platformLinkText = (c: Pick<CampaignRecord, 'platform_link'>) =>
  c.platform_link ? `${LINK_KIND[c.platform_link.external_kind]} ${c.platform_link.external_id}` : null;
