// Facebook Login for the Marketing API: the consent dialog a person is sent to, and the exchange of
// the code it sends back for an access token, then of that short-lived token for a long-lived one
// (grant_type=fb_exchange_token, about 60 days). One attempt per call; the app secret, the code and
// the tokens travel in POST bodies, never in a URL, and are scrubbed from whatever Meta answers.
import { classify } from './classify.ts';
import { MetaRejectedError, MetaUnavailableError } from './errors.ts';
import { DEFAULT_TIMEOUT_MS } from './http.ts';
import { readUsage } from './usage.ts';

/** Read the ads and their insights; change campaigns and ad sets. */
export const META_ADS_SCOPES = ['ads_read', 'ads_management'] as const;

export interface MetaOAuthSettings {
  /** The Graph API (its /oauth/access_token), e.g. https://graph.facebook.com, or a local stand-in. */
  baseUrl: string;
  apiVersion: string;
  /** The dialog's origin: https://www.facebook.com, or a local stand-in. */
  dialogOrigin: string;
  /** The Meta app of this install (App Dashboard → App settings → Basic). */
  appId: string;
  appSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface MetaTokenGrant {
  accessToken: string;
  /** Seconds, when Meta said. */
  expiresIn: number | undefined;
}

/** The consent dialog's URL; the ads scopes unless others are asked (the social accounts' Facebook Login). */
export function metaDialogUrl(
  settings: MetaOAuthSettings,
  request: { redirectUri: string; state: string },
  scopes: readonly string[] = META_ADS_SCOPES,
): string {
  const params = new URLSearchParams({
    client_id: settings.appId,
    redirect_uri: request.redirectUri,
    state: request.state,
    response_type: 'code',
    scope: scopes.join(','),
  });
  return `${settings.dialogOrigin.replace(/\/+$/, '')}/${settings.apiVersion}/dialog/oauth?${params}`;
}

async function tokenCall(
  settings: MetaOAuthSettings,
  form: Record<string, string>,
  secrets: string[],
): Promise<MetaTokenGrant> {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/oauth/access_token`;
  const scrub = (text: string) =>
    [settings.appSecret, ...secrets]
      .filter(Boolean)
      .reduce((out, secret) => out.replaceAll(secret, '[redacted]'), text);
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let status: number;
  let headers: Headers;
  let body: unknown;
  try {
    const response = await (settings.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: settings.appId, client_secret: settings.appSecret, ...form }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    headers = response.headers;
    const text = scrub(await response.text());
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } catch (error) {
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    throw new MetaUnavailableError(`the token endpoint could not be reached (${scrub(reason) || 'network error'})`);
  }
  const answer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status < 200 || status >= 300 || 'error' in answer) {
    throw classify({ status, headers, body, usage: readUsage(headers) });
  }
  if (typeof answer.access_token !== 'string' || !answer.access_token) {
    throw new MetaRejectedError('the token endpoint answered without an access token', { status });
  }
  const expiresIn = typeof answer.expires_in === 'number' ? answer.expires_in : undefined;
  return { accessToken: answer.access_token, expiresIn };
}

/**
 * The code from the dialog exchanged for a token, then that token for a long-lived one: the one
 * kept (encrypted) for the account.
 */
export async function exchangeMetaCode(
  settings: MetaOAuthSettings,
  exchange: { code: string; redirectUri: string },
): Promise<MetaTokenGrant> {
  const short = await tokenCall(settings, { code: exchange.code, redirect_uri: exchange.redirectUri }, [exchange.code]);
  return tokenCall(settings, { grant_type: 'fb_exchange_token', fb_exchange_token: short.accessToken }, [
    short.accessToken,
  ]);
}
