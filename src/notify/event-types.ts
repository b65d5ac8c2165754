// The words of each event Nightshift tells people about (docs/notifications.md): what a person reads
// in a message, and the dashboard list a digest links to. The types themselves are the API's
// vocabulary (src/contract/notification-vocabulary.ts).
import {
  NOTIFICATION_EVENT_TITLES,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
} from '../contract/notification-vocabulary.ts';

export { NOTIFICATION_EVENT_TYPES, type NotificationEventType };

interface EventTypeWords {
  /** What one event is, for a message's title (the contract's, which the dashboard shows too). */
  title: string;
  /** What many are, for a digest: "12 suggestions waiting for approval". */
  plural: string;
  /** The dashboard page (a hash route) a digest links to, filtered to what it counts where the page can be. */
  listPath: string;
}

export const EVENT_TYPE_WORDS: Record<NotificationEventType, EventTypeWords> = {
  'action.executed': {
    title: NOTIFICATION_EVENT_TITLES['action.executed'],
    plural: 'actions taken',
    listPath: '#/actions/executed',
  },
  'suggestion.pending': {
    title: NOTIFICATION_EVENT_TITLES['suggestion.pending'],
    plural: 'suggestions waiting for approval',
    listPath: '#/actions/pending',
  },
  'action.failed': {
    title: NOTIFICATION_EVENT_TITLES['action.failed'],
    plural: 'actions failed',
    listPath: '#/actions/failed',
  },
  'rollback.conflict': {
    title: NOTIFICATION_EVENT_TITLES['rollback.conflict'],
    plural: 'rollbacks refused',
    listPath: '#/actions/executed',
  },
  'alert.raised': { title: NOTIFICATION_EVENT_TITLES['alert.raised'], plural: 'alerts raised', listPath: '#/actions' },
  'opportunity.critical': {
    title: NOTIFICATION_EVENT_TITLES['opportunity.critical'],
    plural: 'critical opportunities',
    listPath: '#/opportunities',
  },
  'weekly_summary.ready': {
    title: NOTIFICATION_EVENT_TITLES['weekly_summary.ready'],
    plural: 'weekly summaries ready',
    listPath: '#/summaries',
  },
  'job.dead_lettered': {
    title: NOTIFICATION_EVENT_TITLES['job.dead_lettered'],
    plural: 'jobs gave up',
    listPath: '#/jobs',
  },
  'account.needs_reconnect': {
    title: NOTIFICATION_EVENT_TITLES['account.needs_reconnect'],
    plural: 'accounts need reconnecting',
    listPath: '#/ad-accounts',
  },
  'destination.disabled': {
    title: NOTIFICATION_EVENT_TITLES['destination.disabled'],
    plural: 'destinations disabled',
    listPath: '#/notifications',
  },
};

export function isNotificationEventType(type: string): type is NotificationEventType {
  return (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(type);
}
