// A campaign's statuses, a plain list (no zod) so the dashboard's filter takes it as a value.
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'active',
  'paused',
  'completed',
  'archived',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
