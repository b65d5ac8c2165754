// A campaign's daily stats as the stats API answers them: one row per UTC day and channel.
import { z } from 'zod';
import { perMetric, REPORTED_METRICS } from '../domain/metrics.ts';
import { isoDate, uuid } from './fields.ts';

export const campaignStatRecord = z.object({
  campaign_id: uuid,
  stat_date: isoDate,
  channel: z.string(),
  ...perMetric(REPORTED_METRICS, () => z.number()),
});
/** A campaign's days in a range, oldest first. */
export const campaignStatList = z.object({ data: z.array(campaignStatRecord) });

export type CampaignStatRecord = z.infer<typeof campaignStatRecord>;
export type CampaignStatList = z.infer<typeof campaignStatList>;
