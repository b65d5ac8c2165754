// Campaigns linked to an ad platform (table campaign_platform_links, owned here): imported as one
// set-based write per account, whatever its number of campaigns (an agency's account holds
// thousands), and read back as the campaigns API shows them.
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** One platform entity to import, with the Nightshift fields it sets. */
export interface LinkedCampaign {
  externalKind: string;
  externalId: string;
  parentId: string | null;
  budgetId: string | null;
  name: string;
  status: string;
  /** The campaigns table's budget (a decimal); 0 when the platform's is not a daily one. */
  budget: string;
  platformStatus: string;
  platformDailyBudget: bigint | null;
}

/**
 * The account's links, each with its campaign's version: read before the platform is, so that a
 * refresh can leave alone a campaign that moved in the meantime (refreshLinkedCampaigns).
 */
export function linksOfAccount(s: SqlSession, tenantId: string, adAccountId: string) {
  return rows(
    s,
    typed
      .selectFrom('campaign_platform_links as l')
      .innerJoin('campaigns as c', (join) =>
        join.onRef('c.tenant_id', '=', 'l.tenant_id').onRef('c.id', '=', 'l.campaign_id'),
      )
      .select(['l.campaign_id', 'l.external_kind', 'l.external_id', 'c.version'])
      .where('l.tenant_id', '=', tenantId)
      .where('l.ad_account_id', '=', adAccountId),
  );
}

/** The platform a campaign is linked to; undefined for a campaign of Nightshift's own. */
export async function platformOfCampaign(s: SqlSession, tenantId: string, campaignId: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('campaign_platform_links as l')
      .innerJoin('ad_accounts as a', (join) =>
        join.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.ad_account_id'),
      )
      .select('a.platform')
      .$narrowType<{ platform: 'meta' | 'google_ads' }>()
      .where('l.tenant_id', '=', tenantId)
      .where('l.campaign_id', '=', campaignId),
  );
  return row?.platform;
}

const columns = (entries: readonly LinkedCampaign[]) => ({
  kinds: entries.map((e) => e.externalKind),
  ids: entries.map((e) => e.externalId),
  parents: entries.map((e) => e.parentId),
  budgetIds: entries.map((e) => e.budgetId),
  names: entries.map((e) => e.name.slice(0, 300)),
  statuses: entries.map((e) => e.status),
  budgets: entries.map((e) => e.budget),
  platformStatuses: entries.map((e) => e.platformStatus),
  platformBudgets: entries.map((e) => e.platformDailyBudget?.toString() ?? null),
});

/** New campaigns, each with its link: paused or active as on the platform, autopilot off. */
export async function insertLinkedCampaigns(
  s: SqlSession,
  tenantId: string,
  account: { id: string; currency: string; channel: string },
  workspaceId: string,
  entries: readonly (LinkedCampaign & { campaignId: string })[],
): Promise<void> {
  if (entries.length === 0) return;
  const c = columns(entries);
  await s.query(
    `INSERT INTO campaigns (tenant_id, id, workspace_id, title, status, budget, currency, channels, autopilot_enabled, started_at)
     SELECT $1, d.id, $2, d.name, d.status, d.budget, $3, ARRAY[$4], false, now()
       FROM unnest($5::uuid[], $6::text[], $7::text[], $8::numeric[]) AS d (id, name, status, budget)`,
    [
      tenantId,
      workspaceId,
      account.currency,
      account.channel,
      entries.map((e) => e.campaignId),
      c.names,
      c.statuses,
      c.budgets,
    ],
  );
  await s.query(
    `INSERT INTO campaign_platform_links (tenant_id, campaign_id, ad_account_id, external_kind, external_id,
                                          external_parent_id, budget_id, platform_status, platform_daily_budget)
     SELECT $1, d.campaign_id, $2, d.kind, d.id, d.parent, d.budget_id, d.platform_status, d.platform_budget
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
            AS d (campaign_id, kind, id, parent, budget_id, platform_status, platform_budget)`,
    [
      tenantId,
      account.id,
      entries.map((e) => e.campaignId),
      c.kinds,
      c.ids,
      c.parents,
      c.budgetIds,
      c.platformStatuses,
      c.platformBudgets,
    ],
  );
}

/** A linked campaign as the platform holds it, and its campaign's version read before the platform was. */
export interface SeenLinkedCampaign extends LinkedCampaign {
  seenVersion: number;
}

/** A linked campaign the platform had moved: its status and budget (decimal text) before and after. */
export interface PlatformMove {
  id: string;
  previous_status: string;
  previous_budget: string;
  status: string;
  budget: string;
}

export interface Refresh {
  /** The linked campaigns brought in line (those held back are not). */
  refreshed: number;
  /** Of those, the ones whose status or budget the platform had moved. */
  moves: PlatformMove[];
}

