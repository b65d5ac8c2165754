// The changes on their way to the ad platforms (the platform_changes outbox) as the API answers
// them: what each sends, in the platform's terms and in words, and how far it got.
import { z } from 'zod';
import { AD_PLATFORMS } from './ad-accounts.ts';
import { timestamp, uuid } from './fields.ts';

export const PLATFORM_CHANGE_STATUSES = ['queued', 'sending', 'confirmed', 'failed'] as const;

export const platformChangeRecord = z.object({
  id: uuid,
  action_id: uuid.describe('The ledger row this change carries out (a rollback’s own row for a rollback)'),
  undoes_action_id: uuid.nullable().describe('For a rollback: the action it undoes'),
  campaign_id: uuid,
  campaign_title: z.string(),
  ad_account_id: uuid,
  platform: z.enum(AD_PLATFORMS),
  external_kind: z.enum(['meta_campaign', 'meta_adset', 'google_campaign']),
  external_id: z.string().describe('The campaign or ad set id on the platform'),
  field: z.enum(['status', 'budget']),
  from_value: z
    .string()
    .nullable()
    .describe(
      'What the platform held before, in its own terms: ACTIVE/ENABLED/PAUSED, or the daily budget in Meta’s minor units or Google’s micros; null when not known',
    ),
  to_value: z.string().describe('What the platform is to hold after, in the same terms'),
  change: z.string().describe('The change in words: “pause”, “daily budget 50.00 → 80.00 EUR”'),
  status: z
    .enum(PLATFORM_CHANGE_STATUSES)
    .describe(
      'queued: waiting to be sent (next_attempt_at; last_error says why when held back); sending: sent, the answer not recorded yet; confirmed: the platform took it; failed: for good (last_error)',
    ),
  attempts: z.number().int().min(0),
  next_attempt_at: timestamp,
  last_error: z.string().nullable().describe('The platform’s words on the last attempt, or why the change waits'),
  confirmed_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const platformChangeCheck = z.object({
  changes: z.array(
    z.object({
      change_id: uuid,
      action_id: uuid,
      campaign_id: uuid,
      platform: z.enum(AD_PLATFORMS),
      verdict: z
        .enum(['valid', 'invalid', 'not_checked'])
        .describe('valid: the platform would take it; invalid: it would refuse it; not_checked: it could not be asked'),
      reason: z.string().optional().describe('The platform’s words, for invalid and not_checked'),
    }),
  ),
});

export type PlatformChangeRecord = z.infer<typeof platformChangeRecord>;
export type PlatformChangeCheck = z.infer<typeof platformChangeCheck>;
