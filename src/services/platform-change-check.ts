// A dry run of the changes queued for the ad platforms (POST /api/platform-changes/check,
// `nightshift changes --check`): each platform is asked whether it would take each change, and
// changes nothing — Google Ads with `validateOnly` (and `partialFailure`, so each operation answers
// for itself), Meta with `execution_options=["validate_only"]`, one call per change. Nothing is
// claimed or written: the delivery worker (platform-changes.ts) sends them as it would have.
import { googleAdsClientFor, metaClientFor } from '../ads/clients.ts';
import type { GoogleAdsCredentials, MetaCredentials } from '../ads/credentials.ts';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import { AdPlatformError } from '../ads/errors.ts';
import type { PlatformChangeCheck } from '../contract/platform-changes.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import * as outbox from '../db/repositories/platform-changes.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { ConflictError } from '../domain/errors.ts';
import { accountCredentials } from './ad-accounts.ts';
import { operationWords, withFreshToken } from './platform-changes.ts';

export interface CheckOptions {
  tenantId: string;
  endpoints: AdPlatformEndpoints;
  cipher: TokenCipher;
  /** The most queued changes checked, oldest due first; 200 unless set. */
  limit?: number;
}

/** valid: the platform would take it; invalid: it would refuse it (reason); not_checked: it could not be asked (reason). */
export type CheckedChange = PlatformChangeCheck['changes'][number];

type Row = outbox.ClaimedChange;

async function checkMetaRows(endpoints: AdPlatformEndpoints, credentials: MetaCredentials, rows: Row[]) {
  const client = metaClientFor(endpoints, credentials);
  const verdicts = new Map<Row, Pick<CheckedChange, 'verdict' | 'reason'>>();
  for (const row of rows) {
    const change =
      row.field === 'status' ? { status: row.to_value as 'ACTIVE' | 'PAUSED' } : { dailyBudget: row.to_value };
    try {
      await client.updateObject(row.external_id, change, { validateOnly: true });
      verdicts.set(row, { verdict: 'valid' });
    } catch (error) {
      if (!(error instanceof AdPlatformError)) throw error;
      // Refused: the change itself is wrong (invalid); otherwise the call failed (not checked).
      verdicts.set(row, { verdict: error.kind === 'rejected' ? 'invalid' : 'not_checked', reason: error.message });
      // A refused token, a rate limit or Meta down answers the same for every other row: stop asking.
      if (error.kind !== 'rejected') {
        for (const rest of rows) if (!verdicts.has(rest)) verdicts.set(rest, verdicts.get(row)!);
        break;
      }
    }
  }
  return verdicts;
}

async function checkGoogleRows(endpoints: AdPlatformEndpoints, credentials: GoogleAdsCredentials, rows: Row[]) {
  const client = googleAdsClientFor(endpoints, credentials);
  const verdicts = new Map<Row, Pick<CheckedChange, 'verdict' | 'reason'>>();
  for (const row of rows) {
    if (row.field === 'budget' && !row.budget_id) {
      verdicts.set(row, { verdict: 'invalid', reason: 'the Google Ads campaign has no budget of its own to change' });
    }
  }
  const check = { validateOnly: true, partialFailure: true };
  for (const field of ['status', 'budget'] as const) {
    const batch = rows.filter((row) => row.field === field && !verdicts.has(row));
    if (batch.length === 0) continue;
    try {
      const result = await withFreshToken(() =>
        field === 'status'
          ? client.setCampaignStatuses(
              batch.map((row) => ({ campaignId: row.external_id, status: row.to_value as 'ENABLED' | 'PAUSED' })),
              check,
            )
          : client.setBudgetAmounts(
              batch.map((row) => ({ budgetId: row.budget_id!, amountMicros: BigInt(row.to_value) })),
              check,
            ),
      );
      batch.forEach((row, index) => {
        const refused = operationWords(result, index);
        verdicts.set(row, refused ? { verdict: 'invalid', reason: refused } : { verdict: 'valid' });
      });
    } catch (error) {
      if (!(error instanceof AdPlatformError)) throw error;
      for (const row of batch) verdicts.set(row, { verdict: 'not_checked', reason: error.message });
    }
  }
  return verdicts;
}

/** Asks each platform about the tenant's queued changes; one account's trouble never hides another's verdicts. */
export async function checkPlatformChanges(db: Database, options: CheckOptions): Promise<CheckedChange[]> {
  const scoped = tenantScoped(db, options.tenantId);
  const rows = await scoped.session((s) => outbox.queuedChanges(s, options.tenantId, options.limit ?? 200));
  const checked: CheckedChange[] = [];
  for (const [accountId, group] of Map.groupBy(rows, (row) => row.ad_account_id)) {
    let verdicts: Map<Row, Pick<CheckedChange, 'verdict' | 'reason'>>;
    const credentials = await accountCredentials(scoped, options, options.tenantId, accountId).catch((error) => {
      // A disconnected account: its changes wait for a reconnect, and cannot be checked meanwhile.
      if (error instanceof ConflictError) return error;
      throw error;
    });
    if (credentials instanceof ConflictError) {
      verdicts = new Map(group.map((row) => [row, { verdict: 'not_checked', reason: credentials.message }]));
    } else if (credentials.platform === 'meta') {
      verdicts = await checkMetaRows(options.endpoints, credentials, group);
    } else {
      verdicts = await checkGoogleRows(options.endpoints, credentials, group);
    }
    for (const row of group) {
      const { verdict, reason } = verdicts.get(row)!;
      checked.push({
        change_id: row.id,
        action_id: row.action_id,
        campaign_id: row.campaign_id,
        platform: row.platform,
        verdict,
        ...(reason ? { reason } : {}),
      });
    }
  }
  return checked;
}
