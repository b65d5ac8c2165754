// Where the client calls and how: Google's production endpoints unless pointed elsewhere (the
// local stand-in in simulation/ad-platforms, a proxy), the API version, and the call timeout.
export const GOOGLE_ADS_BASE_URL = 'https://googleads.googleapis.com';
/** v26 is the version Google recommends as of late 2026 (major versions live about 12 months). */
export const GOOGLE_ADS_API_VERSION = 'v26';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_AUTHORIZATION_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const ADWORDS_SCOPE = 'https://www.googleapis.com/auth/adwords';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** An access token is refreshed this long before Google said it expires. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

export interface GoogleAdsConfig {
  /** The OAuth client of this Nightshift install (Google Cloud console). */
  clientId: string;
  clientSecret: string;
  /** The Google Ads API developer token, sent as the developer-token header. */
  developerToken: string;
  baseUrl?: string;
  /** e.g. v26 */
  apiVersion?: string;
  tokenUrl?: string;
  authorizationUrl?: string;
  /** How long one call may take (a searchStream: until its last row) before it counts as unavailable. */
  timeoutMs?: number;
  refreshMarginMs?: number;
  fetch?: typeof fetch;
  /** The clock that ages cached access tokens. */
  now?: () => number;
}

export type GoogleAdsSettings = Required<GoogleAdsConfig>;

export function googleAdsSettings(config: GoogleAdsConfig): GoogleAdsSettings {
  return {
    baseUrl: GOOGLE_ADS_BASE_URL,
    apiVersion: GOOGLE_ADS_API_VERSION,
    tokenUrl: GOOGLE_TOKEN_URL,
    authorizationUrl: GOOGLE_AUTHORIZATION_URL,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    refreshMarginMs: DEFAULT_REFRESH_MARGIN_MS,
    fetch: globalThis.fetch,
    now: Date.now,
    ...Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)),
  } as GoogleAdsSettings;
}

/** https://googleads.googleapis.com/v26/customers/123/googleAds:searchStream */
export function apiUrl(settings: GoogleAdsSettings, customerId: string, method: string): string {
  return `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/customers/${customerId}/${method}`;
}

/** The secrets of the install, removed from anything Google answers or a network error says. */
export function installSecrets(settings: GoogleAdsSettings): string[] {
  return [settings.clientSecret, settings.developerToken];
}
