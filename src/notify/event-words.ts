// An event in words, for the messages people read (Slack, e-mail): a title, one line of what
// happened, the facts beside it, and where in the dashboard to see it. Webhooks get the data
// itself (src/notify/envelope.ts).
import { EVENT_TYPE_WORDS, isNotificationEventType } from './event-types.ts';

export interface EventItem {
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  event_created_at: Date;
}

export interface EventWords {
  title: string;
  /** What happened, in a line (the ledger's reason, the platform's error, the alert's text). */
  line: string;
  facts: [label: string, value: string][];
  /** The dashboard page of the event, on this install's public address. */
  url: string;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

function campaignTitle(data: Record<string, unknown>): string | undefined {
  const campaign = data.campaign as { title?: unknown } | undefined;
  return text(campaign?.title);
}

export function wordsOf(item: EventItem, publicUrl: string): EventWords {
  const known = isNotificationEventType(item.event_type) ? EVENT_TYPE_WORDS[item.event_type] : undefined;
  const data = item.event_data;
  const facts: [string, string][] = [];
  const campaign = campaignTitle(data);
  if (campaign) facts.push(['Campaign', campaign]);
  const actionType = text(data.action_type);
  if (actionType) facts.push(['Action', actionType.replaceAll('_', ' ')]);
  if (typeof data.confidence === 'number' || typeof data.confidence === 'string') {
    facts.push(['Confidence', `${Math.round(Number(data.confidence) * 100)}%`]);
  }
  const by = text(data.decided_by) ?? text(data.requested_by);
  if (by) facts.push(['By', by]);
  return {
    title: known?.title ?? item.event_type,
    line: text(data.reason) ?? text(data.error) ?? text(data.detail) ?? text(data.message) ?? '',
    facts,
    url: `${publicUrl.replace(/\/$/, '')}/${known?.listPath ?? ''}`,
  };
}

/** A digest's headline: how many of each type, most first ("3 suggestions waiting for approval, 1 alert raised"). */
export function digestHeadline(items: readonly EventItem[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.event_type, (counts.get(item.event_type) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([type, count]) => {
      const words = isNotificationEventType(type) ? EVENT_TYPE_WORDS[type] : undefined;
      return count === 1 ? `1 ${(words?.title ?? type).toLowerCase()}` : `${count} ${words?.plural ?? type}`;
    })
    .join(', ');
}

/** The dashboard lists a digest links to: one per event type it holds. */
export function digestLinks(items: readonly EventItem[], publicUrl: string): { label: string; url: string }[] {
  const types = [...new Set(items.map((i) => i.event_type))];
  return types.map((type) => {
    const words = isNotificationEventType(type) ? EVENT_TYPE_WORDS[type] : undefined;
    return { label: `See ${words?.plural ?? type}`, url: `${publicUrl.replace(/\/$/, '')}/${words?.listPath ?? ''}` };
  });
}
