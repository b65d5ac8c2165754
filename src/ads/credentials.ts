// What a person gives to connect an ad account, per platform, as the API and the CLI take it; and
// the form it is stored in (as one JSON text, encrypted: src/crypto/token-cipher.ts).
import { z } from 'zod';

const secret = (what: string) => z.string().trim().min(8, `expects ${what}`).max(4000);

export const metaCredentials = z.strictObject({
  /** A system user's (or user's) token with ads_read, and ads_management to change campaigns. */
  access_token: secret('a Meta access token'),
  /** The ad account id, with or without its act_ prefix. */
  ad_account_id: z
    .string()
    .trim()
    .regex(/^(act_)?[0-9]{1,20}$/, 'expects an ad account id like act_1234567890 or 1234567890')
    .transform((id) => id.replace(/^act_/, '')),
});

export const googleAdsCredentials = z.strictObject({
  /** From the OAuth consent of a user who can reach the customer (scope adwords). */
  refresh_token: secret('a Google OAuth refresh token'),
  client_id: secret('the OAuth client id'),
  client_secret: secret('the OAuth client secret'),
  developer_token: secret('a Google Ads developer token'),
  /** The customer (ad account) id, with or without dashes. */
  customer_id: z
    .string()
    .trim()
    .regex(/^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$/, 'expects a 10-digit customer id like 123-456-7890')
    .transform((id) => id.replaceAll('-', '')),
  /** The manager account the credentials reach the customer through, when they do. */
  login_customer_id: z
    .string()
    .trim()
    .regex(/^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$/, 'expects a 10-digit manager customer id like 123-456-7890')
    .transform((id) => id.replaceAll('-', ''))
    .optional(),
});

export type MetaCredentials = z.output<typeof metaCredentials>;
export type GoogleAdsCredentials = z.output<typeof googleAdsCredentials>;

/** The credentials of an account of either platform, tagged by it. */
export type AdCredentials =
  | ({ platform: 'meta' } & MetaCredentials)
  | ({ platform: 'google_ads' } & GoogleAdsCredentials);

/** The platform's id of the account the credentials reach. */
export function externalAccountId(credentials: AdCredentials): string {
  return credentials.platform === 'meta' ? credentials.ad_account_id : credentials.customer_id;
}

/** The platform and its credentials, as a request names them. */
export type CredentialsInput =
  | { platform: 'meta'; credentials: MetaCredentials }
  | { platform: 'google_ads'; credentials: GoogleAdsCredentials };

export function taggedCredentials(input: CredentialsInput): AdCredentials {
  return input.platform === 'meta'
    ? { platform: 'meta', ...input.credentials }
    : { platform: 'google_ads', ...input.credentials };
}
