// Inbound mail end to end over real HTTP: messages go out through a real SMTP server, and what
// comes back about them (a person's reply, a DSN bounce, an ARF complaint, an out-of-office; real
// servers' shapes from test/fixtures/inbound-mail, naming the Message-IDs we sent) is posted raw
// to the tenant's signed inbound address. A reply ends the sequence; a hard bounce and a complaint
// suppress the address at once; an automatic reply changes nothing; a wrong signature, or a
// Message-ID of another tenant's message, records nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import {
  deliver,
  emailStats,
  eventCount,
  launchedCampaign,
  recipientOf,
  senderTenant,
  suppressionsOf,
} from './support/delivery-world.ts';
import { apiClient, tokenFor, useTestApi } from './support/test-api.ts';
import { useSmtpSink } from './support/use-smtp-sink.ts';

const HOUR = 3_600_000;

/** The fixture's Message-IDs of "our" messages (any number), de-bracketed. */
const FIXTURE_OURS = /ns\.0b3c2f9e-1111-4222-8333-444455556666\.a1b2c3d4-0000-4000-8000-[0-9a-f]{12}@mail\.acme\.test/g;

/** A fixture as it would arrive about the message whose Message-ID is `messageId` (bracketed). */
const about = (file: string, messageId: string) =>
  readFileSync(new URL(`./fixtures/inbound-mail/${file}`, import.meta.url), 'utf8').replace(
    FIXTURE_OURS,
    messageId.replace(/^<|>$/g, ''),
  );

/** What the tenant's mail server does with a message for the reply/bounce mailbox: posts it raw. */
async function post(url: string, raw: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw });
  return { status: response.status, body: await response.json() };
}

