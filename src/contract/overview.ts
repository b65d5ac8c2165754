// What the Overview answers (/api/overview and its campaigns and trend): the stat cards, the
// campaigns the engine would pause or scale now, and the charts' series.
import { z } from 'zod';
import { isoDate, timestamp, uuid } from './fields.ts';

const card = (description: string) => z.number().int().min(0).describe(description);

export const overviewFigures = z.object({
  days: z.number().int(),
  since: timestamp.describe('The start of the window the action counts cover'),
  total_actions: card('Decisions the engine recorded in the window: executed, suggested, dismissed or rolled back'),
  campaigns_paused: card('Pauses carried out in the window (by a cycle or an approval), rolled back since or not'),
  campaigns_scaled: card('Budget increases carried out in the window'),
  campaigns_posted: card('Social posts queued in the window'),
  notifications_sent: card('Alerts raised by notify rules in the window'),
  rolled_back: card('Actions of the window a person rolled back'),
  average_confidence: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('Mean confidence of the actions carried out in the window; null when there were none'),
  pending_suggestions: card('Suggestions waiting for a person, however old'),
  open_opportunities: card('Opportunities nobody has started on'),
  opportunities_in_progress: card('Opportunities someone is working on'),
  last_cycle_at: timestamp.nullable().describe('When the last cycle started; null before the first'),
  last_cycle_status: z.enum(['running', 'completed', 'failed']).nullable(),
});

const decided = {
  campaign_id: uuid,
  title: z.string(),
  roi: z.number().nullable().describe('Lifetime ROI (revenue / spend) the engine judged; null without spend'),
  budget: z.number().describe('The current budget'),
  confidence: z.number().min(0).max(1).describe('The engine’s confidence in the action'),
  rule: z.string().describe('The name of the rule that would act'),
  reason: z.string().describe('The engine’s explanation, as the ledger would record it'),
  mode: z.enum(['execute', 'suggest']).describe('execute: autopilot acts on the next cycle; suggest: a person decides'),
};

export const overviewCampaigns = z.object({
  underperforming: z.array(
    z.object({
      ...decided,
      spend: z.number().describe('Lifetime spend'),
      ctr: z
        .number()
        .min(0)
        .nullable()
        .describe('Lifetime clicks per impression (0.012 = 1.2%); null without impressions'),
      hours_running: z
        .number()
        .int()
        .nullable()
        .describe('Whole hours since the campaign started; null if never started'),
      recommendation: z.string().describe('The pause rule, the ROI and what the rule says to do'),
    }),
  ),
  scaling: z.array(z.object({ ...decided, suggested_budget: z.number().describe('The budget the rule would set') })),
  evaluated_at: timestamp.describe('The clock of the evaluation'),
});

export const overviewTrend = z.object({
  days: z.number().int(),
  currency: z.string().describe('The tenant’s currency, for every amount'),
  daily: z.array(z.object({ date: isoDate, spend: z.number(), revenue: z.number() })),
  roi_distribution: z.array(
    z.object({
      label: z.string(),
      from: z.number().nullable().describe('Inclusive lower bound; null: none'),
      to: z.number().nullable().describe('Exclusive upper bound; null: none'),
      campaigns: z.number().int().min(0),
    }),
  ),
});

export type OverviewFigures = z.infer<typeof overviewFigures>;
export type OverviewCampaigns = z.infer<typeof overviewCampaigns>;
export type UnderperformingCampaign = OverviewCampaigns['underperforming'][number];
export type ScalingCampaign = OverviewCampaigns['scaling'][number];
export type OverviewTrend = z.infer<typeof overviewTrend>;
