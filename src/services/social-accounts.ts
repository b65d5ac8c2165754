// Connecting social accounts by consent from the dashboard, listing them with their status,
// disconnecting them, and keeping an X account's two-hour access token fresh. A consent is the
// ad accounts' (src/services/oauth-consent.ts: single-use, expiring state bound to the browser);
// what it connects is the provider's: Facebook Login connects every Page the person granted and
// the Instagram business account linked to each; X connects the person's X account.
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import { AdPlatformError } from '../ads/errors.ts';
import type { AdOAuthConfig } from '../ads/oauth-config.ts';
import type { SocialAccountRecord, SocialProvider } from '../contract/social-accounts.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import * as accounts from '../db/repositories/social-accounts.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { ConflictError, NotFoundError, UpstreamUnavailableError } from '../domain/errors.ts';
import { X_API_BASE_URL } from '../social/adapters.ts';
import { facebookDialogUrl, pagesFromConsent } from '../social/facebook-login.ts';
import type { XOAuthApp } from '../social/oauth-config.ts';
import { isRetryable, type Platform, PlatformError } from '../social/platform.ts';
import {
  refreshXToken,
  revokeXToken,
  type XOAuthSettings,
  xAccountFromConsent,
  xAuthorizationUrl,
} from '../social/x-oauth.ts';
import { beginConsent, ConsentRefusedError, finishConsent } from './oauth-consent.ts';

export interface SocialConnectDeps {
  cipher: TokenCipher;
  /** Facebook Login's token exchange and /me/accounts: the Graph API the ad accounts use too. */
  graph: { baseUrl: string; apiVersion: string };
  /** The install's Meta app (NIGHTSHIFT_META_APP_ID…), shared with the ad accounts. */
  meta?: { appId: string; appSecret: string; dialogOrigin: string } | undefined;
  /** The install's X app (NIGHTSHIFT_X_CLIENT_ID…). */
  x?: XOAuthApp | undefined;
  /** The X API (its token endpoint and /2/users/me). */
  xBaseUrl: string;
  /** Where people reach this install; else the request's own origin. */
  publicUrl?: string | undefined;
  timeoutMs: number;
}

/** What configuration gives beside the ad platforms' Meta app and endpoints. */
export interface SocialAppsConfig {
  /** X_API_BASE_URL unless configured (NIGHTSHIFT_X_API_BASE_URL). */
  xBaseUrl?: string | undefined;
  x?: XOAuthApp | undefined;
}

/** The Meta app, the Graph API and the key are the ad accounts'; X's are the install's X app. */
export function socialConnectDeps(
  adPlatforms: { endpoints: AdPlatformEndpoints; cipher: TokenCipher; oauth?: AdOAuthConfig },
  social: SocialAppsConfig,
): SocialConnectDeps {
  return {
    cipher: adPlatforms.cipher,
    graph: adPlatforms.endpoints.meta,
    meta: adPlatforms.oauth?.meta,
    publicUrl: adPlatforms.oauth?.publicUrl,
    x: social.x,
    xBaseUrl: social.xBaseUrl ?? X_API_BASE_URL,
    timeoutMs: adPlatforms.endpoints.timeoutMs,
  };
}

const PROVIDER_NAMES: Record<SocialProvider, string> = { facebook: 'Facebook', x: 'X' };

export const socialCallbackPath = (provider: SocialProvider) => `/api/social-accounts/oauth/${provider}/callback`;

/** The providers this install can connect through. */
export function configuredProviders(deps: SocialConnectDeps): SocialProvider[] {
  return [...(deps.meta ? (['facebook'] as const) : []), ...(deps.x ? (['x'] as const) : [])];
}

function metaApp(deps: SocialConnectDeps) {
  if (deps.meta) return deps.meta;
  throw new ConflictError(
    'connecting Facebook Pages and Instagram needs the install’s Meta app: set NIGHTSHIFT_META_APP_ID and NIGHTSHIFT_META_APP_SECRET',
  );
}

function xSettings(deps: SocialConnectDeps): XOAuthSettings {
  if (!deps.x) {
    throw new ConflictError(
      'connecting X needs the install’s X app: set NIGHTSHIFT_X_CLIENT_ID and NIGHTSHIFT_X_CLIENT_SECRET',
    );
  }
  return { ...deps.x, baseUrl: deps.xBaseUrl, timeoutMs: deps.timeoutMs };
}

