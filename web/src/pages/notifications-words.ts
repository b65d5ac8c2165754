// The notifications pages' words: what each kind of destination and each cadence is called, and a
// destination's subscriptions as a sentence. Event types' titles are the contract's (the messages
// use the same ones).
import {
  type Cadence,
  type DestinationKind,
  NOTIFICATION_EVENT_TITLES,
  type NotificationEventType,
} from '../../../src/contract/notification-vocabulary.ts';

export const KIND_LABELS: Record<DestinationKind, string> = { slack: 'Slack', email: 'E-mail', webhook: 'Webhook' };

/** The cadence select's options. */
export const CADENCE_LABELS: Record<Cadence, string> = {
  immediate: 'Immediate',
  hourly: 'Hourly digest',
  daily: 'Daily digest',
};

const CADENCE_WORDS: Record<Cadence, string> = { immediate: 'at once', hourly: 'hourly', daily: 'daily' };

export const eventTitle = (type: NotificationEventType) => NOTIFICATION_EVENT_TITLES[type] ?? type;

/** "Action failed (at once); Weekly summary ready (daily)". */
export function subscriptionWords(subscriptions: readonly { event_type: NotificationEventType; cadence: Cadence }[]) {
  if (subscriptions.length === 0) return 'Nothing yet: it takes no events.';
  return subscriptions.map((s) => `${eventTitle(s.event_type)} (${CADENCE_WORDS[s.cadence]})`).join('; ');
}
