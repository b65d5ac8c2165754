// account.needs_reconnect (docs/notifications.md): an ad account or a social account whose
// platform refused its credentials. Told on the transition only: written before the account's
// status changes, in the same transaction, and only while the account is not yet marked, so a
// refusal met again every hour tells nobody twice.
import type { SqlSession } from '../db/port.ts';
import { writeEvents } from './outbox.ts';

/** Where each kind of account lives, and the column of its name. */
const ACCOUNTS = {
  ad: { table: 'ad_accounts', name: 'name' },
  social: { table: 'social_accounts', name: 'account_name' },
} as const;

/** Call before marking the account needs_reconnect; `reason` is the platform's words, never a token. */
export function recordNeedsReconnect(
  s: SqlSession,
  tenantId: string,
  account: { kind: keyof typeof ACCOUNTS; id: string; reason: string },
  at?: Date,
): Promise<number> {
  const { table, name } = ACCOUNTS[account.kind];
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT 'account.needs_reconnect' AS type,
            jsonb_build_object('account_id', a.id, 'kind', $5::text, 'platform', a.platform, 'name', a.${name},
                               'reason', $4::text) AS data
       FROM ${table} a
      WHERE a.tenant_id = $1 AND a.id = $3 AND a.status <> 'needs_reconnect'`,
    [account.id, account.reason, account.kind],
  );
}
