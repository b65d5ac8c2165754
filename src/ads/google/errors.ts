// What a failed Google Ads call tells its caller: one class per kind of failure (src/ads/errors.ts),
// with Google's request id and failure details. Messages name what Google said, in words.
import { AdPlatformError, type AdPlatformErrorOptions, type AdPlatformFailureKind } from '../errors.ts';

/** One entry of Google's GoogleAdsFailure, flattened. */
export interface GoogleAdsErrorDetail {
  /** The error's family as the API names it: quotaError, authenticationError, mutateError… */
  type: string;
  /** The family's code: RESOURCE_EXHAUSTED, OAUTH_TOKEN_EXPIRED, RESOURCE_NOT_FOUND… */
  code: string;
  message: string;
  /** The value that caused it, as text. */
  trigger?: string;
  /** The field it is about, as a path: operations[1].update.amount_micros. */
  field?: string;
  /** The mutate operation it is about (the index under `operations`). */
  operationIndex?: number;
  /** A quota error's advised wait. */
  retryDelayMs?: number;
}

export interface GoogleAdsErrorOptions extends AdPlatformErrorOptions {
  /** Google's request id, for a support ticket. */
  requestId?: string;
  errors?: GoogleAdsErrorDetail[];
}

export class GoogleAdsError extends AdPlatformError {
  override name = 'GoogleAdsError';
  readonly platform = 'google_ads';
  readonly kind: AdPlatformFailureKind = 'rejected';
  readonly requestId: string | undefined;
  readonly errors: GoogleAdsErrorDetail[];

  constructor(detail: string, options: GoogleAdsErrorOptions = {}) {
    super(`Google Ads: ${detail}`, options);
    this.requestId = options.requestId;
    this.errors = options.errors ?? [];
  }
}

/** Over a quota for now; retry after `retryAfterMs` when Google said how long. */
export class GoogleAdsRateLimitedError extends GoogleAdsError {
  override name = 'GoogleAdsRateLimitedError';
  override readonly kind = 'rate-limited';
}

/** Google failed (5xx, INTERNAL, UNAVAILABLE), could not be reached, or did not answer in time. */
export class GoogleAdsUnavailableError extends GoogleAdsError {
  override name = 'GoogleAdsUnavailableError';
  override readonly kind = 'unavailable';
}

/** Codes that refuse the access token alone (a bare UNAUTHENTICATED too): a fresh one may pass. */
const ACCESS_TOKEN_CODES = new Set(['OAUTH_TOKEN_EXPIRED', 'OAUTH_TOKEN_INVALID', 'UNAUTHENTICATED']);

/**
 * The credentials were refused: the account needs reconnecting. `code` is what Google said
 * (invalid_grant, OAUTH_TOKEN_EXPIRED, USER_PERMISSION_DENIED…). When only the access token was
 * refused (`retryAfterRefresh`), the client has already dropped it: one more call fetches a fresh
 * one, and fails with invalid_grant if the refresh token is dead too.
 */
export class GoogleAdsAuthError extends GoogleAdsError {
  override name = 'GoogleAdsAuthError';
  override readonly kind = 'needs-reconnect';
  readonly code: string | undefined;
  readonly retryAfterRefresh: boolean;

  constructor(detail: string, options: GoogleAdsErrorOptions & { code?: string | undefined } = {}) {
    super(detail, options);
    this.code = options.code;
    this.retryAfterRefresh = ACCESS_TOKEN_CODES.has(options.code ?? '');
  }
}

/** Google refused this request (invalid field, unknown resource, bad query…): retrying will not help. */
export class GoogleAdsRejectedError extends GoogleAdsError {
  override name = 'GoogleAdsRejectedError';
}
