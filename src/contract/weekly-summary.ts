// What the weekly summaries answer (/api/weekly-summaries): a summary as the CMO loop computes and
// stores it (src/cmo/weekly-summary.ts), with its row's id, and the list's heads.
//
// Rounding, as the engine rounds: money to the cent, ROI and reply rate to 4 decimals; a change is
// computed from the figures as shown, and change_pct = change / previous to 4 decimals.
import { z } from 'zod';
import { type DeliveryMetric, perMetric, type RatioMetric, type ReportedMetric } from '../domain/metrics.ts';
import { isoDate, timestamp, uuid } from './fields.ts';
import { OPPORTUNITY_SEVERITIES } from './opportunity-vocabulary.ts';

export const TOTAL_METRICS = [
  'spend',
  'revenue',
  'roi',
  'impressions',
  'clicks',
  'sends',
  'replies',
  'meetings',
  'conversions',
  'bounces',
] as const satisfies readonly (ReportedMetric | RatioMetric | DeliveryMetric)[];
export type TotalMetric = (typeof TOTAL_METRICS)[number];

const figure = z.number().nullable();

/** This week's figure beside the week before's. */
const comparison = z.object({
  this_week: figure,
  previous_week: figure,
  // Null when either is null.
  change: figure.describe('this_week − previous_week'),
  change_pct: figure.describe('change / previous_week to 4 decimals; null when previous_week is 0 or null'),
});
const totals = z
  .object(perMetric(TOTAL_METRICS, () => comparison))
  .describe('Money to the cent in the tenant’s currency; roi = revenue / spend to 4 decimals');

/** One campaign's week: roi = revenue / spend (null without spend), reply_rate = replies / sends. */
const campaignWeek = z.object({
  campaign_id: uuid,
  title: z.string(),
  spend: z.number(),
  revenue: z.number(),
  roi: figure,
  reply_rate: figure,
  conversions: z.number().int(),
  sends: z.number().int(),
  replies: z.number().int(),
  meetings: z.number().int(),
});

/** An action whose actual impact was measured during the week (figures from actual_impact.change). */
const measuredAction = z.object({
  action_id: uuid,
  action_type: z.string(),
  campaign_id: uuid,
  title: z.string(),
  executed_at: timestamp,
  revenue_change: figure,
  spend_change: figure,
  roi_change: figure,
});

const opportunitySummary = z.object({
  opportunity_id: uuid,
  campaign_id: uuid,
  title: z.string(),
  opportunity_type: z.string(),
  severity: z.enum(OPPORTUNITY_SEVERITIES),
  description: z.string(),
});

/** The summary as computed and stored (weekly_summaries.summary): plain JSON, numbers as numbers. */
const weeklySummary = z.object({
  week_start: isoDate.describe('The Monday the week starts on (UTC days)'),
  week_end: isoDate.describe('Its Sunday'),
  previous_week_start: isoDate.describe('The Monday of the week compared with'),
  // Every money figure is in the tenant's currency (ISO 4217); generated_at is when it was computed.
  currency: z.string(),
  generated_at: timestamp,
  totals,
  // Campaigns that spent in the week, by ROI (ties: revenue, then title): the best three, and the
  // worst three of the rest, worst first — never the same campaign in both.
  best_campaigns: z.array(campaignWeek).describe('Up to 3 campaigns that spent, best ROI first'),
  worst_campaigns: z.array(campaignWeek).describe('Up to 3 others that spent, worst ROI first'),
  // The same for campaigns without spend that sent at least MIN_SENDS_FOR_REPLY_RATE messages
  // (src/cmo/weekly-summary.ts).
  best_by_reply_rate: z.array(campaignWeek).describe('Up to 3 campaigns without spend that sent 50 or more'),
  worst_by_reply_rate: z.array(campaignWeek),
  actions: z.object({
    // Executed during the week (a person's rollback is counted in rolled_back instead).
    executed: z.number().int(),
    executed_by_type: z.record(z.string(), z.number().int()),
    rolled_back: z.number().int(),
    // Suggestions waiting for a person when the summary was made.
    suggestions_pending: z.number().int(),
    // Actions whose actual impact was measured during the week, and the ten largest moves of revenue.
    measured_count: z.number().int(),
    measured: z.array(measuredAction),
  }),
  // Opportunities open or in progress when the summary was made; the five most pressing in top.
  opportunities: z.object({
    open: z.number().int(),
    by_severity: z.object(perMetric(OPPORTUNITY_SEVERITIES, () => z.number().int())),
    top: z.array(opportunitySummary),
  }),
});

/** A stored summary as the API answers it: its row's id, creation and writer, then the summary. */
export const weeklySummaryRecord = z.object({
  id: uuid,
  created_at: timestamp,
  agent_run_id: uuid.nullable().describe('The agent run that wrote it, if one did'),
  ...weeklySummary.shape,
});

export const weeklySummaryHead = weeklySummaryRecord.pick({
  id: true,
  week_start: true,
  week_end: true,
  created_at: true,
  agent_run_id: true,
  totals: true,
});

export type Comparison = z.infer<typeof comparison>;
export type CampaignWeek = z.infer<typeof campaignWeek>;
export type MeasuredActionSummary = z.infer<typeof measuredAction>;
export type OpportunitySummary = z.infer<typeof opportunitySummary>;
export type WeeklySummary = z.infer<typeof weeklySummary>;
export type WeeklySummaryRecord = z.infer<typeof weeklySummaryRecord>;
export type WeeklySummaryHead = z.infer<typeof weeklySummaryHead>;
