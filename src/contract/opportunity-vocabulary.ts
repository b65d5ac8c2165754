// What an opportunity can be: its types, severities (most pressing first) and statuses. Plain
// lists (no zod), so the dashboard's filters take them as values.
export const OPPORTUNITY_TYPES = [
  'low_conversion',
  'high_traffic_low_conversion',
  'declining_performance',
  'creative_fatigue',
  'budget_inefficiency',
  'audience_mismatch',
  'timing_optimization',
] as const;
export const OPPORTUNITY_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const OPPORTUNITY_STATUSES = ['open', 'in_progress', 'resolved', 'dismissed'] as const;

export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];
export type OpportunitySeverity = (typeof OPPORTUNITY_SEVERITIES)[number];
