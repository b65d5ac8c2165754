// A consent under way (OAuth 2.0 authorization code), whatever it connects: an ad account
// (src/services/ad-account-oauth.ts) or social accounts (src/services/social-accounts.ts). The
// state is random, single-use, expires after ten minutes, is stored (as a digest) under the tenant
// that started it, with the user, and is bound to the browser that started it by a cookie.
//
// Stored rather than signed: a signed state cannot be made single-use without storing it anyway,
// and the table lets the callback say why a state was refused (used, expired, unknown).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/port.ts';
import * as states from '../db/repositories/ad-oauth-states.ts';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** The tenant a state belongs to, and its secret part: `<tenant id>.<random>`. */
function splitState(state: string): { tenantId: string; secret: string } | undefined {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{32,128})$/.exec(state);
  return match ? { tenantId: match[1]!, secret: match[2]! } : undefined;
}

/** The tenant the state names (the callback scopes its database to it), or undefined when malformed. */
export function tenantOfState(state: string): string | undefined {
  return splitState(state)?.tenantId;
}

export interface BegunConsent {
  state: string;
  /**
   * The browser's half of the binding: set as an HttpOnly cookie by the route, never shown. 43
   * characters of base64url, so it is also a valid PKCE code verifier (RFC 7636 §4.1): a consent
   * that needs one uses it, and the verifier is then never stored on the server either.
   */
  browserSecret: string;
  expiresAt: Date;
}

/** Stores a new consent's state: what the callback needs to finish it, and nothing secret. */
export async function beginConsent(
  db: Database,
  tenantId: string,
  consent: { kind: string; startedBy: string | null; redirectUri: string; request: object; ttlMs?: number | undefined },
): Promise<BegunConsent> {
  const state = `${tenantId}.${randomBytes(32).toString('base64url')}`;
  const browserSecret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + (consent.ttlMs ?? OAUTH_STATE_TTL_MS));
  await db.transaction(async (s) => {
    await states.pruneOAuthStates(s, tenantId);
    await states.insertOAuthState(s, tenantId, {
      platform: consent.kind,
      stateDigest: digest(state),
      browserDigest: digest(browserSecret),
      startedBy: consent.startedBy,
      redirectUri: consent.redirectUri,
      request: consent.request,
      expiresAt,
    });
  });
  return { state, browserSecret, expiresAt };
}

/** Why a callback connected nothing, in words for the person who started it. */
export class ConsentRefusedError extends Error {
  override name = 'ConsentRefusedError';
}

export interface ReturnedConsent {
  kind: string;
  state: string;
  code: string | undefined;
  /** The provider's refusal (error=access_denied…), when the person declined. */
  error: string | undefined;
  errorDescription: string | undefined;
  /** The cookie set at the start, as the browser sent it back. */
  browserSecret: string | undefined;
}

/**
 * The browser is back from the provider (named `providerName` in messages): the state is checked
 * and consumed (once), and the code answered with what was stored at the start. `db` is scoped to
 * the state's tenant, so a state of another tenant is not found. Throws ConsentRefusedError.
 */
export async function finishConsent(db: Database, tenantId: string, providerName: string, back: ReturnedConsent) {
  const split = splitState(back.state);
  if (!split || split.tenantId !== tenantId) throw new ConsentRefusedError('the connection request is not valid');
  const found = await db.transaction((s) => states.consumeOAuthState(s, tenantId, digest(back.state)));
  if (!found || found.platform !== back.kind) {
    throw new ConsentRefusedError('the connection request is unknown to this workspace: start connecting again');
  }
  if (found.used_at !== null) {
    throw new ConsentRefusedError('this connection request was already used: start connecting again');
  }
  if (found.expired) throw new ConsentRefusedError('the connection request expired: start connecting again');
  const expected = Buffer.from(found.browser_digest, 'hex');
  const given = Buffer.from(digest(back.browserSecret ?? ''), 'hex');
  if (!back.browserSecret || !timingSafeEqual(expected, given)) {
    throw new ConsentRefusedError(
      'the connection was started in another browser: start connecting again from this one',
    );
  }
  if (back.error !== undefined) {
    const said = back.errorDescription ? `${back.error}: ${back.errorDescription}` : back.error;
    throw new ConsentRefusedError(`${providerName} did not grant access (${said})`);
  }
  if (!back.code) throw new ConsentRefusedError(`${providerName} sent no authorization code back`);
  return {
    code: back.code,
    browserSecret: back.browserSecret,
    redirectUri: found.redirect_uri,
    startedBy: found.started_by,
    request: found.request,
  };
}