export async function listSocialAccounts(db: Database, tenantId: string): Promise<SocialAccountRecord[]> {
  const rows = await db.session((s) => accounts.listSocialAccounts(s, tenantId));
  return rows.map((row) => ({
    id: row.id,
    platform: row.platform as SocialAccountRecord['platform'],
    name: row.account_name,
    external_account_id: row.external_account_id,
    status: row.status as SocialAccountRecord['status'],
    status_reason: row.status_reason,
    provider: row.platform === 'twitter' ? 'x' : 'facebook',
    token_expires_at: row.token_expires_at ? new Date(row.token_expires_at).toISOString() : null,
    connected_at: new Date(row.connected_at).toISOString(),
  }));
}

/**
 * Forgets the account and its tokens. An X account's token is revoked at X too, as a courtesy: X
 * unreachable or refusing does not keep the account (Facebook Page tokens cannot be revoked
 * without the person's user token, which is not kept).
 */
export async function disconnectSocialAccount(
  db: Database,
  deps: SocialConnectDeps,
  tenantId: string,
  id: string,
): Promise<void> {
  const gone = await db.transaction((s) => accounts.deleteSocialAccount(s, tenantId, id));
  if (!gone) throw new NotFoundError(`no social account ${id}`);
  if (gone.platform !== 'twitter' || !deps.x) return;
  try {
    const token = gone.refresh_token_ciphertext
      ? { value: deps.cipher.decrypt(gone.refresh_token_ciphertext), kind: 'refresh_token' as const }
      : { value: deps.cipher.decrypt(gone.access_token_ciphertext), kind: 'access_token' as const };
    await revokeXToken(xSettings(deps), token);
  } catch {
    // The account is gone here whatever X says, or whether the stored token still opens (a rotated key).
  }
}

/** Starts a consent: the provider's page to send the person to. Reconnecting is connecting again. */
export async function startSocialConsent(
  db: Database,
  deps: SocialConnectDeps,
  tenantId: string,
  input: { provider: SocialProvider; startedBy: string | null; origin: string },
) {
  const app = input.provider === 'facebook' ? metaApp(deps) : xSettings(deps);
  const redirectUri = `${(deps.publicUrl ?? input.origin).replace(/\/+$/, '')}${socialCallbackPath(input.provider)}`;
  const begun = await beginConsent(db, tenantId, {
    kind: input.provider,
    startedBy: input.startedBy,
    redirectUri,
    request: {},
  });
  const request = { redirectUri, state: begun.state };
  const authorizationUrl =
    input.provider === 'facebook'
      ? facebookDialogUrl({ ...deps.graph, ...(app as NonNullable<SocialConnectDeps['meta']>) }, request)
      : xAuthorizationUrl(app as XOAuthApp, { ...request, codeVerifier: begun.browserSecret });
  return {
    authorization_url: authorizationUrl,
    expires_at: begun.expiresAt.toISOString(),
    browserSecret: begun.browserSecret,
  };
}

/** A provider's failure, in words for the person: refused (consent again) or unreachable (try later). */
function inWords(provider: SocialProvider, error: unknown): unknown {
  const name = PROVIDER_NAMES[provider];
  if (error instanceof AdPlatformError) {
    if (error.kind === 'needs-reconnect' || error.kind === 'rejected') {
      return new ConsentRefusedError(`${name} refused the authorization code: ${error.message}`);
    }
    return new UpstreamUnavailableError(name, error.message);
  }
  if (error instanceof PlatformError) {
    if (isRetryable(error)) return new UpstreamUnavailableError(name, error.message);
    return new ConsentRefusedError(`${name} refused the connection: ${error.message}`);
  }
  return error;
}

type Connected = accounts.ConnectedSocialAccount;

