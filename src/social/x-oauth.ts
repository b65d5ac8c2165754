// X's OAuth 2.0 authorization code flow with PKCE, as a confidential client
// (docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code): the consent page, the
// code exchanged at POST /2/oauth2/token with the code verifier and the client's Basic
// credentials, the user it belongs to (GET /2/users/me), and the refresh of an access token (two
// hours) with its refresh token (offline.access; X answers a new one each time: keep it).
import { createHash } from 'node:crypto';
import { callOnce, type FailedResponse, kindOfStatus, platformFailure, textOf, withQuery } from './http.ts';
import type { XOAuthApp } from './oauth-config.ts';
import { PlatformAuthError, type PlatformError } from './platform.ts';

/** Post (tweet.write), read back its own posts and itself (tweet.read, users.read), and stay connected. */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] as const;

export interface XOAuthSettings extends XOAuthApp {
  /** The X API: its /2/oauth2/token and /2/users/me. */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface XGrant {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: Date | undefined;
}

/** The PKCE S256 challenge of a verifier (RFC 7636 §4.2). */
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export function xAuthorizationUrl(
  app: XOAuthApp,
  request: { redirectUri: string; state: string; codeVerifier: string },
): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: request.redirectUri,
    scope: X_SCOPES.join(' '),
    state: request.state,
    code_challenge: challengeOf(request.codeVerifier),
    code_challenge_method: 'S256',
  });
  return `${app.authorizationUrl}?${params}`;
}

/** The token endpoint answers RFC 6749 errors: `{ error, error_description }`. */
function classifyToken(response: FailedResponse): PlatformError {
  const body = response.body as { error?: unknown; error_description?: unknown } | null;
  const said =
    typeof body?.error === 'string'
      ? [body.error, body.error_description].filter((part) => typeof part === 'string').join(': ')
      : textOf(response.body);
  // A refused code or refresh token (400 invalid_request, invalid_grant; 401 a wrong client): only
  // a new consent helps.
  if (response.status === 400 || response.status === 401) {
    const answer = said ? `HTTP ${response.status}: ${said}` : `HTTP ${response.status}`;
    return new PlatformAuthError('twitter', `refused the grant (${answer})`, { status: response.status });
  }
  return platformFailure(kindOfStatus(response.status), 'twitter', response, said);
}

/** The client's credentials, as a confidential client sends them to the token and revoke endpoints. */
function clientAuthorization(settings: XOAuthSettings): string {
  const pair = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** POSTs the form to one of X's OAuth endpoints (/2/oauth2/token, /2/oauth2/revoke). */
function oauthCall(
  settings: XOAuthSettings,
  endpoint: 'token' | 'revoke',
  form: Record<string, string>,
  secret: string,
) {
  return callOnce(
    { fetch: settings.fetch ?? fetch, timeoutMs: settings.timeoutMs },
    {
      platform: 'twitter',
      url: `${settings.baseUrl.replace(/\/+$/, '')}/2/oauth2/${endpoint}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: clientAuthorization(settings) },
      body: new URLSearchParams({ ...form, client_id: settings.clientId }).toString(),
      secret,
    },
    classifyToken,
  );
}

async function tokenCall(settings: XOAuthSettings, form: Record<string, string>, secret: string): Promise<XGrant> {
  const answer = await oauthCall(settings, 'token', form, secret);
  const body = (answer ?? {}) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
  if (typeof body.access_token !== 'string' || !body.access_token) {
    throw platformFailure('rejected', 'twitter', { status: 200, headers: new Headers(), body }, 'no access_token');
  }
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresAt: typeof body.expires_in === 'number' ? new Date(Date.now() + body.expires_in * 1000) : undefined,
  };
}

export interface XUser {
  id: string;
  name: string;
  username: string;
}

async function me(settings: XOAuthSettings, accessToken: string): Promise<XUser> {
  const answer = await callOnce(
    { fetch: settings.fetch ?? fetch, timeoutMs: settings.timeoutMs },
    {
      platform: 'twitter',
      method: 'GET',
      url: withQuery(`${settings.baseUrl.replace(/\/+$/, '')}/2/users/me`, { 'user.fields': 'username' }),
      headers: { authorization: `Bearer ${accessToken}` },
      secret: accessToken,
    },
    (response) => platformFailure(kindOfStatus(response.status), 'twitter', response, textOf(response.body)),
  );
  const data = (answer as { data?: { id?: unknown; name?: unknown; username?: unknown } } | null)?.data;
  if (typeof data?.id !== 'string') {
    throw platformFailure('rejected', 'twitter', { status: 200, headers: new Headers(), body: answer }, 'no user id');
  }
  const username = typeof data.username === 'string' ? data.username : data.id;
  return { id: data.id, username, name: typeof data.name === 'string' ? data.name : username };
}

/** The code exchanged (with the verifier whose challenge the consent page got), and whose account it is. */
export async function xAccountFromConsent(
  settings: XOAuthSettings,
  exchange: { code: string; redirectUri: string; codeVerifier: string },
): Promise<{ user: XUser; grant: XGrant }> {
  const grant = await tokenCall(
    settings,
    {
      grant_type: 'authorization_code',
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
      code_verifier: exchange.codeVerifier,
    },
    exchange.code,
  );
  return { user: await me(settings, grant.accessToken), grant };
}

/** A new access token (and refresh token) for the refresh token kept. */
export function refreshXToken(settings: XOAuthSettings, refreshToken: string): Promise<XGrant> {
  return tokenCall(settings, { grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
}

/** Revokes a token at X (POST /2/oauth2/revoke): a disconnected account's access ends there too. */
export async function revokeXToken(
  settings: XOAuthSettings,
  token: { value: string; kind: 'access_token' | 'refresh_token' },
): Promise<void> {
  await oauthCall(settings, 'revoke', { token: token.value, token_type_hint: token.kind }, token.value);
}
