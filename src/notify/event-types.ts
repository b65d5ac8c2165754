// The words of each event Nightshift tells people about (docs/notifications.md): what a person reads
// in a message, and the dashboard list a digest links to. The types themselves are the API's
// vocabulary (src/contract/notification-vocabulary.ts).
import { NOTIFICATION_EVENT_TYPES, type NotificationEventType } from '../contract/notification-vocabulary.ts';

export { NOTIFICATION_EVENT_TYPES, type NotificationEventType };

interface EventTypeWords {
  /** What one event is, for a message's title. */
  title: string;
  /** What many are, for a digest: "12 suggestions waiting for approval". */
  plural: string;
  /** The dashboard page (a hash route) a digest links to, filtered to what it counts where the page can be. */
  listPath: string;
}

export const EVENT_TYPE_WORDS: Record<NotificationEventType, EventTypeWords> = {
  'action.executed': { title: 'Action taken', plural: 'actions taken', listPath: '#/actions/executed' },
  'suggestion.pending': {
    title: 'Suggestion waiting for approval',
    plural: 'suggestions waiting for approval',
    listPath: '#/actions/pending',
  },
  'action.failed': { title: 'Action failed', plural: 'actions failed', listPath: '#/actions/failed' },
  'rollback.conflict': {
    title: 'Rollback refused: the campaign changed since',
    plural: 'rollbacks refused',
    listPath: '#/actions/executed',
  },
  'alert.raised': { title: 'Alert', plural: 'alerts raised', listPath: '#/actions' },
  'opportunity.critical': {
    title: 'Critical opportunity',
    plural: 'critical opportunities',
    listPath: '#/opportunities',
  },
  'weekly_summary.ready': { title: 'Weekly summary ready', plural: 'weekly summaries ready', listPath: '#/summaries' },
  'job.dead_lettered': { title: 'Job gave up', plural: 'jobs gave up', listPath: '#/jobs' },
  'account.needs_reconnect': {
    title: 'Account needs reconnecting',
    plural: 'accounts need reconnecting',
    listPath: '#/ad-accounts',
  },
  'destination.disabled': {
    title: 'Notification destination disabled',
    plural: 'destinations disabled',
    listPath: '#/notifications',
  },
};

export function isNotificationEventType(type: string): type is NotificationEventType {
  return (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(type);
}
