// The install's X app for connecting X accounts by consent, as configuration gives it
// (src/config.ts): a plain description, importing nothing that calls a platform. Facebook Pages and
// Instagram connect through the Meta app of the ad accounts (src/ads/oauth-config.ts).
export interface XOAuthApp {
  clientId: string;
  clientSecret: string;
  /** X's consent page, or a local stand-in. */
  authorizationUrl: string;
}

export const DEFAULT_X_AUTHORIZATION_URL = 'https://x.com/i/oauth2/authorize';
