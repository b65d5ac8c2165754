// Connecting an ad account by consent (OAuth 2.0 authorization code) from the dashboard: a person
// starts (naming the account and its settings), is sent to the platform, and comes back to the
// callback with a code and the state. The state is random, single-use, expires after ten minutes,
// is stored (as a digest) under the tenant that started it, with the user, and is bound to the
// browser that started it by a cookie. The callback consumes it, exchanges the code at the
// platform's token endpoint and connects the account exactly as a connection with typed-in
// credentials does (the platform is asked first; a refusal stores nothing).
//
// Stored rather than signed: a signed state cannot be made single-use without storing it anyway,
// and the table lets the callback say why a state was refused (used, expired, unknown).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import { AdAccountRefusedError, PLATFORM_NAMES } from '../ads/errors.ts';
import {
  type ConsentTarget,
  checkOAuthConfigured,
  consentUrl,
  credentialsFromConsent,
  OAuthNotConfiguredError,
} from '../ads/oauth.ts';
import type { AdOAuthConfig } from '../ads/oauth-config.ts';
import { type AdAccountRecord, type AdAccountSettings, adAccountSettings } from '../contract/ad-accounts.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import * as states from '../db/repositories/ad-oauth-states.ts';
import { ConflictError, InvalidInputError } from '../domain/errors.ts';
import { connectAdAccount } from './ad-accounts.ts';

export interface AdOAuthDeps {
  endpoints: AdPlatformEndpoints;
  cipher: TokenCipher;
  oauth: AdOAuthConfig;
  /** How long a started consent may take; ten minutes unless said. */
  stateTtlMs?: number;
}

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** The callback's path for a platform. */
export const oauthCallbackPath = (platform: ConsentTarget['platform']) => `/api/ad-accounts/oauth/${platform}/callback`;

/** The tenant a state belongs to, and its secret part: `<tenant id>.<random>`. */
function splitState(state: string): { tenantId: string; secret: string } | undefined {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{32,128})$/.exec(state);
  return match ? { tenantId: match[1]!, secret: match[2]! } : undefined;
}

/** The tenant the state names (the callback scopes its database to it), or undefined when malformed. */
export function tenantOfState(state: string): string | undefined {
  return splitState(state)?.tenantId;
}

export interface StartedConsent {
  authorization_url: string;
  expires_at: string;
  /** The browser's half of the binding: set as an HttpOnly cookie by the route, never shown. */
  browserSecret: string;
}

/** Starts a consent: the platform's page to send the person to, and the state stored for the callback. */
export async function startAdAccountConsent(
  db: Database,
  deps: AdOAuthDeps,
  tenantId: string,
  input: {
    target: ConsentTarget;
    settings: AdAccountSettings;
    startedBy: string | null;
    /** The origin the request came to, when no public URL is configured. */
    origin: string;
  },
): Promise<StartedConsent> {
  const { target } = input;
  try {
    checkOAuthConfigured(deps.oauth, target.platform);
  } catch (error) {
    if (error instanceof OAuthNotConfiguredError) throw new ConflictError(error.message);
    throw error;
  }
  if (input.settings.conversion_action !== undefined && target.platform !== 'meta') {
    throw new InvalidInputError([
      { field: 'settings.conversion_action', in: 'body', message: 'is for Meta accounts only' },
    ]);
  }
  const state = `${tenantId}.${randomBytes(32).toString('base64url')}`;
  const browserSecret = randomBytes(32).toString('base64url');
  const redirectUri = `${(deps.oauth.publicUrl ?? input.origin).replace(/\/+$/, '')}${oauthCallbackPath(target.platform)}`;
  const expiresAt = new Date(Date.now() + (deps.stateTtlMs ?? OAUTH_STATE_TTL_MS));
  await db.transaction(async (s) => {
    await states.pruneOAuthStates(s, tenantId);
    await states.insertOAuthState(s, tenantId, {
      platform: target.platform,
      stateDigest: digest(state),
      browserDigest: digest(browserSecret),
      startedBy: input.startedBy,
      redirectUri,
      request: { target, settings: input.settings },
      expiresAt,
    });
  });
  return {
    authorization_url: consentUrl(deps.endpoints, deps.oauth, target.platform, { redirectUri, state }),
    expires_at: expiresAt.toISOString(),
    browserSecret,
  };
}

/** Why a callback connected nothing, in words for the person who started it. */
export class ConsentRefusedError extends Error {
  override name = 'ConsentRefusedError';
}

/**
 * The browser is back from the platform: the state is checked and consumed (once), the code
 * exchanged for credentials, and the account connected. `db` is scoped to the state's tenant, so
 * a state of another tenant is not found.
 */
export async function completeAdAccountConsent(
  db: Database,
  deps: AdOAuthDeps,
  tenantId: string,
  input: {
    platform: ConsentTarget['platform'];
    state: string;
    code: string | undefined;
    /** The platform's refusal (error=access_denied…), when the person declined. */
    error: string | undefined;
    errorDescription: string | undefined;
    /** The cookie set at the start, as the browser sent it back. */
    browserSecret: string | undefined;
  },
): Promise<AdAccountRecord> {
  const name = PLATFORM_NAMES[input.platform];
  const split = splitState(input.state);
  if (!split || split.tenantId !== tenantId) throw new ConsentRefusedError('the connection request is not valid');
  const found = await db.transaction((s) => states.consumeOAuthState(s, tenantId, digest(input.state)));
  if (!found || found.platform !== input.platform) {
    throw new ConsentRefusedError('the connection request is unknown to this workspace: start connecting again');
  }
  if (found.used_at !== null) {
    throw new ConsentRefusedError('this connection request was already used: start connecting again');
  }
  if (found.expired) throw new ConsentRefusedError('the connection request expired: start connecting again');
  const expected = Buffer.from(found.browser_digest, 'hex');
  const given = Buffer.from(digest(input.browserSecret ?? ''), 'hex');
  if (!input.browserSecret || !timingSafeEqual(expected, given)) {
    throw new ConsentRefusedError(
      'the connection was started in another browser: start connecting again from this one',
    );
  }
  if (input.error !== undefined) {
    const said = input.errorDescription ? `${input.error}: ${input.errorDescription}` : input.error;
    throw new ConsentRefusedError(`${name} did not grant access (${said})`);
  }
  if (!input.code) throw new ConsentRefusedError(`${name} sent no authorization code back`);
  const request = found.request as { target: ConsentTarget; settings: unknown };
  let credentials: Awaited<ReturnType<typeof credentialsFromConsent>>;
  try {
    credentials = await credentialsFromConsent(deps.endpoints, deps.oauth, request.target, {
      code: input.code,
      redirectUri: found.redirect_uri,
    });
  } catch (error) {
    if (error instanceof AdAccountRefusedError) {
      throw new ConsentRefusedError(`${name} refused the authorization code: ${error.message}`);
    }
    if (error instanceof OAuthNotConfiguredError) throw new ConsentRefusedError(error.message);
    throw error;
  }
  try {
    return await connectAdAccount(db, deps, tenantId, {
      credentials,
      settings: adAccountSettings.parse(request.settings),
      connectedBy: found.started_by,
    });
  } catch (error) {
    if (error instanceof InvalidInputError) throw new ConsentRefusedError(error.message);
    throw error;
  }
}
