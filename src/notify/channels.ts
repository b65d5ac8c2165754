// Sending one message to one destination, whatever its kind: a signed webhook POST of the event's
// envelope, a Slack incoming-webhook POST of a Block Kit message, or an e-mail per address through
// the tenant's e-mail sender. Each answers as an attempt's outcome; none throws for a refusal.
import type { MessageTransport } from '../delivery/transport.ts';
import type { ActionLinkButton } from './action-links.ts';
import { digestEmail, eventEmail } from './email-message.ts';
import type { EventEnvelope } from './envelope.ts';
import type { EventItem } from './event-words.ts';
import { type PostResult, postToDestination } from './http-post.ts';
import { slackDigestMessage, slackEventMessage } from './slack-message.ts';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.ts';

/** What a destination's secrets hold, decrypted. */
export interface DestinationSecrets {
  /** Slack: the incoming webhook's URL. */
  webhook_url?: string;
  /** Webhook: the HMAC key of Nightshift-Signature. Slack: the app's signing secret. */
  signing_secret?: string;
}

export interface SendDeps {
  publicUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** A webhook: the envelope, signed, with the event's id in a header too (for receivers' logs). */
export function sendWebhook(
  url: string,
  secrets: DestinationSecrets,
  envelope: EventEnvelope,
  attempt: number,
  at: Date,
  deps: SendDeps,
): Promise<PostResult> {
  const body = JSON.stringify(envelope);
  return postToDestination(
    url,
    body,
    {
      'content-type': 'application/json',
      'user-agent': 'Nightshift-Webhooks/1',
      [SIGNATURE_HEADER]: signatureHeader(secrets.signing_secret ?? '', body, at),
      'nightshift-event-id': envelope.id,
      'nightshift-delivery-attempt': String(attempt),
    },
    deps,
  );
}

/** Slack: one event with its actions, or a digest of several. */
export function sendSlack(
  secrets: DestinationSecrets,
  message:
    | { event: EventItem; actions: readonly ActionLinkButton[] }
    | { digest: readonly EventItem[]; period: string },
  deps: SendDeps,
): Promise<PostResult> {
  if (!secrets.webhook_url) {
    return Promise.resolve({ ok: false, status: null, latencyMs: 0, error: 'no webhook URL is set', retryAfterMs: 0 });
  }
  const payload =
    'event' in message
      ? slackEventMessage(message.event, deps.publicUrl, message.actions)
      : slackDigestMessage(message.digest, deps.publicUrl, message.period);
  return postToDestination(secrets.webhook_url, JSON.stringify(payload), { 'content-type': 'application/json' }, deps);
}

/**
 * E-mail: one message per address, each with the links issued to that address (`actionsFor`), in
 * order; the first refusal ends the attempt and names the address.
 */
export async function sendEmails(
  transport: MessageTransport | undefined,
  addresses: readonly string[],
  message:
    | { event: EventItem; actionsFor: (address: string) => Promise<readonly ActionLinkButton[]> }
    | { digest: readonly EventItem[]; period: string },
  deps: SendDeps & { idFor: (address: string) => string },
): Promise<PostResult> {
  const started = performance.now();
  const result = (ok: boolean, error: string | null): PostResult => ({
    ok,
    status: null,
    latencyMs: Math.round(performance.now() - started),
    error,
    retryAfterMs: 0,
  });
  if (!transport) return result(false, 'the tenant has no active e-mail sender (Senders)');
  for (const to of addresses) {
    const mail =
      'event' in message
        ? eventEmail(message.event, deps.publicUrl, await message.actionsFor(to))
        : digestEmail(message.digest, deps.publicUrl, message.period);
    try {
      await transport.send({ id: deps.idFor(to), to, subject: mail.subject, text: mail.text, html: mail.html });
    } catch (error) {
      return result(false, `${to}: ${(error as Error).message}`.slice(0, 500));
    }
  }
  return result(true, null);
}
