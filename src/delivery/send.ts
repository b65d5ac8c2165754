// Hands a claim's messages to their transports, as many at once as each transport takes (an SMTP
// pool's connections, Twilio requests in flight), and gathers what became of each. Nothing here
// writes: the outcomes are written together afterwards (src/delivery/outcomes.ts).
import pLimit from 'p-limit';
import type { PreparedMessage } from './claim.ts';
import { DeliveryError } from './errors.ts';
import type { Channel, MessageTransport } from './transport.ts';

export type SendOutcome =
  | { message: PreparedMessage; sent: { providerId: string; at: Date } }
  | { message: PreparedMessage; error: DeliveryError };

/** `onSent` is told of each message a transport accepted (or had already), as it happens. */
export async function sendMessages(
  messages: readonly PreparedMessage[],
  transports: Partial<Record<Channel, MessageTransport>>,
  now: () => Date,
  onSent?: () => void,
): Promise<SendOutcome[]> {
  const limits = new Map<Channel, ReturnType<typeof pLimit>>();
  const limitOf = (transport: MessageTransport) => {
    const limit = limits.get(transport.channel) ?? pLimit(transport.concurrency);
    limits.set(transport.channel, limit);
    return limit;
  };
  return Promise.all(
    messages.map((message) => {
      const transport = transports[message.channel];
      if (!transport) {
        const error = new DeliveryError(message.channel, 'unavailable', `no ${message.channel} sender is configured`);
        return Promise.resolve<SendOutcome>({ message, error });
      }
      return limitOf(transport)(async (): Promise<SendOutcome> => {
        try {
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
