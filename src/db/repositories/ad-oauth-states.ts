// OAuth consents under way (table ad_oauth_states, owned here): a state stored when a person starts
// connecting an ad account, and consumed once when the browser comes back from the platform.
// Only digests of the state and of the browser cookie are stored.
import { sql } from 'kysely';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

export interface StartedConsent {
  platform: string;
  stateDigest: string;
  browserDigest: string;
  startedBy: string | null;
  redirectUri: string;
  request: object;
  expiresAt: Date;
}

export async function insertOAuthState(s: SqlSession, tenantId: string, consent: StartedConsent): Promise<void> {
  await rows(
    s,
    typed.insertInto('ad_oauth_states').values({
      tenant_id: tenantId,
      platform: consent.platform,
      state_digest: consent.stateDigest,
      browser_digest: consent.browserDigest,
      started_by: consent.startedBy,
      redirect_uri: consent.redirectUri,
      request: JSON.stringify(consent.request),
      expires_at: consent.expiresAt,
    }),
  );
}

/**
 * Marks the state used, and answers it as it was before: a state already used, or expired, is
 * answered with used_at or expires_at saying so and is not changed. One statement, so two
 * callbacks racing with the same state cannot both consume it.
 */
export async function consumeOAuthState(s: SqlSession, tenantId: string, stateDigest: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('ad_oauth_states')
      .select(['id', 'platform', 'browser_digest', 'started_by', 'redirect_uri', 'request', 'expires_at', 'used_at'])
      .select(sql<boolean>`expires_at <= now()`.as('expired'))
      .where('tenant_id', '=', tenantId)
      .where('state_digest', '=', stateDigest)
      .forUpdate(),
  );
  if (!row || row.used_at !== null || row.expired) return row;
  await rows(
    s,
    typed
      .updateTable('ad_oauth_states')
      .set({ used_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', row.id),
  );
  return row;
}

/** Forgets the states that can no longer be used (a day after they expired). */
export async function pruneOAuthStates(s: SqlSession, tenantId: string): Promise<void> {
  await rows(
    s,
    typed
      .deleteFrom('ad_oauth_states')
      .where('tenant_id', '=', tenantId)
      .where('expires_at', '<', sql<Date>`now() - interval '1 day'`),
  );
}
