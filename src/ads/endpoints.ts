// Where the ad platforms' APIs are: the real ones unless configured elsewhere (a proxy, a sandbox,
// the local stand-ins the tests and benchmarks run: simulation/ad-platforms/).
import { GOOGLE_ADS_API_VERSION, GOOGLE_ADS_BASE_URL, GOOGLE_TOKEN_URL } from './google/settings.ts';

export interface AdPlatformEndpoints {
  meta: { baseUrl: string; apiVersion: string };
  googleAds: { baseUrl: string; apiVersion: string; oauthTokenUrl: string };
  /** How long one call to a platform may take before it counts as unavailable. */
  timeoutMs: number;
}

export const DEFAULT_AD_PLATFORM_ENDPOINTS: AdPlatformEndpoints = {
  meta: { baseUrl: 'https://graph.facebook.com', apiVersion: 'v21.0' },
  googleAds: { baseUrl: GOOGLE_ADS_BASE_URL, apiVersion: GOOGLE_ADS_API_VERSION, oauthTokenUrl: GOOGLE_TOKEN_URL },
  timeoutMs: 30_000,
};
