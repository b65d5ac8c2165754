// Importing an ad account's campaigns: each platform campaign (or Meta ad set, where the budget
// lives) becomes a Nightshift campaign linked by its external id, with autopilot off until a person
// turns it on; a campaign imported before is brought in line with the platform. The platform is
// read first, outside any transaction; the writes are one transaction of set-based statements.
import { randomUUID } from 'node:crypto';
import { AdAccountRefusedError } from '../ads/errors.ts';
import { type PlatformCampaign, readPlatformCampaigns } from '../ads/platform-campaigns.ts';
import type { CampaignImport } from '../contract/ad-accounts.ts';
import type { Database } from '../db/port.ts';
import * as campaigns from '../db/repositories/campaigns.ts';
import * as links from '../db/repositories/platform-links.ts';
import * as tenants from '../db/repositories/tenants.ts';
import { ConflictError, InvalidInputError } from '../domain/errors.ts';
import { type AdAccountDeps, accountCredentials, getAdAccount, testAdAccount } from './ad-accounts.ts';

const keyOf = (kind: string, id: string) => `${kind}:${id}`;

function linkedCampaign(entry: PlatformCampaign): links.LinkedCampaign {
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

export async function importAdAccountCampaigns(
  db: Database,
  deps: AdAccountDeps,
  tenantId: string,
  accountId: string,
  options: { workspaceId?: string } = {},
): Promise<CampaignImport> {
  const account = await getAdAccount(db, tenantId, accountId);
  const credentials = await accountCredentials(db, deps, tenantId, accountId);
  let entries: PlatformCampaign[];
  try {
    entries = await readPlatformCampaigns(deps.endpoints, credentials, account.currency);
  } catch (error) {
    if (!(error instanceof AdAccountRefusedError)) throw error;
    // Recorded on the account (a refused token: needs_reconnect) before the refusal is answered.
    const tested = await testAdAccount(db, deps, tenantId, accountId);
    throw new ConflictError(`cannot import: ${tested.error ?? error.message}`);
  }
  return db.transaction(async (s) => {
    // The tenant's first workspace unless one is named (as a campaign created without one).
    const workspaceId = options.workspaceId
      ? (await tenants.getWorkspace(s, tenantId, options.workspaceId)) && options.workspaceId
      : await campaigns.defaultWorkspace(s, tenantId);
    if (!workspaceId) {
      throw new InvalidInputError([{ field: 'workspace_id', in: 'body', message: 'names no workspace of the tenant' }]);
    }
    const known = new Set(
      (await links.linksOfAccount(s, tenantId, accountId)).map((l) => keyOf(l.external_kind, l.external_id)),
    );
    const linked = entries.filter((e) => known.has(keyOf(e.kind, e.externalId)));
    const unlinked = entries.filter((e) => !known.has(keyOf(e.kind, e.externalId)));
    const fresh = unlinked
      .filter((e) => e.status !== 'archived')
      .map((e) => ({ ...linkedCampaign(e), campaignId: randomUUID() }));
    const channel = account.platform;
    await links.insertLinkedCampaigns(
      s,
      tenantId,
      { id: accountId, currency: account.currency, channel },
      workspaceId,
      fresh,
    );
    const moved = await links.refreshLinkedCampaigns(
      s,
      tenantId,
      { id: accountId, currency: account.currency },
      linked.map(linkedCampaign),
    );
    return {
      account,
      created_campaign_ids: fresh.map((e) => e.campaignId),
      refreshed: linked.length,
      moved_on_platform: moved.length,
      skipped_archived: unlinked.length - fresh.length,
    };
  });
}
