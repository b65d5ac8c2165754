// A scheduled social post as the social posts API answers it: the campaign_schedules row with
// what the dispatcher made of it on each platform.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';
import { SOCIAL_PLATFORMS, SOCIAL_POST_STATUSES } from './social-post-vocabulary.ts';

const platformResult = z.object({
  platform: z.enum(SOCIAL_PLATFORMS),
  post_id: z.string().nullable().describe('The post people see (an X thread: its first tweet); null until posted'),
  post_ids: z.array(z.string()).describe('Every post made so far: the post, or the parts of an X thread'),
  failed: z.string().nullable().describe('Why the platform failed for good (retries skip it); null otherwise'),
  last_attempt_at: timestamp.nullable().describe('When the dispatcher last called the platform; null before'),
});

export const socialPostRecord = z.object({
  id: uuid,
  campaign_id: uuid,
  campaign_title: z.string(),
  action_id: uuid.nullable().describe('The ledger action that queued the post'),
  scheduled_for: timestamp.describe('When the post is (or was) due; a retry moves it later'),
  platforms: z.array(z.enum(SOCIAL_PLATFORMS)),
  status: z.enum(SOCIAL_POST_STATUSES),
  attempts: z.number().int().min(0).describe('How many times the dispatcher has picked the post up'),
  last_error: z
    .string()
    .nullable()
    .describe('What went wrong on the last attempt, one reason per failing platform; null once posted'),
  posted_at: timestamp.nullable(),
  results: z.array(platformResult).describe('Per platform of the post, in the order of platforms'),
  content: z
    .record(z.string(), z.unknown())
    .describe('What is posted: title, copy, image_url, cta_text, cta_url and the UTM parameters of the link'),
  created_at: timestamp,
  updated_at: timestamp,
});

export type SocialPostRecord = z.infer<typeof socialPostRecord>;
export type PlatformResult = SocialPostRecord['results'][number];
