// The install's apps for connecting ad accounts by consent (OAuth), as configuration gives them
// (src/config.ts): a plain description, importing nothing that calls a platform.
import { GOOGLE_AUTHORIZATION_URL } from './google/settings.ts';

export interface AdOAuthConfig {
  /** The address people reach this install at; the callback is under it. Else the request's own origin. */
  publicUrl?: string | undefined;
  /** The Meta app (Facebook Login): app id and secret, and the consent dialog's origin. */
  meta?: { appId: string; appSecret: string; dialogOrigin: string } | undefined;
  /** The Google OAuth client (web application) and the Google Ads developer token. */
  google?: { clientId: string; clientSecret: string; developerToken: string; authorizationUrl: string } | undefined;
}

/** Where Facebook's consent dialog is; the API version is appended (…/v21.0/dialog/oauth). */
export const DEFAULT_META_DIALOG_ORIGIN = 'https://www.facebook.com';
export const DEFAULT_GOOGLE_AUTHORIZATION_URL = GOOGLE_AUTHORIZATION_URL;
