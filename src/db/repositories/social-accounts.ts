// Connected social accounts (social_accounts, owned here): connect (or reconnect: the same account
// again replaces its tokens and is connected again), list, disconnect, the token refresh of an X
// account; and for the engine and the dispatcher, the platforms connected, the account to post
// with, and the "needs reconnect" mark. Tokens come in and stay as ciphertexts; the list never
// reads them.
import { recordNeedsReconnect } from '../../notify/account-events.ts';
import type { SqlSession } from '../port.ts';

export interface ConnectedSocialAccount {
  platform: 'facebook' | 'instagram' | 'twitter';
  accountName: string;
  externalAccountId: string;
  accessTokenCiphertext: string;
  refreshTokenCiphertext: string | null;
  tokenExpiresAt: Date | null;
}

export interface SocialAccountListRow {
  id: string;
  platform: string;
  account_name: string;
  external_account_id: string;
  status: string;
  status_reason: string | null;
  token_expires_at: Date | null;
  connected_at: Date;
  updated_at: Date;
}

/** Connects the account, or reconnects it when the tenant has it already; answers its id. */
export async function upsertSocialAccount(
  s: SqlSession,
  tenantId: string,
  account: ConnectedSocialAccount,
): Promise<string> {
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO social_accounts (tenant_id, platform, account_name, external_account_id,
            access_token_ciphertext, refresh_token_ciphertext, token_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, platform, external_account_id) DO UPDATE
        SET account_name = EXCLUDED.account_name,
            access_token_ciphertext = EXCLUDED.access_token_ciphertext,
            refresh_token_ciphertext = EXCLUDED.refresh_token_ciphertext,
            token_expires_at = EXCLUDED.token_expires_at,
            status = 'connected', status_reason = NULL, connected_at = now(), updated_at = now()
     RETURNING id`,
    [
      tenantId,
      account.platform,
      account.accountName,
      account.externalAccountId,
      account.accessTokenCiphertext,
      account.refreshTokenCiphertext,
      account.tokenExpiresAt?.toISOString() ?? null,
    ],
  );
  return row!.id;
}

/** By platform, then the most recently connected first. */
export function listSocialAccounts(s: SqlSession, tenantId: string): Promise<SocialAccountListRow[]> {
  return s.query<SocialAccountListRow>(
    `SELECT id, platform, account_name, external_account_id, status, status_reason, token_expires_at,
            connected_at, updated_at
       FROM social_accounts WHERE tenant_id = $1
      ORDER BY platform, connected_at DESC, account_name, id`,
    [tenantId],
  );
}

/** Forgets the account and its tokens; answers what was forgotten (to revoke), undefined when there was none. */
export async function deleteSocialAccount(s: SqlSession, tenantId: string, id: string) {
  const [gone] = await s.query<{
    platform: string;
    access_token_ciphertext: string;
    refresh_token_ciphertext: string | null;
  }>(
    `DELETE FROM social_accounts WHERE tenant_id = $1 AND id = $2
     RETURNING platform, access_token_ciphertext, refresh_token_ciphertext`,
    [tenantId, id],
  );
  return gone;
}

/** The refresh token kept for the account, as a ciphertext, if any. */
export async function refreshTokenOf(s: SqlSession, tenantId: string, id: string): Promise<string | null> {
  const [row] = await s.query<{ refresh_token_ciphertext: string | null }>(
    'SELECT refresh_token_ciphertext FROM social_accounts WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  return row?.refresh_token_ciphertext ?? null;
}

/** New tokens from a refresh: X answers a new refresh token each time, and the old one stops working. */
export async function saveRefreshedTokens(
  s: SqlSession,
  tenantId: string,
  id: string,
  tokens: { accessTokenCiphertext: string; refreshTokenCiphertext: string | null; tokenExpiresAt: Date | null },
): Promise<void> {
  await s.query(
    `UPDATE social_accounts
        SET access_token_ciphertext = $3,
            refresh_token_ciphertext = COALESCE($4, refresh_token_ciphertext),
            token_expires_at = $5, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      id,
      tokens.accessTokenCiphertext,
      tokens.refreshTokenCiphertext,
      tokens.tokenExpiresAt?.toISOString() ?? null,
    ],
  );
}

/** The platforms the tenant can post to: those with a connected account. */
export async function connectedPlatforms(s: SqlSession, tenantId: string): Promise<string[]> {
  const rows = await s.query<{ platform: string }>(
    "SELECT DISTINCT platform FROM social_accounts WHERE tenant_id = $1 AND status = 'connected' ORDER BY platform",
    [tenantId],
  );
  return rows.map((r) => r.platform);
}

export interface PostingAccountRow {
  id: string;
  account_name: string;
  external_account_id: string;
  access_token_ciphertext: string;
  token_expires_at: Date | string | null;
}

/** The tenant's connected account on the platform, the most recently connected if several. */
export async function postingAccount(
  s: SqlSession,
  tenantId: string,
  platform: string,
): Promise<PostingAccountRow | undefined> {
  const [row] = await s.query<PostingAccountRow>(
    `SELECT id, account_name, external_account_id, access_token_ciphertext, token_expires_at
       FROM social_accounts
      WHERE tenant_id = $1 AND platform = $2 AND status = 'connected'
      ORDER BY connected_at DESC, id
      LIMIT 1`,
    [tenantId, platform],
  );
  return row;
}

/**
 * The account cannot post until someone reconnects it; `reason` says why, without the token. The
 * first time, account.needs_reconnect is told (src/notify/account-events.ts).
 */
export async function markNeedsReconnect(s: SqlSession, tenantId: string, id: string, reason: string): Promise<void> {
  await recordNeedsReconnect(s, tenantId, { kind: 'social', id, reason });
  await s.query(
    `UPDATE social_accounts SET status = 'needs_reconnect', status_reason = $3, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, reason],
  );
}
