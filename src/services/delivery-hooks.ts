// What providers tell us about messages, through the hooks (src/server/delivery-hooks.ts):
// Twilio's status callbacks and inbound SMS, signed with the tenant's auth token (X-Twilio-
// Signature, checked before anything is read); and inbound mail (replies, bounces, complaints)
// posted raw by the tenant's mail server to an address whose signature only we can make.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/port.ts';
import { lastSmsTo, messageIdByProviderId } from '../db/repositories/delivery-messages.ts';
import { sendersOf } from '../db/repositories/delivery-senders.ts';
import { addSuppressions } from '../db/repositories/delivery-suppressions.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { classifyInboundMail, ourMessageIdParts } from '../delivery/inbound-mail.ts';
import { type MessageEvent, recordMessageEvents } from '../delivery/recipient-events.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { secretsOf } from '../delivery/sender-transports.ts';
import { verifyTwilioSignature } from '../delivery/twilio-signature.ts';
import { isUuid } from '../domain/ids.ts';

/** The words carriers and Twilio treat as an opt-out (Twilio's Advanced Opt-Out defaults). */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);

/** Twilio's error codes that mean the number will never take our messages. */
const UNREACHABLE_CODES = new Set(['30003', '30005', '30006', '21610']);

export type HookResult = { ok: true; recorded: number } | { ok: false; status: 401 | 404; reason: string };

async function twilioAuthToken(db: Database, deps: DeliveryDeps, tenantId: string): Promise<string | undefined> {
  const senders = await tenantScoped(db, tenantId).session((s) => sendersOf(s, tenantId));
  const sms = senders.find((row) => row.channel === 'sms');
  return sms ? secretsOf(sms, deps.cipher).auth_token : undefined;
}

async function checkTwilio(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  request: { url: string; params: Record<string, string>; signature: string | undefined },
): Promise<HookResult | undefined> {
  const token = await twilioAuthToken(db, deps, tenantId);
  if (!token) return { ok: false, status: 404, reason: 'no SMS sender' };
  if (!request.signature || !verifyTwilioSignature(token, request.url, request.params, request.signature)) {
    return { ok: false, status: 401, reason: 'the X-Twilio-Signature does not match' };
  }
  return undefined;
}

/** A message's status from Twilio: delivered, or undelivered/failed (an unreachable number bounces). */
export async function twilioStatus(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  request: { url: string; params: Record<string, string>; signature: string | undefined },
): Promise<HookResult> {
  const refused = await checkTwilio(db, deps, tenantId, request);
  if (refused) return refused;
  const { MessageSid: sid, MessageStatus: status, ErrorCode: code } = request.params;
  const scoped = tenantScoped(db, tenantId);
  // The callback's address names our message (src/delivery/message-links.ts): a report that comes
  // before the worker has written the SID down finds it all the same. Else the SID says which.
  const named = new URL(request.url).searchParams.get('message');
  const messageId =
    named && isUuid(named)
      ? named
      : sid
        ? await scoped.session((s) => messageIdByProviderId(s, tenantId, sid))
        : undefined;
  if (!messageId) return { ok: true, recorded: 0 };
  let event: MessageEvent | undefined;
  if (status === 'delivered') event = { messageId, kind: 'delivered' };
  else if (status === 'undelivered' || status === 'failed') {
    const kind = code === '21610' ? 'stopped' : code && UNREACHABLE_CODES.has(code) ? 'bounced' : 'failed';
    event = { messageId, kind, detail: { twilio_status: status, error_code: code ?? null } };
  }
  return { ok: true, recorded: event ? await recordMessageEvents(scoped, tenantId, [event]) : 0 };
}

/** An SMS to our number: STOP (and its synonyms) opts the number out; anything else is a reply. */
export async function twilioInbound(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  request: { url: string; params: Record<string, string>; signature: string | undefined },
): Promise<HookResult> {
  const refused = await checkTwilio(db, deps, tenantId, request);
  if (refused) return refused;
  const from = request.params.From ?? '';
  const body = (request.params.Body ?? '').trim();
  const isStop = STOP_WORDS.has(body.toUpperCase());
  const scoped = tenantScoped(db, tenantId);
  const messageId = await scoped.session((s) => lastSmsTo(s, tenantId, from));
  if (!messageId) {
    // A STOP from a number we never wrote to is still an opt-out: the number is never written to.
    if (isStop && from) {
      await scoped.transaction((s) =>
        addSuppressions(s, tenantId, [{ channel: 'sms', address: from, reason: 'sms_stop' }]),
      );
    }
    return { ok: true, recorded: 0 };
  }
  const kind = isStop ? 'stopped' : 'replied';
  return { ok: true, recorded: await recordMessageEvents(scoped, tenantId, [{ messageId, kind }]) };
}

/** The signature in a tenant's inbound-mail address: only this install can make one. */
export function inboundMailSignature(trackingKey: Buffer, tenantId: string): string {
  return createHmac('sha256', trackingKey).update(`inbound-mail:${tenantId}`).digest('base64url').slice(0, 32);
}

/** A raw message from the tenant's mailbox: a reply ends its sequence; a bounce or a complaint suppresses. */
export async function inboundMail(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  signature: string,
  raw: Buffer,
): Promise<HookResult> {
  const expected = Buffer.from(inboundMailSignature(deps.trackingKey, tenantId));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, reason: 'the address’s signature does not match' };
  }
  const mail = await classifyInboundMail(raw);
  const ours = (ids: readonly (string | undefined)[]) =>
    ids.flatMap((id) => {
      const parts = id ? ourMessageIdParts(id) : undefined;
      // A Message-ID of another tenant's message is not this tenant's to act on.
      return parts && parts.tenantId === tenantId ? [parts.messageId] : [];
    });
  let events: MessageEvent[] = [];
  if (mail.kind === 'bounce') {
    events = ours([mail.originalMessageId]).map((messageId) => ({
      messageId,
      kind: mail.hard ? 'bounced' : 'soft_bounced',
      detail: { status: mail.status, diagnostic: mail.diagnostic ?? null },
    }));
  } else if (mail.kind === 'complaint') {
    events = ours([mail.originalMessageId]).map((messageId) => ({ messageId, kind: 'complained' }));
  } else if (mail.kind === 'reply') {
    events = [...new Set(ours(mail.inReplyTo))].slice(0, 1).map((messageId) => ({ messageId, kind: 'replied' }));
  }
  return {
    ok: true,
    recorded: events.length ? await recordMessageEvents(tenantScoped(db, tenantId), tenantId, events) : 0,
  };
}
