// The event types a notification destination can subscribe to (docs/notifications.md): the API's
// words, which the outbox writes and receivers switch on; with each one's title, and the other
// plain lists of the notifications API. No zod, so the dashboard takes them as values.
export const NOTIFICATION_EVENT_TYPES = [
  'action.executed',
  'suggestion.pending',
  'action.failed',
  'rollback.conflict',
  'alert.raised',
  'opportunity.critical',
  'weekly_summary.ready',
  'job.dead_lettered',
  'account.needs_reconnect',
  'destination.disabled',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

/** What one event is, in a message's title and the dashboard's subscriptions and delivery log. */
export const NOTIFICATION_EVENT_TITLES: Record<NotificationEventType, string> = {
  'action.executed': 'Action taken',
  'suggestion.pending': 'Suggestion waiting for approval',
  'action.failed': 'Action failed',
  'rollback.conflict': 'Rollback refused: the campaign changed since',
  'alert.raised': 'Alert',
  'opportunity.critical': 'Critical opportunity',
  'weekly_summary.ready': 'Weekly summary ready',
  'job.dead_lettered': 'Job gave up',
  'account.needs_reconnect': 'Account needs reconnecting',
  'destination.disabled': 'Notification destination disabled',
};

export const DESTINATION_KINDS = ['slack', 'email', 'webhook'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];
export const CADENCES = ['immediate', 'hourly', 'daily'] as const;
export type Cadence = (typeof CADENCES)[number];
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
