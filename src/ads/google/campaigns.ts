// The account's campaigns with their budgets, and the current state of given campaigns and
// budgets: what a change is checked against before it is sent again after a crash (a pause
// already made, a budget already at its new amount, is not sent twice).
import { idList } from './gaql.ts';
import { type GoogleAdsRow, searchAll } from './search.ts';
import type { CallOptions, GoogleAdsSession } from './session.ts';
import { idOf, int64Of, textOf } from './values.ts';

/** ENABLED, PAUSED or REMOVED (UNKNOWN for a status newer than the API version). */
export type GoogleCampaignStatus = 'ENABLED' | 'PAUSED' | 'REMOVED' | 'UNKNOWN';

export interface GoogleBudget {
  id: string;
  resourceName: string;
  /** The daily amount in micros of the account's currency; null for a budget with a total amount instead. */
  amountMicros: bigint | null;
}

export interface GoogleCampaign {
  id: string;
  name: string;
  status: GoogleCampaignStatus;
  resourceName: string;
  budget: GoogleBudget | null;
}

export const CAMPAIGNS_QUERY =
  'SELECT campaign.id, campaign.name, campaign.status, campaign_budget.id, campaign_budget.amount_micros, ' +
  "campaign_budget.resource_name, campaign.resource_name FROM campaign WHERE campaign.status != 'REMOVED'";

const CAMPAIGN_FIELDS =
  'campaign.id, campaign.name, campaign.status, campaign.resource_name, ' +
  'campaign_budget.id, campaign_budget.amount_micros, campaign_budget.resource_name';

/** Ids a state query names at once; more are read in several queries. */
const IDS_PER_QUERY = 1000;

const STATUSES = new Set<string>(['ENABLED', 'PAUSED', 'REMOVED']);

function budgetOf(row: GoogleAdsRow): GoogleBudget | null {
  const budget = row.campaignBudget;
  if (!budget || budget.id === undefined) return null;
  return {
    id: idOf(budget.id, 'campaign_budget.id'),
    resourceName: textOf(budget.resourceName, 'campaign_budget.resource_name'),
    amountMicros:
      budget.amountMicros === undefined ? null : int64Of(budget.amountMicros, 'campaign_budget.amount_micros'),
  };
}

function campaignOf(row: GoogleAdsRow): GoogleCampaign {
  const campaign = row.campaign ?? {};
  const status = typeof campaign.status === 'string' && STATUSES.has(campaign.status) ? campaign.status : 'UNKNOWN';
  return {
    id: idOf(campaign.id, 'campaign.id'),
    name: typeof campaign.name === 'string' ? campaign.name : '',
    status: status as GoogleCampaignStatus,
    resourceName: textOf(campaign.resourceName, 'campaign.resource_name'),
    budget: budgetOf(row),
  };
}

/** The campaigns that are not removed, with their budgets. */
export async function listCampaigns(session: GoogleAdsSession, options: CallOptions = {}): Promise<GoogleCampaign[]> {
  return (await searchAll(session, CAMPAIGNS_QUERY, options)).map(campaignOf);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The current state of these campaigns, removed ones included, by id; an id Google does not know
 * is absent. One searchStream call per thousand ids.
 */
export async function readCampaigns(
  session: GoogleAdsSession,
  campaignIds: readonly string[],
  options: CallOptions = {},
): Promise<Map<string, GoogleCampaign>> {
  const found = new Map<string, GoogleCampaign>();
  for (const ids of chunks([...new Set(campaignIds)], IDS_PER_QUERY)) {
    const query = `SELECT ${CAMPAIGN_FIELDS} FROM campaign WHERE campaign.id IN ${idList('campaign', ids)}`;
    for (const row of await searchAll(session, query, options)) {
      const campaign = campaignOf(row);
      found.set(campaign.id, campaign);
    }
  }
  return found;
}

/** The current amount of these budgets, by id (a budget may be shared by several campaigns). */
export async function readBudgets(
  session: GoogleAdsSession,
  budgetIds: readonly string[],
  options: CallOptions = {},
): Promise<Map<string, GoogleBudget>> {
  const found = new Map<string, GoogleBudget>();
  for (const ids of chunks([...new Set(budgetIds)], IDS_PER_QUERY)) {
    const query =
      'SELECT campaign_budget.id, campaign_budget.amount_micros, campaign_budget.resource_name ' +
      `FROM campaign_budget WHERE campaign_budget.id IN ${idList('campaign budget', ids)}`;
    for (const row of await searchAll(session, query, options)) {
      const budget = budgetOf(row);
      if (budget) found.set(budget.id, budget);
    }
  }
  return found;
}
