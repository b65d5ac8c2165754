// A tenant's ad accounts, for /api/ad-accounts and `nightshift connect` / `nightshift accounts`:
// connecting tests the credentials against the platform first and stores nothing it refused;
// testing again records how the account stands (a refused token: needs_reconnect).

import type { AdCredentials } from '../ads/credentials.ts';
import { describeAdAccount } from '../ads/describe-account.ts';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import { AdAccountRefusedError, PLATFORM_NAMES } from '../ads/errors.ts';
import {
  type AdAccountRecord,
  type AdAccountSettings,
  adAccountSettings,
  BACKFILL_DAYS,
  type ConnectionTest,
} from '../contract/ad-accounts.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import * as accounts from '../db/repositories/ad-accounts.ts';
import { daysFrom } from '../domain/day.ts';
import { ConflictError, InvalidInputError, NotFoundError, UpstreamUnavailableError } from '../domain/errors.ts';

export interface AdAccountDeps {
  endpoints: AdPlatformEndpoints;
  /** Encrypts the credentials at rest, and decrypts them for a call. */
  cipher: TokenCipher;
}

type AccountRow = NonNullable<Awaited<ReturnType<typeof accounts.getAdAccount>>>;

/**
 * How far the backfill has got, in days of its BACKFILL_DAYS. One resumed on a later day (a sync
 * failed, the next one carried it on) runs past the day it started on: the count stops at the total.
 */
function backfillOf(from: string | null, through: string | null, done: boolean): AdAccountRecord['sync']['backfill'] {
  const stored = from !== null && through !== null ? Math.min(daysFrom(from, through), BACKFILL_DAYS) : 0;
  return { from, through, done, days_done: done ? BACKFILL_DAYS : stored, days_total: BACKFILL_DAYS };
}

/** The stored row as the API answers it: settings with their defaults filled in. */
function record(row: AccountRow): AdAccountRecord {
  const { last_synced_at, last_sync_error, backfill_from, backfilled_through, backfill_done_at, ...rest } = row;
  return {
    ...rest,
    platform: row.platform as AdAccountRecord['platform'],
    status: row.status as AdAccountRecord['status'],
    settings: adAccountSettings.parse(row.settings),
    last_tested_at: row.last_tested_at?.toISOString() ?? null,
    sync: {
      last_synced_at: last_synced_at?.toISOString() ?? null,
      last_error: last_sync_error,
      backfill: backfillOf(backfill_from, backfilled_through, backfill_done_at !== null),
    },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function listAdAccounts(db: Database, tenantId: string): Promise<AdAccountRecord[]> {
  const found = await db.session((s) => accounts.listAdAccounts(s, tenantId));
  return found.map(record);
}

export async function getAdAccount(db: Database, tenantId: string, id: string): Promise<AdAccountRecord> {
  const row = await db.session((s) => accounts.getAdAccount(s, tenantId, id));
  if (!row) throw new NotFoundError(`no ad account ${id}`);
  return record(row);
}

/**
 * Connects the account the credentials reach (or reconnects it with new ones): the platform is
 * asked for the account first, and a refusal stores nothing and answers in the platform's words.
 */
export async function connectAdAccount(
  db: Database,
  deps: AdAccountDeps,
  tenantId: string,
  input: { credentials: AdCredentials; settings: AdAccountSettings; connectedBy: string | null },
): Promise<AdAccountRecord> {
  const { credentials } = input;
  if (input.settings.conversion_action !== undefined && credentials.platform !== 'meta') {
    throw new InvalidInputError([
      { field: 'settings.conversion_action', in: 'body', message: 'is for Meta accounts only' },
    ]);
  }
  let described: Awaited<ReturnType<typeof describeAdAccount>>;
  try {
    described = await describeAdAccount(deps.endpoints, credentials);
  } catch (error) {
    if (!(error instanceof AdAccountRefusedError)) throw error;
    throw new InvalidInputError(
      [{ field: 'credentials', in: 'body', message: error.message }],
      `${PLATFORM_NAMES[credentials.platform]} refused the connection: ${error.message}`,
    );
  }
  const row = await db.transaction((s) =>
    accounts.upsertAdAccount(s, tenantId, {
      platform: credentials.platform,
      externalAccountId: described.externalAccountId,
      name: described.name,
      currency: described.currency,
      timeZone: described.timeZone,
      credentialsCiphertext: deps.cipher.encrypt(JSON.stringify(credentials)),
      settings: input.settings,
      connectedBy: input.connectedBy,
    }),
  );
  return record(row);
}

/** The stored credentials of a connected account, decrypted for a call to its platform. */
export async function accountCredentials(
  db: Database,
  deps: Pick<AdAccountDeps, 'cipher'>,
  tenantId: string,
  id: string,
): Promise<AdCredentials> {
  const row = await db.session((s) => accounts.credentialsOf(s, tenantId, id));
  if (!row) throw new NotFoundError(`no ad account ${id}`);
  if (!row.credentials_ciphertext) {
    throw new ConflictError(`the ad account ${id} is disconnected: connect it again to use it`);
  }
  return { platform: row.platform, ...JSON.parse(deps.cipher.decrypt(row.credentials_ciphertext)) } as AdCredentials;
}

/**
 * Asks the platform for the account again: its name and currency as they are now, or the
 * platform's error in words, recorded on the account (a refused token: needs_reconnect).
 */
export async function testAdAccount(
  db: Database,
  deps: AdAccountDeps,
  tenantId: string,
  id: string,
): Promise<ConnectionTest> {
  const credentials = await accountCredentials(db, deps, tenantId, id);
  let outcome: Parameters<typeof accounts.recordConnectionTest>[3];
  try {
    const described = await describeAdAccount(deps.endpoints, credentials);
    outcome = { ok: true, name: described.name, currency: described.currency, timeZone: described.timeZone };
  } catch (error) {
    if (error instanceof AdAccountRefusedError) {
      outcome = { ok: false, status: error.needsReconnect ? 'needs_reconnect' : 'connected', reason: error.message };
    } else if (error instanceof UpstreamUnavailableError) {
      // The platform is down, not the account: its status stays, the reason says what happened.
      outcome = { ok: false, status: 'connected', reason: error.message };
    } else {
      throw error;
    }
  }
  const row = await db.transaction((s) => accounts.recordConnectionTest(s, tenantId, id, outcome));
  if (!row) throw new NotFoundError(`no ad account ${id}`);
  return { ok: outcome.ok, account: record(row), error: outcome.ok ? null : outcome.reason };
}

export async function disconnectAdAccount(db: Database, tenantId: string, id: string): Promise<AdAccountRecord> {
  const row = await db.transaction((s) => accounts.disconnectAdAccount(s, tenantId, id));
  if (!row) throw new NotFoundError(`no ad account ${id}`);
  return record(row);
}
