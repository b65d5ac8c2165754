// How an ad platform answered. To the code that calls it: one kind of failure per thing the caller
// can do about it, whichever the platform — wait and retry (rate-limited, unavailable), have the
// account reconnected (needs-reconnect), or give up on this request (rejected); each client throws
// subclasses that add what its platform says (src/ads/meta/errors.ts, src/ads/google/errors.ts).
// To a person, about an account: it refused the credentials or the account (reconnect, or fix what
// was given), or it failed or could not be reached (src/domain/errors.ts UpstreamUnavailableError:
// try again later).
import type { AdPlatform } from '../contract/ad-accounts.ts';

export const PLATFORM_NAMES: Record<AdPlatform, string> = { meta: 'Meta', google_ads: 'Google Ads' };

export type AdPlatformFailureKind = 'rate-limited' | 'needs-reconnect' | 'unavailable' | 'rejected';

export interface AdPlatformErrorOptions {
  /** The HTTP status answered; undefined when no answer came. */
  status?: number;
  /** How long a rate limit lasts, when the platform said; undefined otherwise. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** A failed call to an ad platform's API. Messages say what the platform said, never a secret. */
export abstract class AdPlatformError extends Error {
  abstract readonly platform: AdPlatform;
  abstract readonly kind: AdPlatformFailureKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: AdPlatformErrorOptions) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The platform refused: `needsReconnect` when it was the credentials (expired, revoked, wrong). */
export class AdAccountRefusedError extends Error {
  override name = 'AdAccountRefusedError';
  readonly platform: AdPlatform;
  readonly needsReconnect: boolean;
  constructor(platform: AdPlatform, message: string, needsReconnect: boolean) {
    super(message);
    this.platform = platform;
    this.needsReconnect = needsReconnect;
  }
}
