// The weekly summaries' answers, as src/api/weekly-summaries.ts declares them.

/** This week's figure beside the week before's. */
export interface Comparison {
  this_week: number | null;
  previous_week: number | null;
  /** this_week − previous_week. */
  change: number | null;
  /** change / previous_week; null when previous_week is 0 or null. */
  change_pct: number | null;
}

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
] as const;
export type TotalMetric = (typeof TOTAL_METRICS)[number];

export interface CampaignWeek {
  campaign_id: string;
  title: string;
  spend: number;
  revenue: number;
  roi: number | null;
  reply_rate: number | null;
  conversions: number;
  sends: number;
  replies: number;
  meetings: number;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface WeeklySummaryListItem {
  id: string;
  week_start: string;
  week_end: string;
  created_at: string;
  agent_run_id: string | null;
  totals: Record<TotalMetric, Comparison>;
}

export interface WeeklySummary extends WeeklySummaryListItem {
  previous_week_start: string;
  currency: string;
  generated_at: string;
  best_campaigns: CampaignWeek[];
  worst_campaigns: CampaignWeek[];
  best_by_reply_rate: CampaignWeek[];
  worst_by_reply_rate: CampaignWeek[];
  actions: {
    executed: number;
    executed_by_type: Record<string, number>;
    rolled_back: number;
    suggestions_pending: number;
    measured_count: number;
    measured: {
      action_id: string;
      action_type: string;
      campaign_id: string;
      title: string;
      executed_at: string;
      revenue_change: number | null;
      spend_change: number | null;
      roi_change: number | null;
    }[];
  };
  opportunities: {
    open: number;
    by_severity: Record<Severity, number>;
    top: {
      opportunity_id: string;
      campaign_id: string;
      title: string;
      opportunity_type: string;
      severity: Severity;
      description: string;
    }[];
  };
}
