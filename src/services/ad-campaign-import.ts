// Importing an ad account's campaigns: each platform campaign (or Meta ad set, where the budget
// lives) becomes a Nightshift campaign linked by its external id, with autopilot off until a person
// turns it on; a campaign imported before follows the platform (follow-platform.ts: a change made
// there outside Nightshift is recorded in the ledger). The links are read, then the platform,
// outside any transaction; the writes are one transaction of set-based statements.
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
import { followPlatform, linkedCampaign, splitByLink } from './follow-platform.ts';

export async function importAdAccountCampaigns(
  db: Database,
  deps: AdAccountDeps,
  tenantId: string,
  accountId: string,
  options: { workspaceId?: string } = {},
): Promise<CampaignImport> {
  const account = await getAdAccount(db, tenantId, accountId);
  const credentials = await accountCredentials(db, deps, tenantId, accountId);
  // Before the platform: the versions a linked campaign must still have to follow it.
  const known = await db.session((s) => links.linksOfAccount(s, tenantId, accountId));
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
    const { linked, unlinked } = splitByLink(entries, known);
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
    const refresh = await followPlatform(
      s,
      tenantId,
      { id: accountId, platform: channel, currency: account.currency },
      linked,
    );
    return {
      account,
      created_campaign_ids: fresh.map((e) => e.campaignId),
      refreshed: refresh.refreshed,
      moved_on_platform: refresh.moves.length,
      skipped_archived: unlinked.length - fresh.length,
    };
  });
}
