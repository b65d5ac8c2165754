// How an ad platform answered a request about an account, in the words a person acts on: it
// refused the credentials or the account (reconnect, or fix what was given), or it failed or
// could not be reached (src/domain/errors.ts UpstreamUnavailableError: try again later).
import type { AdPlatform } from '../contract/ad-accounts.ts';

export const PLATFORM_NAMES: Record<AdPlatform, string> = { meta: 'Meta', google_ads: 'Google Ads' };

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