/**
 * The entries whose campaigns may follow the platform, their campaigns locked. Held back, left to
 * the next read of the platform: a campaign whose version moved since it was read before the
 * platform (a change of Nightshift's confirmed meanwhile, or a person's edit: the platform's
 * answer may predate it), and one with a ledger row 'applying' (a change of Nightshift's on its
 * way: the platform may hold it already, or not yet). Locked first, in id order as the ledger's
 * writers lock them, and checked in a statement after: a change accepted by a transaction the lock
 * waited for is seen.
 */
async function refreshable(
  s: SqlSession,
  tenantId: string,
  accountId: string,
  entries: readonly SeenLinkedCampaign[],
): Promise<SeenLinkedCampaign[]> {
  const target = `SELECT l.campaign_id, d.ordinality, d.version
                    FROM unnest($3::text[], $4::text[], $5::int[]) WITH ORDINALITY AS d (kind, external_id, version, ordinality)
                    JOIN campaign_platform_links l
                      ON l.tenant_id = $1 AND l.ad_account_id = $2 AND l.external_kind = d.kind
                     AND l.external_id = d.external_id`;
  const params = [
    tenantId,
    accountId,
    entries.map((e) => e.externalKind),
    entries.map((e) => e.externalId),
    entries.map((e) => e.seenVersion),
  ];
  await s.query(
    `SELECT c.id FROM campaigns c WHERE c.tenant_id = $1 AND c.id IN (SELECT campaign_id FROM (${target}) t)
      ORDER BY c.id FOR UPDATE`,
    params,
  );
  const free = await s.query<{ ordinality: number | string }>(
    `SELECT t.ordinality FROM (${target}) t
       JOIN campaigns c ON c.tenant_id = $1 AND c.id = t.campaign_id
      WHERE c.version = t.version
        AND NOT EXISTS (SELECT 1 FROM autonomous_actions a
                         WHERE a.tenant_id = $1 AND a.campaign_id = c.id AND a.status = 'applying')`,
    params,
  );
  return free.map((row) => entries[Number(row.ordinality) - 1]!);
}

/**
 * Brings linked campaigns in line with the platform: name, currency, status and budget (a
 * campaign's version moves on only when one of them changed), and the link's record of the
 * platform's state; a campaign held back (refreshable) keeps both as they are. Call in a
 * transaction: its campaigns stay locked until the caller has recorded the moves.
 */
export async function refreshLinkedCampaigns(
  s: SqlSession,
  tenantId: string,
  account: { id: string; currency: string },
  seen: readonly SeenLinkedCampaign[],
): Promise<Refresh> {
  if (seen.length === 0) return { refreshed: 0, moves: [] };
  const entries = await refreshable(s, tenantId, account.id, seen);
  if (entries.length === 0) return { refreshed: 0, moves: [] };
  const c = columns(entries);
  const updated = await s.query<PlatformMove & { moved: boolean }>(
    `WITH d AS (SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
                  AS d (kind, external_id, name, status, budget)),
          target AS (SELECT l.campaign_id, d.name, d.status, d.budget FROM d
                       JOIN campaign_platform_links l
                         ON l.tenant_id = $1 AND l.ad_account_id = $2 AND l.external_kind = d.kind
                        AND l.external_id = d.external_id),
          before AS (SELECT id, status, budget FROM campaigns
                      WHERE tenant_id = $1 AND id IN (SELECT campaign_id FROM target))
     UPDATE campaigns c
        SET title = t.name, currency = $8, status = t.status, budget = t.budget,
            version = c.version + 1, updated_at = now()
       FROM target t JOIN before b ON b.id = t.campaign_id
      WHERE c.tenant_id = $1 AND c.id = t.campaign_id
        AND (c.title, c.currency, c.status, c.budget) IS DISTINCT FROM (t.name, $8::char(3), t.status, t.budget)
     RETURNING c.id, b.status AS previous_status, b.budget::text AS previous_budget, c.status, c.budget::text AS budget,
               (b.status, b.budget) IS DISTINCT FROM (c.status, c.budget) AS moved`,
    [tenantId, account.id, c.kinds, c.ids, c.names, c.statuses, c.budgets, account.currency],
  );
  await s.query(
    `UPDATE campaign_platform_links l
        SET external_parent_id = d.parent, budget_id = d.budget_id, platform_status = d.platform_status,
            platform_daily_budget = d.platform_budget, synced_at = now()
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
            AS d (kind, id, parent, budget_id, platform_status, platform_budget)
      WHERE l.tenant_id = $1 AND l.ad_account_id = $2 AND l.external_kind = d.kind AND l.external_id = d.id`,
    [tenantId, account.id, c.kinds, c.ids, c.parents, c.budgetIds, c.platformStatuses, c.platformBudgets],
  );
  return {
    refreshed: entries.length,
    moves: updated.filter((row) => row.moved).map(({ moved: _, ...move }) => move),
  };
}
