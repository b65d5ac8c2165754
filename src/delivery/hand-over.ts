// Marks a claim's messages handed over (campaign_messages.handed_at) a chunk at a time, just before
// any message of the chunk reaches its transport, so that a worker that dies leaves the next run
// knowing which of its 'sending' messages a provider may have: the marked ones. The rest never left
// and are sent again (src/delivery/reconcile.ts). One write per chunk instead of one per message;
// the next chunk is marked while the second half of this one is sent, so the transports do not
// wait on the database. In doubt after a crash: at most a chunk and a half of messages marked and
// not yet handed over (recorded 'unconfirmed', never sent), beside those truly in flight.
import type { PreparedMessage } from './claim.ts';

/** Messages marked per write: a few times an SMTP pool's connections or Twilio's requests in flight. */
export const HAND_OVER_CHUNK = 16;

/** Marks messages handed over; resolves with the ids it marked (one another worker took is not). */
export type MarkHandedOver = (messages: readonly { id: string; attempts: number }[]) => Promise<ReadonlySet<string>>;

/**
 * For one transport's messages in the order they are handed over: `ready(i)` resolves once message
 * i's chunk is marked (and starts marking the chunk after it), with whether message i may go.
 */
export function handOverInChunks(messages: readonly PreparedMessage[], mark: MarkHandedOver, chunk = HAND_OVER_CHUNK) {
  const marks = new Map<number, Promise<ReadonlySet<string>>>();
  const marked = (index: number) => {
    let pending = marks.get(index);
    if (!pending) {
      const slice = messages.slice(index * chunk, (index + 1) * chunk);
      pending =
        slice.length === 0
          ? Promise.resolve(new Set<string>())
          : mark(slice.map((m) => ({ id: m.outgoing.id, attempts: m.attempts })));
      marks.set(index, pending);
    }
    return pending;
  };
  return async (position: number): Promise<boolean> => {
    const index = Math.floor(position / chunk);
    // Halfway through a chunk, the next one is marked. A failure there is met again (and reported)
    // by its own messages.
    if (position % chunk >= chunk / 2) marked(index + 1).catch(() => {});
    return (await marked(index)).has(messages[position]!.outgoing.id);
  };
}
