// A failed answer sorted by the Graph error envelope, which says more than the HTTP status: Meta
// answers a rate limit or an expired token with 400 as often as with 429 or 401.
//   {"error": {"message", "type", "code", "error_subcode", "fbtrace_id", "is_transient",
//              "error_user_title", "error_user_msg"}}
// Codes: developers.facebook.com/docs/graph-api/guides/error-handling,
// developers.facebook.com/docs/marketing-api/error-reference and …/insights/error-codes.
import type { AdPlatformFailureKind } from '../errors.ts';
import {
  type MetaApiError,
  MetaAuthError,
  type MetaErrorOptions,
  MetaRateLimitedError,
  MetaRejectedError,
  MetaUnavailableError,
} from './errors.ts';
import type { MetaUsage } from './usage.ts';

/** The token expired, was revoked or is invalid (190), or the session is gone (102). */
const AUTH_CODES = new Set([102, 190]);
/** Application (4), user (17) and ad account (613) throttling. */
const RATE_LIMIT_CODES = new Set([4, 17, 613]);
/** Business Use Case limits: 80000 ads_insights, 80004 ads_management, 80003 custom_audience… */
const isBusinessUseCaseLimit = (code: number) => code >= 80000 && code <= 80014;
/** "An unknown error occurred" and "Service temporarily unavailable". */
const TRANSIENT_CODES = new Set([1, 2]);
/** Insights' "Request timed out: try a smaller date range or fewer fields" (code 100). */
const TRANSIENT_SUBCODES = new Set([1504018]);

export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

/** A non-2xx answer: its status, headers, body (parsed JSON when it is JSON), and its usage headers. */
export interface FailedAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  usage: MetaUsage;
}

export function graphError(body: unknown): GraphErrorBody | undefined {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  return typeof error === 'object' && error !== null ? (error as GraphErrorBody) : undefined;
}

export function failureKind(status: number, error: GraphErrorBody | undefined): AdPlatformFailureKind {
  const code = typeof error?.code === 'number' ? error.code : undefined;
  if (code !== undefined && AUTH_CODES.has(code)) return 'needs-reconnect';
  // Before the transient test: Meta marks some throttling is_transient, and the wait hint matters.
  if (status === 429 || (code !== undefined && (RATE_LIMIT_CODES.has(code) || isBusinessUseCaseLimit(code)))) {
    return 'rate-limited';
  }
  const subcode = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined;
  if (error?.is_transient === true || (code !== undefined && TRANSIENT_CODES.has(code))) return 'unavailable';
  if (subcode !== undefined && TRANSIENT_SUBCODES.has(subcode)) return 'unavailable';
  if (status === 401) return 'needs-reconnect';
  if (status === 408 || status >= 500) return 'unavailable';
  return 'rejected';
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterHeaderMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** Meta's estimate from the usage headers first (it rarely sends Retry-After), else Retry-After. */
export function waitHintMs(answer: FailedAnswer, now = Date.now()): number | undefined {
  return answer.usage.regainAccessMs > 0 ? answer.usage.regainAccessMs : retryAfterHeaderMs(answer.headers, now);
}

/** What Meta said, in words: the message meant for people when there is one, with the codes to look it up. */
function said(status: number, error: GraphErrorBody | undefined, body: unknown): string {
  if (!error) {
    const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
    return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
  }
  const words = [error.error_user_title, error.error_user_msg ?? error.message].filter(Boolean).join(': ');
  const code = [error.code, error.error_subcode].filter((part) => part !== undefined).join('/');
  const notes = [code && `code ${code}`, error.fbtrace_id && `fbtrace_id ${error.fbtrace_id}`].filter(Boolean);
  return `HTTP ${status}: ${words || 'no message'}${notes.length > 0 ? ` [${notes.join(', ')}]` : ''}`;
}

/** The error of the class the answer falls in. */
export function classify(answer: FailedAnswer): MetaApiError {
  const error = graphError(answer.body);
  const text = said(answer.status, error, answer.body);
  const options: MetaErrorOptions = {
    status: answer.status,
    usage: answer.usage,
    ...(typeof error?.code === 'number' ? { code: error.code } : {}),
    ...(typeof error?.error_subcode === 'number' ? { subcode: error.error_subcode } : {}),
    ...(typeof error?.fbtrace_id === 'string' ? { fbtraceId: error.fbtrace_id } : {}),
  };
  switch (failureKind(answer.status, error)) {
    case 'needs-reconnect':
      return new MetaAuthError(`the access token was refused, reconnect the ad account (${text})`, options);
    case 'rate-limited':
      return new MetaRateLimitedError(`rate limited (${text})`, { ...options, retryAfterMs: waitHintMs(answer) });
    case 'unavailable':
      return new MetaUnavailableError(`unavailable (${text})`, options);
    case 'rejected':
      return new MetaRejectedError(`refused the call (${text})`, options);
  }
}
