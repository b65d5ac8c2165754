// How a call to the Meta Marketing API failed: one class per kind of failure (src/ads/errors.ts),
// with Meta's error codes and usage headers. Messages say what Meta said, never the access token.
import { AdPlatformError, type AdPlatformErrorOptions, type AdPlatformFailureKind } from '../errors.ts';
import type { MetaUsage } from './usage.ts';

export interface MetaErrorOptions extends AdPlatformErrorOptions {
  /** The Graph error envelope's code, error_subcode and fbtrace_id, when there was one. */
  code?: number;
  subcode?: number;
  fbtraceId?: string;
  /** The usage headers of the failed answer (empty when no answer came). */
  usage?: MetaUsage;
}

/** A failed Marketing API call. */
export class MetaApiError extends AdPlatformError {
  override name = 'MetaApiError';
  readonly platform = 'meta';
  readonly kind: AdPlatformFailureKind = 'rejected';
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  readonly fbtraceId: string | undefined;
  readonly usage: MetaUsage | undefined;

  constructor(detail: string, options: MetaErrorOptions = {}) {
    super(`Meta: ${detail}`, options);
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
}

/** The token expired, was revoked or is invalid (codes 190, 102, or HTTP 401): the account needs reconnecting. */
export class MetaAuthError extends MetaApiError {
  override name = 'MetaAuthError';
  override readonly kind = 'needs-reconnect';
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
