// Messages a dead worker left 'sending'. Those it had not marked handed over never reached a
// provider and are sent again. A marked one may have: nothing is sent twice. An SMS is looked up on
// Twilio (to, from, body, since the claim) and confirmed with its SID when found, or sent again
// when Twilio has no such message; an e-mail cannot be looked up (SMTP has no query), so it is
// recorded 'unconfirmed' and counted as sent, never sent again.
// An event that names its Message-ID later (a reply, a bounce, an open) shows it went out
// (docs/delivery.md, "Exactly once").
import type { Database } from '../db/port.ts';
import {
  claimStaleMessages,
  confirmSent,
  markUnsent,
  type StaleMessage,
} from '../db/repositories/delivery-messages.ts';
import type { Channel, MessageTransport } from './transport.ts';

/** Stale messages looked at per run: more wait for the next run. */
const STALE_LIMIT = 1000;

export async function reconcileStale(
  db: Database,
  tenantId: string,
  options: { transports: Partial<Record<Channel, MessageTransport>>; now: Date; staleAfterMs: number },
): Promise<{ confirmed: number; unconfirmed: number; requeued: number }> {
  const channels = Object.keys(options.transports);
  const stale = await db.transaction((s) =>
    claimStaleMessages(s, tenantId, {
      channels,
      staleBefore: new Date(options.now.getTime() - options.staleAfterMs),
      now: options.now,
      limit: STALE_LIMIT,
    }),
  );
  const found: { message: StaleMessage; providerId: string }[] = [];
  const unknowable: StaleMessage[] = [];
  const absent: StaleMessage[] = [];
  for (const message of stale) {
    if (!message.handed_over) {
      absent.push(message);
      continue;
    }
    const transport = options.transports[message.channel]!;
    const answer = await transport.findSent(
      { id: message.id, to: message.to_address, text: message.sms_body ?? '' },
      message.claimed_at,
    );
    if (answer === 'unknowable') unknowable.push(message);
    else if (answer === undefined) absent.push(message);
    else found.push({ message, providerId: answer });
  }
  await db.transaction(async (s) => {
    await confirmSent(
      s,
      tenantId,
      found.map(({ message, providerId }) => ({ ...message, provider_id: providerId, sent_at: message.claimed_at })),
    );
    await confirmSent(
      s,
      tenantId,
      unknowable.map((m) => ({ ...m, provider_id: null, sent_at: m.claimed_at })),
      'unconfirmed',
    );
    await markUnsent(
      s,
      tenantId,
      absent.map((m) => ({
        id: m.id,
        attempts: m.attempts,
        status: 'deferred',
        error: m.handed_over
          ? 'its worker died before the provider answered, and the provider has no such message'
          : 'its worker died before handing it over',
        retry_at: options.now,
      })),
    );
  });
  return { confirmed: found.length, unconfirmed: unknowable.length, requeued: absent.length };
}
