// The event types a notification destination can subscribe to (docs/notifications.md): the API's
// words, which the outbox writes and receivers switch on.
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
