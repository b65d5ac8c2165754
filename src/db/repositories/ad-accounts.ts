// A tenant's ad accounts (table ad_accounts, owned here): connected, listed, re-tested, disconnected.
// The credentials column is read only by credentialsOf: answers never carry it.
import { sql } from 'kysely';
import { recordNeedsReconnect } from '../../notify/account-events.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

const RECORD = [
  'id',
  'platform',
  'external_account_id',
  'name',
  'currency',
  'time_zone',
  'settings',
  'status',
  'status_reason',
  'last_tested_at',
  // The stats sync's state (migration 0031; written by repositories/ad-account-sync.ts).
  'last_synced_at',
  'last_sync_error',
  'backfill_from',
  'backfilled_through',
  'backfill_done_at',
  'created_at',
  'updated_at',
] as const;

export interface ConnectedAccount {
  platform: string;
  externalAccountId: string;
  name: string;
  currency: string;
  timeZone: string | null;
  credentialsCiphertext: string;
  settings: object;
  connectedBy: string | null;
}

/** Connects the account, or reconnects it (new credentials and settings) when it is already known. */
export async function upsertAdAccount(s: SqlSession, tenantId: string, account: ConnectedAccount) {
  const [row] = await rows(
    s,
    typed
      .insertInto('ad_accounts')
      .values({
        tenant_id: tenantId,
        platform: account.platform,
        external_account_id: account.externalAccountId,
        name: account.name,
        currency: account.currency,
        time_zone: account.timeZone,
        credentials_ciphertext: account.credentialsCiphertext,
        settings: JSON.stringify(account.settings),
        connected_by: account.connectedBy,
        last_tested_at: sql<Date>`now()`,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'platform', 'external_account_id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          currency: eb.ref('excluded.currency'),
          time_zone: eb.ref('excluded.time_zone'),
          credentials_ciphertext: eb.ref('excluded.credentials_ciphertext'),
          settings: eb.ref('excluded.settings'),
          connected_by: eb.ref('excluded.connected_by'),
          status: 'connected',
          status_reason: null,
          last_tested_at: sql<Date>`now()`,
          updated_at: sql<Date>`now()`,
        })),
      )
      .returning(RECORD),
  );
  return row!;
}

export function listAdAccounts(s: SqlSession, tenantId: string) {
  return rows(
    s,
    typed
      .selectFrom('ad_accounts')
      .select(RECORD)
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id'),
  );
}

export async function getAdAccount(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed.selectFrom('ad_accounts').select(RECORD).where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return row;
}

/** The encrypted credentials, for a call to the platform. */
export async function credentialsOf(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('ad_accounts')
      .select(['platform', 'credentials_ciphertext'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id),
  );
  return row;
}

/**
 * What a test of the connection found: the account as the platform names it now, or its refusal.
 * A refusal that first marks it needs_reconnect tells so (src/notify/account-events.ts).
 */
export async function recordConnectionTest(
  s: SqlSession,
  tenantId: string,
  id: string,
  outcome:
    | { ok: true; name: string; currency: string; timeZone: string | null }
    | { ok: false; status: 'connected' | 'needs_reconnect'; reason: string },
) {
  const changes = outcome.ok
    ? {
        name: outcome.name,
        currency: outcome.currency,
        time_zone: outcome.timeZone,
        status: 'connected',
        status_reason: null,
      }
    : { status: outcome.status, status_reason: outcome.reason };
  if (!outcome.ok && outcome.status === 'needs_reconnect') {
    await recordNeedsReconnect(s, tenantId, { kind: 'ad', id, reason: outcome.reason });
  }
  const [row] = await rows(
    s,
    typed
      .updateTable('ad_accounts')
      .set({ ...changes, last_tested_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning(RECORD),
  );
  return row;
}

/** Disconnects the account: its credentials are erased, its record (and its campaigns' history) kept. */
export async function disconnectAdAccount(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed
      .updateTable('ad_accounts')
      .set({
        status: 'disconnected',
        status_reason: null,
        credentials_ciphertext: '',
        updated_at: sql<Date>`now()`,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning(RECORD),
  );
  return row;
}

/** The tenant an account belongs to, for a command that names the account alone (unscoped database). */
export async function tenantOfAdAccount(s: SqlSession, id: string): Promise<string | undefined> {
  const [row] = await rows(s, typed.selectFrom('ad_accounts').select('tenant_id').where('id', '=', id));
  return row?.tenant_id;
}