describe('inbound mail over HTTP', () => {
  const { db, api } = useTestApi();
  const smtp = useSmtpSink();

  /** A tenant that mailed these contacts the first of two steps (the second an hour later). */
  async function mailed(emails: string[]) {
    const sink = smtp();
    sink.reset();
    const t = await senderTenant(db(), { smtp: sink });
    const w = await launchedCampaign(db(), t, {
      contacts: emails.map((email) => ({ email })),
      steps: [
        { channel: 'email', variants: [{ label: 'A', subject: 'Quick question', body: 'Worth a look?' }] },
        { channel: 'email', delayHours: 1, variants: [{ label: 'A', subject: 'Following up', body: 'Still keen?' }] },
      ],
    });
    const start = new Date();
    expect((await deliver(db(), t, { now: () => start, publicUrl: api().url })).sent).toBe(emails.length);
    const received = await sink.waitFor(emails.length);
    const messageIdTo = (email: string) => received.find((m) => m.envelope.to[0] === email)!.parsed.messageId!;
    const senders = await apiClient(api(), await tokenFor(db(), t.tenantId, 'member')).get('/api/senders');
    expect(senders.status).toBe(200);
    const inbound: string = senders.body.inbound_mail_url;
    expect(inbound.startsWith(`${api().url}/hooks/email/inbound/${t.tenantId}/`)).toBe(true);
    return { t, w, start, messageIdTo, inbound };
  }

  it('ends a sequence on a reply, suppresses on a hard bounce and a complaint, and lets an out-of-office be', async () => {
    const emails = ['ada@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com'];
    const { t, w, start, messageIdTo, inbound } = await mailed(emails);
    const sink = smtp();
    const [ada, bob, cy, dee] = emails.map(messageIdTo);

    expect(await post(inbound, about('gmail-reply.eml', ada!))).toEqual({ status: 200, body: { recorded: 1 } });
    expect(await post(inbound, about('postfix-dsn.eml', bob!))).toEqual({ status: 200, body: { recorded: 1 } });
    expect(await post(inbound, about('yahoo-arf.eml', cy!))).toEqual({ status: 200, body: { recorded: 1 } });
    expect(await post(inbound, about('exchange-ooo.eml', dee!))).toEqual({ status: 200, body: { recorded: 0 } });

    // A reply, a bounce and a complaint take effect as they arrive: no claim after this sends to them.
    expect(await recipientOf(db(), w, 0)).toMatchObject({ sequence_state: 'ended', ended_reason: 'replied' });
    expect(await suppressionsOf(db(), t.tenantId)).toEqual([
      { channel: 'email', address: 'bob@example.com', reason: 'hard_bounce' },
      { channel: 'email', address: 'cy@example.com', reason: 'complaint' },
    ]);
    expect(await recipientOf(db(), w, 1)).toMatchObject({ sequence_state: 'ended', ended_reason: 'bounced' });
    expect(await recipientOf(db(), w, 2)).toMatchObject({ sequence_state: 'ended', ended_reason: 'complained' });

    await foldMessageEvents(db(), t.tenantId);
    expect(await emailStats(db(), w)).toMatchObject({ sends: 4, replies: 1, bounces: 1 });
    // The same DSN again (a retrying mail server) is recorded, and counts no second bounce.
    expect(await post(inbound, about('postfix-dsn.eml', bob!))).toEqual({ status: 200, body: { recorded: 1 } });
    await foldMessageEvents(db(), t.tenantId);
    expect(await emailStats(db(), w)).toMatchObject({ sends: 4, replies: 1, bounces: 1 });
    expect(await recipientOf(db(), w, 0)).toMatchObject({
      status: 'replied',
      sequence_state: 'ended',
      ended_reason: 'replied',
    });
    expect((await recipientOf(db(), w, 1)).status).toBe('bounced');
    expect((await recipientOf(db(), w, 2)).status).toBe('unsubscribed');
    expect(await recipientOf(db(), w, 3)).toMatchObject({ status: 'sent', sequence_state: 'waiting' });

    // The second step goes to the one whose out-of-office said nothing about wanting less mail.
    const later = await deliver(db(), t, { now: () => new Date(start.getTime() + 2 * HOUR), publicUrl: api().url });
    expect(later.sent).toBe(1);
    await sink.waitFor(5);
    expect(sink.received.slice(4).map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      ['dee@example.com', 'Following up'],
    ]);
  });

  it('records nothing for a wrong signature, or for a Message-ID of another tenant’s message', async () => {
    const mine = await mailed(['eve@example.com']);
    const theirs = await mailed(['fay@example.com']);
    const eve = mine.messageIdTo('eve@example.com');
    const fay = theirs.messageIdTo('fay@example.com');

    const signature = mine.inbound.split('/').at(-1)!;
    const forged = `${mine.inbound.slice(0, -signature.length)}${signature.slice(0, -1)}${signature.at(-1) === 'A' ? 'B' : 'A'}`;
    const refused = await post(forged, about('gmail-reply.eml', eve));
    expect(refused.status).toBe(401);
    // Another tenant's address (its own signature) is no key to this tenant's.
    const crossed = mine.inbound.replace(mine.t.tenantId, theirs.t.tenantId);
    expect((await post(crossed, about('postfix-dsn.eml', eve))).status).toBe(401);

    // Posted to this tenant's address, a reply and a bounce about the other tenant's message.
    expect(await post(mine.inbound, about('gmail-reply.eml', fay))).toEqual({ status: 200, body: { recorded: 0 } });
    expect(await post(mine.inbound, about('postfix-dsn.eml', fay))).toEqual({ status: 200, body: { recorded: 0 } });
    // …or the other tenant's message id under this tenant's name: no message of this tenant.
    const disguised = fay.replace(theirs.t.tenantId, mine.t.tenantId);
    expect(await post(mine.inbound, about('yahoo-arf.eml', disguised))).toEqual({
      status: 200,
      body: { recorded: 0 },
    });

    for (const { t, w } of [mine, theirs]) {
      expect(await eventCount(db(), t.tenantId)).toBe(0);
      expect(await suppressionsOf(db(), t.tenantId)).toEqual([]);
      expect(await recipientOf(db(), w, 0)).toMatchObject({ status: 'sent', sequence_state: 'waiting' });
    }
  });
});
