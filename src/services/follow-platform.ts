// Linked campaigns follow their ad platform (docs/ad-platforms.md, "Changes made outside
// Nightshift"): an import, and every scheduled sync, read the account's campaigns and bring the
// linked ones in line (name, currency, status, daily budget). A campaign whose status or budget the
// platform had moved was changed there by someone else: it gets an `external_change` ledger row in
// the transaction that moves it (src/ledger/external-changes.ts). Nightshift's own change on its
// way, or one confirmed while the platform was read, is not taken for one (refreshLinkedCampaigns).
import type { AdCredentials } from '../ads/credentials.ts';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import { PLATFORM_NAMES } from '../ads/errors.ts';
import { type PlatformCampaign, readPlatformCampaigns } from '../ads/platform-campaigns.ts';
import type { AdPlatform } from '../contract/ad-accounts.ts';
import type { Database, SqlSession } from '../db/port.ts';
import * as links from '../db/repositories/platform-links.ts';
import { recordExternalChanges } from '../ledger/external-changes.ts';

export interface FollowedAccount {
  id: string;
  platform: AdPlatform;
  currency: string;
}

type KnownLink = Awaited<ReturnType<typeof links.linksOfAccount>>[number];

const keyOf = (kind: string, id: string) => `${kind}:${id}`;

/** A platform entry as the campaigns table and the link hold it. */
export function linkedCampaign(entry: PlatformCampaign): links.LinkedCampaign {
  return {
    externalKind: entry.kind,
    externalId: entry.externalId,
    parentId: entry.parentId,
    budgetId: entry.budgetId,
    name: entry.name,
    status: entry.status,
    budget: entry.dailyBudget ?? '0',
    platformStatus: entry.platformStatus,
    platformDailyBudget: entry.platformDailyBudget,
  };
}

/**
 * The platform's entries split by the account's links, read before the platform was: the linked
 * ones, each with its campaign's version as read then, and the others.
 */
export function splitByLink(
  entries: readonly PlatformCampaign[],
  known: readonly KnownLink[],
): { linked: links.SeenLinkedCampaign[]; unlinked: PlatformCampaign[] } {
  const versionOf = new Map(known.map((l) => [keyOf(l.external_kind, l.external_id), l.version]));
  const linked: links.SeenLinkedCampaign[] = [];
  const unlinked: PlatformCampaign[] = [];
  for (const entry of entries) {
    const version = versionOf.get(keyOf(entry.kind, entry.externalId));
    if (version === undefined) unlinked.push(entry);
    else linked.push({ ...linkedCampaign(entry), seenVersion: version });
  }
  return { linked, unlinked };
}

/** Brings the linked campaigns in line and records the moves, in the caller's transaction. */
export async function followPlatform(
  s: SqlSession,
  tenantId: string,
  account: FollowedAccount,
  linked: readonly links.SeenLinkedCampaign[],
  at?: Date,
): Promise<links.Refresh> {
  const refresh = await links.refreshLinkedCampaigns(s, tenantId, account, linked);
  await recordExternalChanges(
    s,
    tenantId,
    { platformName: PLATFORM_NAMES[account.platform], currency: account.currency, at },
    refresh.moves.map((move) => ({
      campaignId: move.id,
      previous: { status: move.previous_status, budget: move.previous_budget },
      next: { status: move.status, budget: move.budget },
    })),
  );
  return refresh;
}

/**
 * A sync's part: reads the account's campaigns (nothing when none is linked) and brings the
 * linked ones in line. Returns how many the platform had moved. The platform's failures are
 * thrown as readPlatformCampaigns words them.
 */
export async function followAccount(
  db: Database,
  endpoints: AdPlatformEndpoints,
  credentials: AdCredentials,
  tenantId: string,
  account: FollowedAccount,
  at?: Date,
): Promise<number> {
  const known = await db.session((s) => links.linksOfAccount(s, tenantId, account.id));
  if (known.length === 0) return 0;
  const entries = await readPlatformCampaigns(endpoints, credentials, account.currency);
  const { linked } = splitByLink(entries, known);
  const refresh = await db.transaction((s) => followPlatform(s, tenantId, account, linked, at));
  return refresh.moves.length;
}
