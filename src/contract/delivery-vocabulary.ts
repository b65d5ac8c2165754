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

/** A message's states (campaign_messages.status): from being sent to what became of it. */
export const MESSAGE_STATUSES = [
  'sending',
  'deferred',
  'sent',
  'unconfirmed',
  'delivered',
  'bounced',
  'failed',
  'suppressed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounce', 'complaint', 'sms_stop', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
