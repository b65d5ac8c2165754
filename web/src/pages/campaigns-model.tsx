// A campaign as GET /api/campaigns answers it, and the rates the dashboard derives from its totals.

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'active',
  'paused',
  'completed',
  'archived',
] as const;

export interface Campaign {
  id: string;
  workspace_id: string;
  title: string;
  description: string | null;
  status: (typeof CAMPAIGN_STATUSES)[number];
  goal: string;
  budget: number;
  max_budget: number | null;
  currency: string;
  channels: string[];
  autopilot_enabled: boolean;
  scheduled_at: string | null;
  started_at: string | null;
  launched_by: string | null;
  completed_at: string | null;
  last_optimization_at: string | null;
  image_url: string | null;
  cta_text: string | null;
  cta_url: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  segment_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Lifetime totals from the stats rollup: spend, revenue, impressions, clicks, conversions, … */
  totals: Record<string, number>;
}

/** A quotient that is undefined (not 0, not ∞) when there is nothing to divide by. */
function quotient(top: number | undefined, bottom: number | undefined): number | null {
  if (top === undefined || bottom === undefined || bottom === 0) return null;
  return top / bottom;
}

/** Return on spend: revenue / spend. */
export const roiOf = (c: Pick<Campaign, 'totals'>) => quotient(c.totals.revenue, c.totals.spend);

/** Click-through rate: clicks / impressions. */
export const ctrOf = (c: Pick<Campaign, 'totals'>) => quotient(c.totals.clicks, c.totals.impressions);
