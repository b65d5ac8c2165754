// A campaign's daily stats as the stats API answers them: one row per UTC day and channel.
import { z } from 'zod';
import { DELIVERY_METRICS, perMetric, REPORTED_METRICS } from '../domain/metrics.ts';
import { isoDate, uuid } from './fields.ts';

export const campaignStatRecord = z.object({
  campaign_id: uuid,
  stat_date: isoDate,
  channel: z.string(),
  ...perMetric(REPORTED_METRICS, () => z.number()),
  ...perMetric(DELIVERY_METRICS, () =>
    z
      .number()
      .int()
      .describe('Messages Nightshift delivered that bounced, first recorded this day; platforms report none'),
  ),
});
/** A campaign's days in a range, oldest first. */
export const campaignStatList = z.object({ data: z.array(campaignStatRecord) });

export type CampaignStatRecord = z.infer<typeof campaignStatRecord>;
export type CampaignStatList = z.infer<typeof campaignStatList>;
