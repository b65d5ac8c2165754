// How a call to the Meta Marketing API failed, in four classes that tell the caller what to do:
// wait and retry (rate limited, unavailable), ask the owner to reconnect the account (auth), or
// stop (rejected). Messages say what Meta said, and never carry the access token.
import type { MetaUsage } from './usage.ts';

export type MetaFailureKind = 'rate-limited' | 'auth' | 'unavailable' | 'rejected';

export interface MetaErrorOptions {
  /** The HTTP status answered; undefined when no answer came. */
  status?: number;
  /** The Graph error envelope's code, error_subcode and fbtrace_id, when there was one. */
  code?: number;
  subcode?: number;
  fbtraceId?: string;
  /** The usage headers of the failed answer (empty when no answer came). */
  usage?: MetaUsage;
  cause?: unknown;
}

/** A failed Marketing API call. */
export class MetaApiError extends Error {
  override name = 'MetaApiError';
  readonly kind: MetaFailureKind = 'rejected';
  readonly status: number | undefined;
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  readonly fbtraceId: string | undefined;
  readonly usage: MetaUsage | undefined;

  constructor(detail: string, options: MetaErrorOptions = {}) {
    super(`Meta: ${detail}`, { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.subcode = options.subcode;
    this.fbtraceId = options.fbtraceId;
    this.usage = options.usage;
  }
}

/**
 * Too many calls (codes 4, 17, 613, 80000–80014, or HTTP 429). `retryAfterMs` is Meta's estimate
 * of when access returns (the usage headers' estimated_time_to_regain_access, else Retry-After);
 * undefined when it gave none.
 */
export class MetaRateLimitedError extends MetaApiError {
  override name = 'MetaRateLimitedError';
  override readonly kind = 'rate-limited';
  readonly retryAfterMs: number | undefined;

  constructor(detail: string, options: MetaErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super(detail, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The token expired, was revoked or is invalid (codes 190, 102, or HTTP 401): the account needs reconnecting. */
export class MetaAuthError extends MetaApiError {
  override name = 'MetaAuthError';
  override readonly kind = 'auth';
}

/** Meta failed (5xx, codes 1 and 2, is_transient), could not be reached, did not answer in time, or the call was cancelled. */
export class MetaUnavailableError extends MetaApiError {
  override name = 'MetaUnavailableError';
  override readonly kind = 'unavailable';
}

/** Meta refused the call (bad parameter, missing permission, unknown object…), or answered something unusable. */
export class MetaRejectedError extends MetaApiError {
  override name = 'MetaRejectedError';
  override readonly kind = 'rejected';
}

/** Whether the same call may succeed later: rate limited or unavailable. */
export function isRetryable(error: unknown): boolean {
  return error instanceof MetaRateLimitedError || error instanceof MetaUnavailableError;
}
