// The platform clients for one connected account, from its credentials and the configured
// endpoints; and a platform's failure in the terms a person acts on (src/ads/errors.ts): refused
// (reconnect, or fix what was given) or unavailable (try again later).
import { UpstreamUnavailableError } from '../domain/errors.ts';
import type { GoogleAdsCredentials, MetaCredentials } from './credentials.ts';
import type { AdPlatformEndpoints } from './endpoints.ts';
import { AdAccountRefusedError, AdPlatformError, PLATFORM_NAMES } from './errors.ts';
import { createGoogleAdsClient, type GoogleAdsAccountClient } from './google/client.ts';
import { createMetaAdsClient, type MetaAdsClient } from './meta/client.ts';

export function metaClientFor(endpoints: AdPlatformEndpoints, credentials: MetaCredentials): MetaAdsClient {
  return createMetaAdsClient({
    ...endpoints.meta,
    accessToken: credentials.access_token,
    timeoutMs: endpoints.timeoutMs,
  });
}

export function googleAdsClientFor(
  endpoints: AdPlatformEndpoints,
  credentials: GoogleAdsCredentials,
): GoogleAdsAccountClient {
  const client = createGoogleAdsClient({
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    developerToken: credentials.developer_token,
    baseUrl: endpoints.googleAds.baseUrl,
    apiVersion: endpoints.googleAds.apiVersion,
    tokenUrl: endpoints.googleAds.oauthTokenUrl,
    timeoutMs: endpoints.timeoutMs,
  });
  return client.account({
    refreshToken: credentials.refresh_token,
    customerId: credentials.customer_id,
    ...(credentials.login_customer_id ? { loginCustomerId: credentials.login_customer_id } : {}),
  });
}

/** A platform client's failure as refused or unavailable; anything else as it is. */
export function platformFailureInWords(error: unknown): unknown {
  if (!(error instanceof AdPlatformError)) return error;
  if (error.kind === 'needs-reconnect' || error.kind === 'rejected') {
    return new AdAccountRefusedError(error.platform, error.message, error.kind === 'needs-reconnect');
  }
  return new UpstreamUnavailableError(PLATFORM_NAMES[error.platform], error.message);
}