async function facebookAccounts(deps: SocialConnectDeps, exchange: { code: string; redirectUri: string }) {
  const pages = await pagesFromConsent({ ...deps.graph, ...metaApp(deps), timeoutMs: deps.timeoutMs }, exchange);
  if (pages.length === 0) {
    throw new ConsentRefusedError(
      'Facebook granted no Page: connect again and choose at least one Page you manage (Instagram accounts come through their Page)',
    );
  }
  const seal = (token: string) => deps.cipher.encrypt(token);
  return pages.flatMap((page): Connected[] => {
    const common = {
      accessTokenCiphertext: seal(page.accessToken),
      refreshTokenCiphertext: null,
      tokenExpiresAt: null,
    };
    const facebook: Connected = { platform: 'facebook', accountName: page.name, externalAccountId: page.id, ...common };
    if (!page.instagram) return [facebook];
    const username = page.instagram.username ? `@${page.instagram.username}` : `${page.name} (Instagram)`;
    return [
      facebook,
      { platform: 'instagram', accountName: username, externalAccountId: page.instagram.id, ...common },
    ];
  });
}

async function xAccounts(
  deps: SocialConnectDeps,
  exchange: { code: string; redirectUri: string; codeVerifier: string },
): Promise<Connected[]> {
  const { user, grant } = await xAccountFromConsent(xSettings(deps), exchange);
  return [
    {
      platform: 'twitter',
      accountName: `@${user.username}`,
      externalAccountId: user.id,
      accessTokenCiphertext: deps.cipher.encrypt(grant.accessToken),
      refreshTokenCiphertext: grant.refreshToken ? deps.cipher.encrypt(grant.refreshToken) : null,
      tokenExpiresAt: grant.expiresAt ?? null,
    },
  ];
}

/**
 * The browser is back from the provider: the state is consumed, the code exchanged, and the
 * accounts it grants connected (reconnected when already there). Answers their ids. Throws
 * ConsentRefusedError (in words) or UpstreamUnavailableError; nothing is stored then.
 */
export async function completeSocialConsent(
  db: Database,
  deps: SocialConnectDeps,
  tenantId: string,
  input: {
    provider: SocialProvider;
    state: string;
    code: string | undefined;
    error: string | undefined;
    errorDescription: string | undefined;
    browserSecret: string | undefined;
  },
): Promise<string[]> {
  const name = PROVIDER_NAMES[input.provider];
  const found = await finishConsent(db, tenantId, name, { ...input, kind: input.provider });
  const exchange = { code: found.code, redirectUri: found.redirectUri };
  let connected: Connected[];
  try {
    connected =
      input.provider === 'facebook'
        ? await facebookAccounts(deps, exchange)
        : await xAccounts(deps, { ...exchange, codeVerifier: found.browserSecret });
  } catch (error) {
    throw inWords(input.provider, error);
  }
  return db.transaction(async (s) => {
    const ids: string[] = [];
    for (const account of connected) ids.push(await accounts.upsertSocialAccount(s, tenantId, account));
    return ids;
  });
}

export type XRenewalDeps = Pick<SocialConnectDeps, 'cipher' | 'x' | 'xBaseUrl' | 'timeoutMs'>;

/** The dispatcher's renewToken for a tenant: X accounts are renewed with their refresh token; others cannot be. */
export function tokenRenewal(db: Database, deps: XRenewalDeps, tenantId: string) {
  const scoped = tenantScoped(db, tenantId);
  return (platform: Platform, accountId: string) =>
    platform === 'twitter' ? refreshXAccount(scoped, deps, tenantId, accountId) : Promise.resolve(undefined);
}

/**
 * A fresh access token for an X account whose token has expired (or is about to), with the
 * refresh token kept; the new pair is stored before it is used. undefined when the account has no
 * refresh token or the install no X app. Throws PlatformError when X refuses or cannot be reached.
 */
export async function refreshXAccount(
  db: Database,
  deps: XRenewalDeps,
  tenantId: string,
  accountId: string,
): Promise<string | undefined> {
  if (!deps.x) return undefined;
  const sealed = await db.session((s) => accounts.refreshTokenOf(s, tenantId, accountId));
  if (!sealed) return undefined;
  const settings = { ...deps.x, baseUrl: deps.xBaseUrl, timeoutMs: deps.timeoutMs };
  const grant = await refreshXToken(settings, deps.cipher.decrypt(sealed));
  await db.transaction((s) =>
    accounts.saveRefreshedTokens(s, tenantId, accountId, {
      accessTokenCiphertext: deps.cipher.encrypt(grant.accessToken),
      refreshTokenCiphertext: grant.refreshToken ? deps.cipher.encrypt(grant.refreshToken) : null,
      tokenExpiresAt: grant.expiresAt ?? null,
    }),
  );
  return grant.accessToken;
}
