// OAuth 2.0 with Google for the Ads API: the consent URL a user is sent to, the exchange of the
// code Google sends back for a refresh token, and access tokens got from that refresh token and
// kept until shortly before they expire. A refresh token Google no longer honours (invalid_grant:
// revoked, expired, the user changed their password) makes a GoogleAdsAuthError: the account
// needs reconnecting.
import {
  GoogleAdsAuthError,
  type GoogleAdsError,
  GoogleAdsRateLimitedError,
  GoogleAdsRejectedError,
  GoogleAdsUnavailableError,
} from './errors.ts';
import { readJson, send } from './http.ts';
import { ADWORDS_SCOPE, type GoogleAdsSettings, installSecrets } from './settings.ts';

export interface AuthorizationRequest {
  /** Where Google sends the user back, registered on the OAuth client. */
  redirectUri: string;
  /** Opaque, checked on the way back against cross-site request forgery. */
  state: string;
}

/** The consent page's URL: offline access (a refresh token), consent asked every time so it is issued. */
export function authorizationUrl(settings: GoogleAdsSettings, request: AuthorizationRequest): string {
  const params = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: ADWORDS_SCOPE,
    access_type: 'offline',
    prompt: 'consent',
    include_granted_scopes: 'true',
    state: request.state,
  });
  return `${settings.authorizationUrl}?${params}`;
}

export interface AccessToken {
  token: string;
  /** Epoch ms, by settings.now. */
  expiresAt: number;
}

export interface TokenGrant extends AccessToken {
  refreshToken: string;
  scope: string | undefined;
}

export interface TokenCallOptions {
  signal?: AbortSignal | undefined;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
  scope?: unknown;
}

/** OAuth's own errors: `{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}`. */
function tokenFailure(status: number, body: unknown): GoogleAdsError {
  const answer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof answer.error === 'string' ? answer.error : undefined;
  const description = typeof answer.error_description === 'string' ? answer.error_description : undefined;
  const text = typeof body === 'string' ? body.trim().slice(0, 200) : undefined;
  const said = [code, description ?? text].filter(Boolean).join(': ');
  const answered = said ? `HTTP ${status}: ${said}` : `HTTP ${status}`;
  if (code === 'invalid_grant') {
    return new GoogleAdsAuthError(`the Google authorization was refused, reconnect the account (${answered})`, {
      status,
      code,
    });
  }
  if (status === 429)
    return new GoogleAdsRateLimitedError(`the token endpoint is rate limited (${answered})`, { status });
  if (status >= 500 || status === 408) {
    return new GoogleAdsUnavailableError(`the token endpoint is unavailable (${answered})`, { status });
  }
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new GoogleAdsRejectedError(`the OAuth client was refused, check its id and secret (${answered})`, {
      status,
    });
  }
  return new GoogleAdsRejectedError(`the token endpoint refused the request (${answered})`, { status });
}

async function tokenCall(
  settings: GoogleAdsSettings,
  form: Record<string, string>,
  secrets: string[],
  options: TokenCallOptions,
): Promise<TokenAnswer> {
  const allSecrets = [...installSecrets(settings), ...secrets];
  const answer = await send(
    {
      url: settings.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        ...form,
      }).toString(),
      secrets: allSecrets,
      timeoutMs: settings.timeoutMs,
      signal: options.signal,
    },
    settings.fetch,
    tokenFailure,
  );
  const body = await readJson(answer);
  return typeof body === 'object' && body !== null ? (body as TokenAnswer) : {};
}

function accessTokenOf(answer: TokenAnswer, startedAt: number): AccessToken {
  const { access_token: token, expires_in: expiresIn } = answer;
  if (typeof token !== 'string' || !token) {
    throw new GoogleAdsUnavailableError('the token endpoint answered without an access token');
  }
  const seconds = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn ?? 3600);
  return { token, expiresAt: startedAt + (Number.isFinite(seconds) ? seconds : 3600) * 1000 };
}

/** One refresh: grant_type=refresh_token. */
export async function refreshAccessToken(
  settings: GoogleAdsSettings,
  refreshToken: string,
  options: TokenCallOptions = {},
): Promise<AccessToken> {
  const startedAt = settings.now();
  const answer = await tokenCall(
    settings,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    [refreshToken],
    options,
  );
  return accessTokenOf(answer, startedAt);
}

export interface CodeExchange {
  code: string;
  /** The same redirect URI the authorization URL named. */
  redirectUri: string;
}

/**
 * grant_type=authorization_code: the refresh token to keep (encrypted) for the account, and a
 * first access token. Google issues a refresh token only with access_type=offline; without one,
 * or without the adwords scope granted, the connection is refused.
 */
export async function exchangeAuthorizationCode(
  settings: GoogleAdsSettings,
  exchange: CodeExchange,
  options: TokenCallOptions = {},
): Promise<TokenGrant> {
  const startedAt = settings.now();
  const answer = await tokenCall(
    settings,
    { grant_type: 'authorization_code', code: exchange.code, redirect_uri: exchange.redirectUri },
    [exchange.code],
    options,
  );
  const access = accessTokenOf(answer, startedAt);
  const scope = typeof answer.scope === 'string' ? answer.scope : undefined;
  if (typeof answer.refresh_token !== 'string' || !answer.refresh_token) {
    throw new GoogleAdsRejectedError('Google granted no refresh token: connect again and allow offline access');
  }
  if (scope !== undefined && !scope.split(' ').includes(ADWORDS_SCOPE)) {
    throw new GoogleAdsRejectedError('the Google Ads permission was not granted: connect again and allow it');
  }
  return { ...access, refreshToken: answer.refresh_token, scope };
}

/**
 * Access tokens by refresh token, reused until `refreshMarginMs` before they expire. Callers
 * asking at once share one refresh; that refresh is bounded by the call timeout, not by any one
 * caller's signal, so one caller giving up does not fail the others.
 */
export class AccessTokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly refreshing = new Map<string, Promise<AccessToken>>();

  private readonly settings: GoogleAdsSettings;

  constructor(settings: GoogleAdsSettings) {
    this.settings = settings;
  }

  async get(refreshToken: string, options: TokenCallOptions = {}): Promise<string> {
    const cached = this.tokens.get(refreshToken);
    if (cached && this.settings.now() < cached.expiresAt - this.settings.refreshMarginMs) return cached.token;
    let pending = this.refreshing.get(refreshToken);
    if (!pending) {
      pending = refreshAccessToken(this.settings, refreshToken).finally(() => this.refreshing.delete(refreshToken));
      this.refreshing.set(refreshToken, pending);
    }
    const fresh = await (options.signal ? abortable(pending, options.signal) : pending);
    this.tokens.set(refreshToken, fresh);
    return fresh.token;
  }

  /** Keeps a token got otherwise (the code exchange's). */
  put(refreshToken: string, token: AccessToken): void {
    this.tokens.set(refreshToken, token);
  }

  /** Drops the access token of this refresh token: Google refused it. */
  forget(refreshToken: string, token?: string): void {
    if (token === undefined || this.tokens.get(refreshToken)?.token === token) this.tokens.delete(refreshToken);
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new GoogleAdsUnavailableError('the call was cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new GoogleAdsUnavailableError('the call was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
