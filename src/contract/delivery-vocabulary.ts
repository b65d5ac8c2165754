// Delivery's plain lists (no zod), so the dashboard takes them as values: the funnel's stages in
// order, the channels messages go on, why an address is on the suppression list.
export const FUNNEL_STAGES = [
  'queued',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'replied',
  'bounced',
  'unsubscribed',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const MESSAGE_CHANNELS = ['email', 'sms'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounce', 'complaint', 'sms_stop', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
