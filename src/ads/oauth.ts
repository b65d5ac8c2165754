// Connecting an ad account by consent (OAuth 2.0 authorization code), for both platforms: the
// page a person is sent to, and the code it sends back exchanged for the credentials Nightshift
// keeps (Meta: a long-lived access token; Google Ads: a refresh token with the install's OAuth
// client and developer token). The install's app credentials come from configuration; the
// authorization and token URLs are configurable so tests use the local stand-ins.
import { platformFailureInWords } from './clients.ts';
import type { AdCredentials } from './credentials.ts';
import type { AdPlatformEndpoints } from './endpoints.ts';
import { createGoogleAdsClient } from './google/client.ts';
import { exchangeMetaCode, metaDialogUrl } from './meta/oauth.ts';
import type { AdOAuthConfig } from './oauth-config.ts';

/** What a person names at the start: the account to connect with the token the consent gives. */
export type ConsentTarget =
  | { platform: 'meta'; ad_account_id: string }
  | { platform: 'google_ads'; customer_id: string; login_customer_id?: string | undefined };

export class OAuthNotConfiguredError extends Error {
  override name = 'OAuthNotConfiguredError';
}

function metaConfig(config: AdOAuthConfig) {
  if (!config.meta) {
    throw new OAuthNotConfiguredError(
      'connecting Meta by consent needs the install’s Meta app: set NIGHTSHIFT_META_APP_ID and NIGHTSHIFT_META_APP_SECRET',
    );
  }
  return config.meta;
}

function googleConfig(config: AdOAuthConfig) {
  if (!config.google) {
    throw new OAuthNotConfiguredError(
      'connecting Google Ads by consent needs the install’s OAuth client: set NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID, NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET and NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN',
    );
  }
  return config.google;
}

/** Throws OAuthNotConfiguredError when the install has no app for the platform. */
export function checkOAuthConfigured(config: AdOAuthConfig, platform: ConsentTarget['platform']): void {
  if (platform === 'meta') metaConfig(config);
  else googleConfig(config);
}

function googleClient(endpoints: AdPlatformEndpoints, google: NonNullable<AdOAuthConfig['google']>) {
  return createGoogleAdsClient({
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    developerToken: google.developerToken,
    authorizationUrl: google.authorizationUrl,
    tokenUrl: endpoints.googleAds.oauthTokenUrl,
    baseUrl: endpoints.googleAds.baseUrl,
    apiVersion: endpoints.googleAds.apiVersion,
    timeoutMs: endpoints.timeoutMs,
  });
}

/** The platform's consent page for this state and redirect URI. */
export function consentUrl(
  endpoints: AdPlatformEndpoints,
  config: AdOAuthConfig,
  platform: ConsentTarget['platform'],
  request: { redirectUri: string; state: string },
): string {
  if (platform === 'meta') {
    const meta = metaConfig(config);
    return metaDialogUrl({ ...endpoints.meta, ...meta }, request);
  }
  return googleClient(endpoints, googleConfig(config)).authorizationUrl(request);
}

/**
 * The code the platform sent back, exchanged at its token endpoint for the credentials of the
 * account named at the start. A refusal is an AdAccountRefusedError in the platform's words; a
 * platform that cannot be reached an UpstreamUnavailableError.
 */
export async function credentialsFromConsent(
  endpoints: AdPlatformEndpoints,
  config: AdOAuthConfig,
  target: ConsentTarget,
  exchange: { code: string; redirectUri: string },
): Promise<AdCredentials> {
  try {
    if (target.platform === 'meta') {
      const meta = metaConfig(config);
      const grant = await exchangeMetaCode({ ...endpoints.meta, ...meta, timeoutMs: endpoints.timeoutMs }, exchange);
      return { platform: 'meta', access_token: grant.accessToken, ad_account_id: target.ad_account_id };
    }
    const google = googleConfig(config);
    const grant = await googleClient(endpoints, google).exchangeCode(exchange);
    return {
      platform: 'google_ads',
      refresh_token: grant.refreshToken,
      client_id: google.clientId,
      client_secret: google.clientSecret,
      developer_token: google.developerToken,
      customer_id: target.customer_id,
      ...(target.login_customer_id ? { login_customer_id: target.login_customer_id } : {}),
    };
  } catch (error) {
    throw platformFailureInWords(error);
  }
}
