// Connecting an ad account by consent (OAuth 2.0 authorization code) from the dashboard: a person
// starts (naming the account and its settings), is sent to the platform, and comes back to the
// callback with a code and the state (single-use, expiring, bound to tenant, user and browser:
// src/services/oauth-consent.ts). The callback exchanges the code at the platform's token endpoint
// and connects the account exactly as a connection with typed-in credentials does (the platform is
// asked first; a refusal stores nothing).
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
import { ConflictError, InvalidInputError } from '../domain/errors.ts';
import { connectAdAccount } from './ad-accounts.ts';
import { beginConsent, ConsentRefusedError, finishConsent } from './oauth-consent.ts';

export { ConsentRefusedError, OAUTH_STATE_TTL_MS, tenantOfState } from './oauth-consent.ts';

export interface AdOAuthDeps {
  endpoints: AdPlatformEndpoints;
  cipher: TokenCipher;
  oauth: AdOAuthConfig;
  /** How long a started consent may take; ten minutes unless said. */
  stateTtlMs?: number;
}

/** The callback's path for a platform. */
export const oauthCallbackPath = (platform: ConsentTarget['platform']) => `/api/ad-accounts/oauth/${platform}/callback`;

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
  const redirectUri = `${(deps.oauth.publicUrl ?? input.origin).replace(/\/+$/, '')}${oauthCallbackPath(target.platform)}`;
  const { state, browserSecret, expiresAt } = await beginConsent(db, tenantId, {
    kind: target.platform,
    startedBy: input.startedBy,
    redirectUri,
    request: { target, settings: input.settings },
    ttlMs: deps.stateTtlMs,
  });
  return {
    authorization_url: consentUrl(deps.endpoints, deps.oauth, target.platform, { redirectUri, state }),
    expires_at: expiresAt.toISOString(),
    browserSecret,
  };
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
  const found = await finishConsent(db, tenantId, name, { ...input, kind: input.platform });
  const request = found.request as { target: ConsentTarget; settings: unknown };
  let credentials: Awaited<ReturnType<typeof credentialsFromConsent>>;
  try {
    credentials = await credentialsFromConsent(deps.endpoints, deps.oauth, request.target, {
      code: found.code,
      redirectUri: found.redirectUri,
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
      connectedBy: found.startedBy,
    });
  } catch (error) {
    if (error instanceof InvalidInputError) throw new ConsentRefusedError(error.message);
    throw error;
  }
}
