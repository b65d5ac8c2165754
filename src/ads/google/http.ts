// One call to Google: a single attempt under a timeout that also bounds the reading of the answer
// (a searchStream's rows arrive while it runs), and a failure turned into a GoogleAdsError.
// Everything Google answers on failure, and everything a network error says, is scrubbed of the
// call's secrets (refresh token, client secret, access token, developer token) before anyone
// reads it.
import { GoogleAdsUnavailableError } from './errors.ts';
import { failureError, parseBody } from './failure.ts';

export interface GoogleRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Removed from everything echoed back. */
  secrets: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** A 2xx answer whose body is still to be read, under the call's timeout. */
export interface Answer {
  response: Response;
  /** The error for a failure while reading the body (cut off, timed out, cancelled). */
  broken(error: unknown): GoogleAdsUnavailableError;
}

export function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.replaceAll(secret, '[redacted]');
  return clean;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `retry-after` in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

function unreachable(
  request: GoogleRequest,
  error: unknown,
  timeout: AbortSignal,
  when: string,
): GoogleAdsUnavailableError {
  const options = { cause: error };
  if (request.signal?.aborted) return new GoogleAdsUnavailableError(`the call was cancelled ${when}`, options);
  if (timeout.aborted) {
    return new GoogleAdsUnavailableError(`did not answer in time (${request.timeoutMs} ms, ${when})`, options);
  }
  const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
  return new GoogleAdsUnavailableError(
    `could not be reached ${when} (${redact(reason, request.secrets) || 'network error'})`,
    options,
  );
}

/**
 * Calls once. A 2xx answers its Response, unread; any other answer is read, scrubbed and thrown
 * as the GoogleAdsError its envelope makes (`classify` may read it otherwise: the token endpoint
 * answers OAuth's own errors). Network failures, timeouts and cancellation throw
 * GoogleAdsUnavailableError.
 */
export async function send(
  request: GoogleRequest,
  fetchImpl: typeof fetch,
  classify: (status: number, body: unknown, headers: Headers) => Error = (status, body, headers) =>
    failureError(parseBody(body, status), retryAfterMs(headers)),
): Promise<Answer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body ?? null,
      signal,
    });
  } catch (error) {
    throw unreachable(request, error, timeout, 'before answering');
  }
  const broken = (error: unknown) => unreachable(request, error, timeout, 'while answering');
  if (response.ok) return { response, broken };
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw broken(error);
  }
  throw classify(response.status, parse(redact(text, request.secrets)), response.headers);
}

/** The whole body of a 2xx, parsed. A body that is not JSON counts as unavailable (a proxy's page). */
export async function readJson(answer: Answer): Promise<unknown> {
  let text: string;
  try {
    text = await answer.response.text();
  } catch (error) {
    throw answer.broken(error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GoogleAdsUnavailableError(`answered HTTP ${answer.response.status} with a body that is not JSON`, {
      status: answer.response.status,
      cause: error,
    });
  }
}
