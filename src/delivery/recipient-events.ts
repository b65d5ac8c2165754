// What a recipient (or a provider) says about a message, recorded as it arrives: the event is
// appended for the fold (stats, funnel), and the consequences that must not wait for it are taken
// in the same transaction: a reply ends the recipient's sequence; an unsubscribe, a STOP, a
// complaint or a hard bounce also puts the address on the suppression list, so no claim after this
// commit sends to it.
import type { Database } from '../db/port.ts';
import { appendEvents, type MessageEventKind } from '../db/repositories/delivery-events.ts';
import { type EndReason, endRecipients, messageForEvent } from '../db/repositories/delivery-messages.ts';
import { addSuppressions, type SuppressionReason } from '../db/repositories/delivery-suppressions.ts';

const CONSEQUENCES: Partial<Record<MessageEventKind, { suppress?: SuppressionReason; end: EndReason }>> = {
  // A reply ends the sequence at once: a follow-up due in the minute before the fold must not go.
  replied: { end: 'replied' },
  unsubscribed: { suppress: 'unsubscribed', end: 'unsubscribed' },
  stopped: { suppress: 'sms_stop', end: 'stopped' },
  complained: { suppress: 'complaint', end: 'complained' },
  bounced: { suppress: 'hard_bounce', end: 'bounced' },
};

export interface MessageEvent {
  messageId: string;
  kind: MessageEventKind;
  occurredAt?: Date;
  detail?: Record<string, unknown>;
}

/**
 * Records events of the tenant's messages; an event naming a message the tenant does not have is
 * ignored. Returns how many were recorded. `db` is scoped to the tenant.
 */
export async function recordMessageEvents(db: Database, tenantId: string, events: readonly MessageEvent[]) {
  return db.transaction(async (s) => {
    const kept = await appendEvents(
      s,
      tenantId,
      events.map((e) => ({ message_id: e.messageId, kind: e.kind, occurred_at: e.occurredAt, detail: e.detail })),
    );
    for (const event of events) {
      const consequence = CONSEQUENCES[event.kind];
      if (!consequence) continue;
      const message = await messageForEvent(s, tenantId, event.messageId);
      if (!message) continue;
      if (consequence.suppress) {
        await addSuppressions(s, tenantId, [
          {
            channel: message.channel,
            address: message.to_address,
            reason: consequence.suppress,
            message_id: message.id,
          },
        ]);
      }
      await endRecipients(s, tenantId, [{ ...message, reason: consequence.end }]);
    }
    return kept;
  });
}
