// One call to the Marketing API: a single attempt with a timeout (retries are the caller's), the
// answer's JSON and usage headers, and a failure turned into one of the four error classes. The
// access token travels in the Authorization header, never in a URL, and is scrubbed from whatever
// Meta answers or the network reports before anyone reads it.
import { createHmac } from 'node:crypto';
import { classify, graphError } from './classify.ts';
import { MetaRejectedError, MetaUnavailableError } from './errors.ts';
import { type MetaUsage, readUsage } from './usage.ts';

export const META_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface MetaSettings {
  /** Where the Graph API is: https://graph.facebook.com, or a local stand-in. */
  baseUrl: string;
  /** The Marketing API version every path starts with, e.g. v21.0. */
  apiVersion: string;
  /** A system user's (or user's) token with ads_read, and ads_management to write. */
  accessToken: string;
  /** Set when the app requires an appsecret_proof with every call (App settings → Advanced). */
  appSecret?: string;
  /** How long one call may take before it counts as unavailable; 30 s unless said. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** What a call answers: its value, and how close the caller is to Meta's limits after it. */
export interface MetaAnswer<T> {
  value: T;
  usage: MetaUsage;
}

export interface CallOptions {
  /** Cancels the call in flight; it then fails with MetaUnavailableError. */
  signal?: AbortSignal;
}

export interface GraphRequest extends CallOptions {
  method: 'GET' | 'POST';
  /** A path under the version (`act_123/campaigns`), or the absolute `paging.next` URL Meta gave. */
  path: string;
  /** Query parameters of a GET, form fields of a POST. */
  params?: Record<string, string>;
}

const root = (settings: MetaSettings) => `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/`;

function secretsOf(settings: MetaSettings): string[] {
  const secrets = [settings.accessToken, settings.appSecret].filter((secret): secret is string => !!secret);
  return [...new Set([...secrets, ...secrets.map(encodeURIComponent)])];
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.replaceAll(secret, '[redacted]'), text);
}

/**
 * The URL of a request. A `paging.next` URL must lie under the configured base URL and version
 * (the token is never sent anywhere else), and loses the access_token Meta may have put in it.
 */
function urlOf(settings: MetaSettings, request: GraphRequest): URL {
  const base = root(settings);
  let url: URL;
  if (/^https?:\/\//i.test(request.path)) {
    if (!request.path.startsWith(base)) {
      throw new MetaRejectedError('answered a paging link outside the configured base URL and version');
    }
    url = new URL(request.path);
  } else {
    url = new URL(request.path.replace(/^\/+/, ''), base);
  }
  url.searchParams.delete('access_token');
  url.searchParams.delete('appsecret_proof');
  if (request.method === 'GET') {
    for (const [name, value] of Object.entries(request.params ?? {})) url.searchParams.set(name, value);
  }
  return url;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const timeoutOf = (settings: MetaSettings) => settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;

/** The error as a cause safe to log: its messages (and its causes') scrubbed of the secrets. */
function scrubbed(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(error instanceof Error) || depth > 3) return typeof error === 'string' ? redact(error, secrets) : error;
  const copy = new Error(redact(error.message, secrets), {
    cause: error.cause === undefined ? undefined : scrubbed(error.cause, secrets, depth + 1),
  });
  copy.name = error.name;
  return copy;
}

function unreachable(settings: MetaSettings, signal: AbortSignal | undefined, error: unknown, timedOut: boolean) {
  const options = { cause: scrubbed(error, secretsOf(settings)) };
  if (signal?.aborted) return new MetaUnavailableError('the call was cancelled', options);
  if (timedOut) return new MetaUnavailableError(`did not answer within ${timeoutOf(settings)} ms`, options);
  const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
  const detail = redact(reason, secretsOf(settings)) || 'network error';
  return new MetaUnavailableError(`could not be reached (${detail})`, options);
}

/** Calls once; answers the parsed body of a 2xx and its usage, or throws a MetaApiError. */
export async function graphCall(settings: MetaSettings, request: GraphRequest): Promise<MetaAnswer<unknown>> {
  const url = urlOf(settings, request);
  const form = new URLSearchParams(request.method === 'POST' ? request.params : undefined);
  if (settings.appSecret) {
    const proof = createHmac('sha256', settings.appSecret).update(settings.accessToken).digest('hex');
    (request.method === 'GET' ? url.searchParams : form).set('appsecret_proof', proof);
  }
  const headers: Record<string, string> = { authorization: `Bearer ${settings.accessToken}` };
  if (request.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';

  const timeout = AbortSignal.timeout(timeoutOf(settings));
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let status: number;
  let answerHeaders: Headers;
  let body: unknown;
  try {
    const response = await (settings.fetch ?? fetch)(url, {
      method: request.method,
      headers,
      body: request.method === 'POST' ? form.toString() : null,
      signal,
    });
    status = response.status;
    answerHeaders = response.headers;
    body = parse(redact(await response.text(), secretsOf(settings)));
  } catch (error) {
    throw unreachable(settings, request.signal, error, timeout.aborted);
  }
  const usage = readUsage(answerHeaders);
  // A 2xx carrying the error envelope is a failure all the same.
  if (status < 200 || status >= 300 || graphError(body)) {
    throw classify({ status, headers: answerHeaders, body, usage });
  }
  if (typeof body !== 'object' || body === null) {
    throw new MetaRejectedError(`answered HTTP ${status} with something that is not a JSON object`, { status, usage });
  }
  return { value: body, usage };
}
