// One call to a platform's API: a single attempt with a timeout, the answer's JSON, and a failure
// turned into a PlatformError. Whatever the platform echoes back is scrubbed of the access token
// before anyone reads it, so no error message or log line can leak it.
import {
  type Platform,
  PlatformAuthError,
  type PlatformError,
  PlatformRateLimitedError,
  PlatformRejectedError,
  PlatformUnavailableError,
} from './platform.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpSettings {
  fetch: typeof fetch;
  /** How long one API call may take before it counts as unavailable. */
  timeoutMs: number;
}

export interface PlatformRequest {
  platform: Platform;
  /** POST unless said (the lookups of recent posts GET). */
  method?: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** The POST body; a GET has none. */
  body?: string;
  /** The access token: removed from everything the platform answers. */
  secret: string;
  signal?: AbortSignal | undefined;
}

/** A non-2xx answer, its body parsed as JSON when it is JSON. */
export interface FailedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export type FailureKind = 'auth' | 'rate-limited' | 'unavailable' | 'rejected';

function redact(text: string, secret: string): string {
  return secret ? text.replaceAll(secret, '[redacted]') : text;
}

/** `url` with these query parameters. */
export function withQuery(url: string, params: Record<string, string>): string {
  return `${url}?${new URLSearchParams(params)}`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `retry-after` (seconds or an HTTP date), else X's `x-rate-limit-reset` (epoch seconds). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const ms = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.max(0, ms);
  }
  const reset = Number(headers.get('x-rate-limit-reset') ?? Number.NaN);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

export function kindOfStatus(status: number): FailureKind {
  if (status === 401) return 'auth';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status >= 500) return 'unavailable';
  return 'rejected';
}

/** The error of a kind, its message built from what the platform said. */
export function platformFailure(
  kind: FailureKind,
  platform: Platform,
  response: FailedResponse,
  said: string | undefined,
  waitMs = retryAfterMs(response.headers),
): PlatformError {
  const status = response.status;
  const answer = said ? `HTTP ${status}: ${said}` : `HTTP ${status}`;
  switch (kind) {
    case 'auth':
      return new PlatformAuthError(platform, `the access token was refused, reconnect the account (${answer})`, {
        status,
      });
    case 'rate-limited':
      return new PlatformRateLimitedError(platform, `rate limited (${answer})`, {
        status,
        retryAfterMs: waitMs,
      });
    case 'unavailable':
      return new PlatformUnavailableError(platform, `unavailable (${answer})`, { status });
    case 'rejected':
      return new PlatformRejectedError(platform, `refused the post (${answer})`, { status });
  }
}

/** Raw text of a body that is not the platform's JSON (a proxy's HTML page), kept short. */
export function textOf(body: unknown): string | undefined {
  return typeof body === 'string' ? body.trim().slice(0, 200) || undefined : undefined;
}

function unreachable(request: PlatformRequest, error: unknown, timedOut: boolean): PlatformUnavailableError {
  const options = { cause: error };
  if (request.signal?.aborted) return new PlatformUnavailableError(request.platform, 'the call was cancelled', options);
  if (timedOut) return new PlatformUnavailableError(request.platform, 'did not answer in time', options);
  const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
  return new PlatformUnavailableError(
    request.platform,
    `could not be reached (${redact(reason, request.secret) || 'network error'})`,
    options,
  );
}

/**
 * Calls once and answers the parsed body of a 2xx. Any other outcome throws a PlatformError:
 * network failures, timeouts and cancellation as PlatformUnavailableError, non-2xx answers as
 * `classify` decides.
 */
export async function callOnce(
  settings: HttpSettings,
  request: PlatformRequest,
  classify: (response: FailedResponse) => PlatformError,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let status: number;
  let headers: Headers;
  let body: unknown;
  try {
    const response = await settings.fetch(request.url, {
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body ?? null,
      signal,
    });
    status = response.status;
    headers = response.headers;
    body = parse(redact(await response.text(), request.secret));
  } catch (error) {
    throw unreachable(request, error, timeout.aborted);
  }
  if (status >= 200 && status < 300) return body;
  throw classify({ status, headers, body });
}

/**
 * The string `field` of a success body. A 2xx without it leaves the post's fate unknown, so it is
 * not retryable: a retry could post twice.
 */
export function idField(platform: Platform, body: unknown, field = 'id'): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof value === 'string' && value) return value;
  throw new PlatformRejectedError(platform, `answered success without a "${field}", the post may or may not exist`);
}
