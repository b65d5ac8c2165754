// Hands a claim's messages to their transports, as many at once as each transport takes (an SMTP
// pool's connections, Twilio requests in flight), and gathers what became of each. Each is marked
// handed over (a chunk at a time, src/delivery/hand-over.ts) before it goes; the outcomes are
// written together afterwards (src/delivery/outcomes.ts).
import pLimit from 'p-limit';
import type { PreparedMessage } from './claim.ts';
import { DeliveryError } from './errors.ts';
import { handOverInChunks, type MarkHandedOver } from './hand-over.ts';
import type { Channel, MessageTransport } from './transport.ts';

export type SendOutcome =
  | { message: PreparedMessage; sent: { providerId: string; at: Date } }
  | { message: PreparedMessage; error: DeliveryError };

/** `onSent` is told of each message a transport accepted (or had already), as it happens. */
export async function sendMessages(
  messages: readonly PreparedMessage[],
  transports: Partial<Record<Channel, MessageTransport>>,
  options: { now: () => Date; markHandedOver: MarkHandedOver; onSent?: () => void },
): Promise<SendOutcome[]> {
  const { now, onSent } = options;
  const queues = new Map<
    Channel,
    { limit: ReturnType<typeof pLimit>; ready: (position: number) => Promise<boolean> }
  >();
  // p-limit starts tasks in the order they are queued: a channel's messages go in its list's order.
  const queueOf = (transport: MessageTransport) => {
    let queue = queues.get(transport.channel);
    if (!queue) {
      const own = messages.filter((m) => m.channel === transport.channel);
      queue = { limit: pLimit(transport.concurrency), ready: handOverInChunks(own, options.markHandedOver) };
      queues.set(transport.channel, queue);
    }
    return queue;
  };
  const positions = new Map<Channel, number>();
  return Promise.all(
    messages.map((message) => {
      const transport = transports[message.channel];
      if (!transport) {
        const error = new DeliveryError(message.channel, 'unavailable', `no ${message.channel} sender is configured`);
        return Promise.resolve<SendOutcome>({ message, error });
      }
      const queue = queueOf(transport);
      const position = positions.get(message.channel) ?? 0;
      positions.set(message.channel, position + 1);
      return queue.limit(async (): Promise<SendOutcome> => {
        try {
          if (!(await queue.ready(position))) {
            // Reconciled or claimed again by another worker while this one waited: not ours to send.
            const taken = 'taken over by another worker before it was handed over';
            return { message, error: new DeliveryError(message.channel, 'unavailable', taken) };
          }
          let providerId: string | undefined;
          if (message.lookupSince) {
            const found = await transport.findSent(message.outgoing, message.lookupSince);
            if (typeof found === 'string' && found !== 'unknowable') providerId = found;
          }
          providerId ??= (await transport.send(message.outgoing)).providerId;
          onSent?.();
          return { message, sent: { providerId, at: now() } };
        } catch (error) {
          return { message, error: asDeliveryError(error, message.channel) };
        }
      });
    }),
  );
}

/** A failure the transport did not classify (a bug, a library's surprise) is retried, never lost. */
function asDeliveryError(error: unknown, channel: Channel): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(channel, 'unavailable', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
