// The campaigns and ad sets of an ad account, every page of them. Budgets are the strings Meta
// sends, in the account currency's minor units; an object without a budget of its own (a campaign
// whose ad sets hold the budget, or the reverse) has null. Graph lists what is not deleted or
// archived unless asked otherwise.
import type { MetaAnswer, MetaSettings } from './http.ts';
import { type ListOptions, listPages, readAllPages } from './paging.ts';
import { adAccountNode, minorUnits, optionalText, text, type WireRecord } from './wire.ts';

export interface MetaCampaign {
  id: string;
  name: string;
  /** What the advertiser set: ACTIVE, PAUSED, ARCHIVED, DELETED. */
  status: string;
  /** What actually runs, given the account and the ad sets: ACTIVE, PAUSED, CAMPAIGN_PAUSED, IN_PROCESS, WITH_ISSUES… */
  effectiveStatus: string;
  /** Minor units, e.g. "5000" = 50.00 USD; null when the budget is on the ad sets. */
  dailyBudget: string | null;
  lifetimeBudget: string | null;
  objective: string | null;
  /** ISO 8601 as Graph writes it: 2025-06-11T09:00:00+0000. */
  updatedTime: string;
}

export interface MetaAdSet {
  id: string;
  name: string;
  campaignId: string;
  status: string;
  dailyBudget: string | null;
  lifetimeBudget: string | null;
}

const CAMPAIGN_FIELDS = 'id,name,status,effective_status,daily_budget,lifetime_budget,objective,updated_time';
const AD_SET_FIELDS = 'id,name,campaign_id,status,daily_budget,lifetime_budget';

function campaignOf(row: WireRecord): MetaCampaign {
  return {
    id: text(row, 'id', 'campaign'),
    name: text(row, 'name', 'campaign'),
    status: text(row, 'status', 'campaign'),
    effectiveStatus: text(row, 'effective_status', 'campaign'),
    dailyBudget: minorUnits(row, 'daily_budget', 'campaign'),
    lifetimeBudget: minorUnits(row, 'lifetime_budget', 'campaign'),
    objective: optionalText(row, 'objective', 'campaign'),
    updatedTime: text(row, 'updated_time', 'campaign'),
  };
}

function adSetOf(row: WireRecord): MetaAdSet {
  return {
    id: text(row, 'id', 'ad set'),
    name: text(row, 'name', 'ad set'),
    campaignId: text(row, 'campaign_id', 'ad set'),
    status: text(row, 'status', 'ad set'),
    dailyBudget: minorUnits(row, 'daily_budget', 'ad set'),
    lifetimeBudget: minorUnits(row, 'lifetime_budget', 'ad set'),
  };
}

/** GET /act_{id}/campaigns, following paging.next to the end. */
export async function listCampaigns(
  settings: MetaSettings,
  accountId: string,
  options: ListOptions = {},
): Promise<MetaAnswer<MetaCampaign[]>> {
  const path = `${adAccountNode(accountId)}/campaigns`;
  return readAllPages(listPages(settings, path, { fields: CAMPAIGN_FIELDS }, 'campaigns', campaignOf, options));
}

/** GET /act_{id}/adsets, following paging.next to the end. */
export async function listAdSets(
  settings: MetaSettings,
  accountId: string,
  options: ListOptions = {},
): Promise<MetaAnswer<MetaAdSet[]>> {
  const path = `${adAccountNode(accountId)}/adsets`;
  return readAllPages(listPages(settings, path, { fields: AD_SET_FIELDS }, 'ad sets', adSetOf, options));
}
