// A campaign as the campaigns API answers it (its JSON is built by the query,
// src/db/repositories/campaigns.ts; this documents it and types the dashboard's reading of it).
import { z } from 'zod';
import { CAMPAIGN_STATUSES } from './campaign-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';

export const campaignRecord = z.object({
  id: uuid,
  workspace_id: uuid,
  title: z.string(),
  description: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES),
  goal: z.string(),
  budget: z.number(),
  max_budget: z.number().nullable(),
  currency: z.string(),
  channels: z.array(z.string()),
  autopilot_enabled: z.boolean(),
  scheduled_at: timestamp.nullable(),
  started_at: timestamp.nullable(),
  launched_by: uuid.nullable().describe('Who launched the campaign: a person, or the campaign runner’s system user'),
  completed_at: timestamp.nullable(),
  last_optimization_at: timestamp.nullable(),
  image_url: z.string().nullable(),
  cta_text: z.string().nullable(),
  cta_url: z.string().nullable(),
  utm_source: z.string().nullable(),
  utm_medium: z.string().nullable(),
  utm_campaign: z.string().nullable(),
  utm_content: z.string().nullable(),
  segment_id: uuid.nullable(),
  version: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
  totals: z.record(z.string(), z.number()).describe('Lifetime totals from the stats rollup'),
  platform_link: z
    .object({
      platform: z.enum(['meta', 'google_ads']),
      external_kind: z.enum(['meta_campaign', 'meta_adset', 'google_campaign']),
      external_id: z.string(),
      ad_account_id: uuid,
    })
    .nullable()
    .describe('The ad-platform campaign (or Meta ad set) this campaign is linked to by an import; null when none'),
});

export type CampaignRecord = z.infer<typeof campaignRecord>;

/** A pause or resume by hand: the ledger row it wrote, and the campaign as it now is. */
export const campaignByHandOutcome = z.object({
  action_id: uuid.describe('The ledger row (manual_pause or manual_resume), shown among the actions'),
  action_status: z
    .enum(['executed', 'applying'])
    .describe('applying: sent to the campaign’s ad platform, carried out once the platform confirms'),
  campaign: campaignRecord,
});

export type CampaignByHandOutcome = z.infer<typeof campaignByHandOutcome>;
