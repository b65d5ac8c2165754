// A content asset (a step of a campaign's sequence) and its variants as the content API answers
// them (src/api/content.ts); the dashboard's content section reads them with these types.
import { z } from 'zod';
import { FUNNEL_COUNTERS, perMetric } from '../domain/metrics.ts';
import { ASSET_STATUSES, ASSET_TYPES, VARIANT_STATUSES } from './content-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';

const counter = z.number().int().min(0);

export const contentAsset = z.object({
  id: uuid,
  workspace_id: uuid,
  campaign_id: uuid.nullable(),
  asset_type: z.enum(ASSET_TYPES),
  name: z.string(),
  channel: z.string().nullable(),
  step_index: z.number().int(),
  delay_hours: z.number(),
  status: z.enum(ASSET_STATUSES),
  stale_flagged_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const contentVariant = z.object({
  id: uuid,
  asset_id: uuid,
  variant_label: z.string(),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  sms_copy: z.string().nullable(),
  voice_script: z.string().nullable(),
  social_post: z.string().nullable(),
  status: z.enum(VARIANT_STATUSES),
  killed_at: timestamp.nullable(),
  kill_reason: z.string().nullable(),
  stats: z
    .object({
      ...perMetric(FUNNEL_COUNTERS, () => counter),
      reply_delays: z.record(z.string(), counter).describe('Replies by hours after the send (bucket bound → count)'),
      updated_at: timestamp.nullable().describe('When the counters were last set; null before the first report'),
    })
    .describe('Counters from ingestion (POST /api/content/variant-stats; read-only here)'),
  created_at: timestamp,
  updated_at: timestamp,
});

/** A variant among its asset's: with the chance it is the step's best, as the CMO loop judges it. */
export const listedVariant = contentVariant.extend({
  probability_best: z
    .number()
    .nullable()
    .describe(
      'The posterior probability that this variant has the best rate of its step’s active variants, by the campaign goal’s success per send (replies for leads, meetings, conversions for revenue), as the CMO loop kills variants by; null for a killed variant, or while none of the step has sent',
    ),
});

export type ContentAsset = z.infer<typeof contentAsset>;
export type ContentVariant = z.infer<typeof contentVariant>;
export type ListedVariant = z.infer<typeof listedVariant>;
