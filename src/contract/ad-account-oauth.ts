// Connecting an ad account by consent (OAuth): what the start of a connection takes and answers.
import { z } from 'zod';
import { adAccountSettings } from './ad-accounts.ts';
import { timestamp } from './fields.ts';

export const consentStartBody = z.strictObject({
  /** Meta: the ad account to connect with the token the consent gives (act_… or its digits). */
  ad_account_id: z
    .string()
    .trim()
    .regex(/^(act_)?[0-9]{1,20}$/, 'expects an ad account id like act_1234567890 or 1234567890')
    .transform((id) => id.replace(/^act_/, ''))
    .optional(),
  /** Google Ads: the customer to connect, and the manager account it is reached through, if any. */
  customer_id: z
    .string()
    .trim()
    .regex(/^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$/, 'expects a 10-digit customer id like 123-456-7890')
    .transform((id) => id.replaceAll('-', ''))
    .optional(),
  login_customer_id: z
    .string()
    .trim()
    .regex(/^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$/, 'expects a 10-digit manager customer id like 123-456-7890')
    .transform((id) => id.replaceAll('-', ''))
    .optional(),
  settings: adAccountSettings.default({ attribution_window_days: 7 }),
});
export type ConsentStartBody = z.input<typeof consentStartBody>;

export const consentStart = z.object({
  /** The platform's consent page: send the browser there. */
  authorization_url: z.string(),
  /** The consent must come back before this. */
  expires_at: timestamp,
});
export type ConsentStart = z.infer<typeof consentStart>;
