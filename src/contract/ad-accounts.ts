// A tenant's ad accounts on Meta and Google Ads, as the ad-accounts API answers them. Credentials
// go in and never come out: an answer says which platform, which account, and how it stands.
import { z } from 'zod';
import { isoDate, timestamp, uuid } from './fields.ts';

export const AD_PLATFORMS = ['meta', 'google_ads'] as const;
export type AdPlatform = (typeof AD_PLATFORMS)[number];

/** Days of stats re-read on every sync, so that late conversions revise the days they belong to. */
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;
/** Days of a new connection's backfill, today included. */
export const BACKFILL_DAYS = 90;
/** Meta's standard purchase event, counted as the conversion unless the account names another. */
export const DEFAULT_META_CONVERSION_ACTION = 'offsite_conversion.fb_pixel_purchase';

export const adAccountSettings = z.strictObject({
  attribution_window_days: z.number().int().min(1).max(28).default(DEFAULT_ATTRIBUTION_WINDOW_DAYS),
  /** Meta only: the `actions` entry counted as a conversion (its `action_values` as revenue). */
  conversion_action: z
    .string()
    .regex(/^[a-z0-9_.]{1,100}$/, 'expects a Meta action type like offsite_conversion.fb_pixel_purchase')
    .optional(),
});
export type AdAccountSettings = z.output<typeof adAccountSettings>;

/** How far the account's stats sync has got (docs/ad-platforms.md, "Stats in"). */
export const adAccountSync = z.object({
  last_synced_at: timestamp.nullable().describe('The end of the last sync that read the platform to the end'),
  last_error: z.string().nullable().describe('The platform’s words when the last sync failed; null once one succeeds'),
  backfill: z.object({
    from: isoDate.nullable().describe('The first day of the 90-day backfill, in the account’s time zone'),
    through: isoDate.nullable().describe('The last day stored so far'),
    done: z.boolean(),
    days_done: z.number().int().describe('Days of the backfill stored so far, from `from` through `through`'),
    days_total: z.number().int().describe(`Days the backfill reads: ${BACKFILL_DAYS}, today included`),
  }),
});

export const adAccountRecord = z.object({
  id: uuid,
  platform: z.enum(AD_PLATFORMS),
  external_account_id: z.string().describe('Meta: the ad account id without act_; Google Ads: the customer id'),
  name: z.string(),
  currency: z.string(),
  time_zone: z.string().nullable(),
  settings: adAccountSettings,
  status: z.enum(['connected', 'needs_reconnect', 'disconnected']),
  status_reason: z.string().nullable().describe('The platform’s words when it last refused the account or failed'),
  last_tested_at: timestamp.nullable(),
  sync: adAccountSync,
  created_at: timestamp,
  updated_at: timestamp,
});
export type AdAccountRecord = z.infer<typeof adAccountRecord>;
export const adAccountList = z.object({ data: z.array(adAccountRecord) });

export const connectionTest = z.object({
  ok: z.boolean(),
  account: adAccountRecord,
  /** The platform's error in words, when ok is false. */
  error: z.string().nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTest>;

/** What an import of an account's campaigns did. */
export const campaignImport = z.object({
  account: adAccountRecord,
  /** Platform campaigns (or Meta ad sets) new to Nightshift, now campaigns with autopilot off. */
  created_campaign_ids: z.array(uuid),
  /** Linked campaigns brought in line with the platform (name, currency, status, budget). */
  refreshed: z.number().int(),
  /** Of those, the ones whose status or budget the platform had moved. */
  moved_on_platform: z.number().int(),
  /** Archived or deleted on the platform and not linked yet: not imported. */
  skipped_archived: z.number().int(),
});
export type CampaignImport = z.infer<typeof campaignImport>;

/** What a sync of an account's stats did. */
export const adAccountSyncResult = z.object({
  account: adAccountRecord,
  /** The days read (in the account's time zone), backfill included. */
  from: isoDate,
  to: isoDate,
  days: z.number().int(),
  /** The platform calls the days were read in (a backfill reads in chunks). */
  chunks: z.number().int(),
  /** Rows of linked entities, as upsertStats counted them: new, changed, or as stored. */
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Entities the platform reported that are not linked to a campaign (not imported): ignored. */
  unlinked_entities: z.number().int(),
  unlinked_rows: z.number().int(),
  /**
   * Linked campaigns whose status or budget was changed on the platform outside Nightshift, brought
   * in line and recorded as `external_change` actions; 0 for a range asked for by hand (stats only).
   */
  moved_on_platform: z.number().int(),
});
export type AdAccountSyncResult = z.infer<typeof adAccountSyncResult>;
