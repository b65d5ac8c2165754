// Testing a connection: the account the credentials reach, as the platform names and denominates
// it, or the platform's refusal in its own words. One call, with the configured timeout.
import { UpstreamUnavailableError } from '../domain/errors.ts';
import type { AdCredentials } from './credentials.ts';
import type { AdPlatformEndpoints } from './endpoints.ts';
import { AdAccountRefusedError, PLATFORM_NAMES } from './errors.ts';
import { createGoogleAdsClient } from './google/client.ts';
import { GoogleAdsError } from './google/errors.ts';
import { createMetaAdsClient } from './meta/client.ts';
import { MetaApiError } from './meta/errors.ts';

export interface AccountDescription {
  externalAccountId: string;
  name: string;
  currency: string;
  timeZone: string | null;
}

export async function describeAdAccount(
  endpoints: AdPlatformEndpoints,
  credentials: AdCredentials,
): Promise<AccountDescription> {
  switch (credentials.platform) {
    case 'meta':
      return describeMetaAccount(endpoints, credentials);
    case 'google_ads':
      return describeGoogleAdsAccount(endpoints, credentials);
  }
}

async function describeGoogleAdsAccount(
  endpoints: AdPlatformEndpoints,
  credentials: Extract<AdCredentials, { platform: 'google_ads' }>,
): Promise<AccountDescription> {
  try {
    const client = createGoogleAdsClient({
      clientId: credentials.client_id,
      clientSecret: credentials.client_secret,
      developerToken: credentials.developer_token,
      baseUrl: endpoints.googleAds.baseUrl,
      apiVersion: endpoints.googleAds.apiVersion,
      tokenUrl: endpoints.googleAds.oauthTokenUrl,
      timeoutMs: endpoints.timeoutMs,
    });
    const customer = await client
      .account({
        refreshToken: credentials.refresh_token,
        customerId: credentials.customer_id,
        ...(credentials.login_customer_id ? { loginCustomerId: credentials.login_customer_id } : {}),
      })
      .getCustomer();
    return {
      externalAccountId: credentials.customer_id,
      name: customer.name,
      currency: customer.currency,
      timeZone: customer.timeZone,
    };
  } catch (error) {
    throw googleInWords(error);
  }
}

/** A Google Ads failure as the connection's outcome. */
function googleInWords(error: unknown): Error {
  if (!(error instanceof GoogleAdsError)) return error as Error;
  if (error.kind === 'needs-reconnect') return new AdAccountRefusedError('google_ads', error.message, true);
  if (error.kind === 'rejected') return new AdAccountRefusedError('google_ads', error.message, false);
  return new UpstreamUnavailableError(PLATFORM_NAMES.google_ads, error.message);
}

async function describeMetaAccount(
  endpoints: AdPlatformEndpoints,
  credentials: Extract<AdCredentials, { platform: 'meta' }>,
): Promise<AccountDescription> {
  try {
    const client = createMetaAdsClient({
      ...endpoints.meta,
      accessToken: credentials.access_token,
      timeoutMs: endpoints.timeoutMs,
    });
    const { value } = await client.getAdAccount(credentials.ad_account_id);
    return {
      externalAccountId: credentials.ad_account_id,
      name: value.name,
      currency: value.currency,
      timeZone: value.timezoneName,
    };
  } catch (error) {
    throw metaInWords(error);
  }
}

/** A Meta failure as the connection's outcome: refused (reconnect, or fix the input) or unavailable. */
function metaInWords(error: unknown): Error {
  if (!(error instanceof MetaApiError)) return error as Error;
  if (error.kind === 'auth') return new AdAccountRefusedError('meta', error.message, true);
  if (error.kind === 'rejected') return new AdAccountRefusedError('meta', error.message, false);
  return new UpstreamUnavailableError(PLATFORM_NAMES.meta, error.message);
}
