// An ad account's campaigns as Nightshift imports them: one entry per thing whose budget a pause or
// a scale moves. A Meta campaign with a budget of its own (campaign budget optimisation) is one; a
// Meta campaign without one is its ad sets, each with its budget; a Google Ads campaign is one,
// with its (possibly shared) budget. Budgets are kept exactly: in the platform's own units, and as
// the decimal the campaigns table holds (numeric, 2 places).
import { googleAdsClientFor, metaClientFor, platformFailureInWords } from './clients.ts';
import type { AdCredentials } from './credentials.ts';
import type { AdPlatformEndpoints } from './endpoints.ts';
import type { GoogleCampaign } from './google/campaigns.ts';
import type { MetaAdSet, MetaCampaign } from './meta/structure.ts';
import { metaCurrencyExponent, microsToMinor, minorToDecimal } from './money.ts';

export type ExternalKind = 'meta_campaign' | 'meta_adset' | 'google_campaign';

export interface PlatformCampaign {
  kind: ExternalKind;
  externalId: string;
  /** Meta: the ad set's campaign. */
  parentId: string | null;
  /** Google: the campaign's budget, which other campaigns may share. */
  budgetId: string | null;
  name: string;
  /** The platform's own word for the status (ACTIVE, PAUSED, ENABLED…). */
  platformStatus: string;
  /** As Nightshift names it: what runs is active; what the platform keeps stopped is paused. */
  status: 'active' | 'paused' | 'archived';
  /** The daily budget in the platform's units (Meta: minor units; Google: micros); null if not daily. */
  platformDailyBudget: bigint | null;
  /** The same budget as a decimal of the account's currency, 2 places (Google's micros rounded half-even). */
  dailyBudget: string | null;
}

export async function readPlatformCampaigns(
  endpoints: AdPlatformEndpoints,
  credentials: AdCredentials,
  currency: string,
): Promise<PlatformCampaign[]> {
  try {
    if (credentials.platform === 'meta') {
      const client = metaClientFor(endpoints, credentials);
      const campaigns = (await client.listCampaigns(credentials.ad_account_id)).value;
      const adSets = (await client.listAdSets(credentials.ad_account_id)).value;
      return metaEntries(campaigns, adSets, metaCurrencyExponent(currency));
    }
    const campaigns = await googleAdsClientFor(endpoints, credentials).listCampaigns();
    return campaigns.flatMap(googleEntry);
  } catch (error) {
    throw platformFailureInWords(error);
  }
}

const META_STATUS: Record<string, PlatformCampaign['status']> = {
  ACTIVE: 'active',
  PAUSED: 'paused',
  ARCHIVED: 'archived',
  DELETED: 'archived',
};

export function metaEntries(
  campaigns: readonly MetaCampaign[],
  adSets: readonly MetaAdSet[],
  exponent: number,
): PlatformCampaign[] {
  const adSetsOf = Map.groupBy(adSets, (adSet) => adSet.campaignId);
  const budget = (minor: string | null) => (minor === null ? null : minorToDecimal(minor, exponent));
  return campaigns.flatMap((campaign): PlatformCampaign[] => {
    const campaignStatus = META_STATUS[campaign.status] ?? 'archived';
    const ownBudget = campaign.dailyBudget !== null || campaign.lifetimeBudget !== null;
    if (ownBudget || !adSetsOf.has(campaign.id)) {
      return [
        {
          kind: 'meta_campaign',
          externalId: campaign.id,
          parentId: null,
          budgetId: null,
          name: campaign.name,
          platformStatus: campaign.status,
          status: campaignStatus,
          platformDailyBudget: campaign.dailyBudget === null ? null : BigInt(campaign.dailyBudget),
          dailyBudget: budget(campaign.dailyBudget),
        },
      ];
    }
    return adSetsOf.get(campaign.id)!.map((adSet) => ({
      kind: 'meta_adset',
      externalId: adSet.id,
      parentId: campaign.id,
      budgetId: null,
      name: `${campaign.name} / ${adSet.name}`,
      platformStatus: adSet.status,
      // An ad set runs only when its campaign does.
      status: campaignStatus === 'active' ? (META_STATUS[adSet.status] ?? 'archived') : campaignStatus,
      platformDailyBudget: adSet.dailyBudget === null ? null : BigInt(adSet.dailyBudget),
      dailyBudget: budget(adSet.dailyBudget),
    }));
  });
}

const GOOGLE_STATUS: Record<string, PlatformCampaign['status']> = { ENABLED: 'active', PAUSED: 'paused' };

function googleEntry(campaign: GoogleCampaign): PlatformCampaign[] {
  const status = GOOGLE_STATUS[campaign.status];
  if (!status) return [];
  const micros = campaign.budget?.amountMicros ?? null;
  return [
    {
      kind: 'google_campaign',
      externalId: campaign.id,
      parentId: null,
      budgetId: campaign.budget?.id ?? null,
      name: campaign.name,
      platformStatus: campaign.status,
      status,
      platformDailyBudget: micros,
      // Stored to the cent whatever the currency: the campaigns table holds 2 places.
      dailyBudget: micros === null ? null : minorToDecimal(microsToMinor(micros, 2).minor, 2),
    },
  ];
}
