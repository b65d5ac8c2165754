// Unsubscribing end to end over real HTTP, from the List-Unsubscribe header of a message that went
// through a real SMTP server: a GET (what a mail scanner does) only shows the page; the one-click
// POST a mail client sends (RFC 8058) suppresses the address at once and ends the contact's
// sequence, so the next step and any later campaign never mail it, while the others go on.
import { describe, expect, it } from 'vitest';
import { signToken, trackingKey } from '../src/delivery/tracking-token.ts';
import {
  deliver,
  eventCount,
  launchedCampaign,
  messagesOf,
  recipientOf,
  recipientStates,
  senderTenant,
  suppressionsOf,
} from './support/delivery-world.ts';
import type { ReceivedEmail } from './support/smtp-sink.ts';
import { TEST_ENCRYPTION_KEY, useTestApi } from './support/test-api.ts';
import { useSmtpSink } from './support/use-smtp-sink.ts';

const HOUR = 3_600_000;

/** The URL of the message's List-Unsubscribe header, as a mail client reads it. */
function unsubscribeUrl(email: ReceivedEmail): string {
  const line = email.parsed.headerLines.find((header) => header.key === 'list-unsubscribe')!.line;
  return line.replace(/\r?\n\s+/g, ' ').match(/<(https?:[^>]+)>/)![1]!;
}

/** The POST a mail client's unsubscribe button sends (RFC 8058 §3.2). */
const oneClick = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

describe('one-click unsubscribe over HTTP', () => {
  const { db, api } = useTestApi();
  const smtp = useSmtpSink();

  it('shows a page on GET, unsubscribes on the one-click POST, and the address is never mailed again', async () => {
    const sink = smtp();
    sink.reset();
    const t = await senderTenant(db(), { smtp: sink });
    const w = await launchedCampaign(db(), t, {
      contacts: [{ email: 'Ada@Example.com' }, { email: 'bob@example.com' }],
      steps: [
        { channel: 'email', variants: [{ label: 'A', subject: 'First', body: 'One' }] },
        { channel: 'email', delayHours: 1, variants: [{ label: 'A', subject: 'Second', body: 'Two' }] },
      ],
    });
    const start = new Date();
    expect((await deliver(db(), t, { now: () => start, publicUrl: api().url })).sent).toBe(2);
    const received = await sink.waitFor(2);
    // (nodemailer writes the domain in lower case: Ada@example.com.)
    const ada = received.find((m) => m.envelope.to[0]?.toLowerCase() === 'ada@example.com')!;
    const url = unsubscribeUrl(ada);
    expect(url.startsWith(`${api().url}/u/`)).toBe(true);
    // The HTML's footer link is the same page.
    expect(ada.parsed.html).toContain(`href="${url}"`);

    // A GET (a scanner following the link, a person opening it) asks; it unsubscribes nobody.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain('Ada@Example.com');
    expect(await suppressionsOf(db(), t.tenantId)).toEqual([]);
    expect(await eventCount(db(), t.tenantId)).toBe(0);
    expect((await recipientOf(db(), w, 0)).sequence_state).toBe('waiting');

    const done = await oneClick(url);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You are unsubscribed');
    // Suppressed at once (not at the next fold), lower-cased, and the sequence ended.
    expect(await suppressionsOf(db(), t.tenantId)).toEqual([
      { channel: 'email', address: 'ada@example.com', reason: 'unsubscribed' },
    ]);
    expect(await recipientOf(db(), w, 0)).toMatchObject({
      status: 'unsubscribed',
      sequence_state: 'ended',
      ended_reason: 'unsubscribed',
    });
    // Clicking again (the client retries, the person clicks twice) is no error and changes nothing.
    expect((await oneClick(url)).status).toBe(200);
    expect(await suppressionsOf(db(), t.tenantId)).toHaveLength(1);

    // The next step goes to Bob only.
    const later = await deliver(db(), t, { now: () => new Date(start.getTime() + 2 * HOUR), publicUrl: api().url });
    expect(later.sent).toBe(1);
    await sink.waitFor(3);
    expect(sink.received.slice(2).map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      ['bob@example.com', 'Second'],
    ]);
    expect((await messagesOf(db(), w)).map((m) => [m.step_index, m.to_address])).toEqual([
      [0, 'Ada@Example.com'],
      [0, 'bob@example.com'],
      [1, 'bob@example.com'],
    ]);
    expect(later.completed_campaigns).toEqual([w.campaignId]);

    // A suppressed contact is never mailed: another campaign to both sends Ada nothing.
    const next = await launchedCampaign(db(), t, {
      contacts: [],
      existingContacts: w.contactIds,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'News', body: 'Three' }] }],
    });
    const again = await deliver(db(), t, { publicUrl: api().url });
    expect(again.sent).toBe(1);
    await sink.waitFor(4);
    expect(sink.received.slice(3).map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      ['bob@example.com', 'News'],
    ]);
    expect((await messagesOf(db(), next)).map((m) => m.to_address)).toEqual(['bob@example.com']);
    // Ada's step was passed over: her place in the campaign is done, and the campaign completes.
    expect(await recipientOf(db(), next, 0)).toMatchObject({ sequence_state: 'ended', status: 'queued' });
    expect(again.completed_campaigns).toEqual([next.campaignId]);
  });

  it('answers an expired or forged unsubscribe link with a page that unsubscribes nobody', async () => {
    const sink = smtp();
    sink.reset();
    const t = await senderTenant(db(), { smtp: sink });
    const w = await launchedCampaign(db(), t, {
      contacts: [{ email: 'cy@example.com' }],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi', body: 'Hello' }] }],
    });
    await deliver(db(), t, { publicUrl: api().url });
    const [message] = await messagesOf(db(), w);
    const key = trackingKey(TEST_ENCRYPTION_KEY);
    const expired = signToken(
      key,
      { kind: 'unsubscribe', tenantId: t.tenantId, messageId: message!.id },
      new Date(Date.now() - 1000),
    );
    const get = await fetch(`${api().url}/u/${expired}`);
    expect(get.status).toBe(410);
    expect(await get.text()).toContain('expired');
    expect((await oneClick(`${api().url}/u/${expired}`)).status).toBe(410);

    const [email] = await sink.waitFor(1);
    const good = unsubscribeUrl(email!).split('/u/')[1]!;
    const bytes = Buffer.from(good, 'base64url');
    bytes[30] = bytes[30]! ^ 0x01;
    expect((await oneClick(`${api().url}/u/${bytes.toString('base64url')}`)).status).toBe(404);

    expect(await suppressionsOf(db(), t.tenantId)).toEqual([]);
    expect(await eventCount(db(), t.tenantId)).toBe(0);
    expect((await recipientStates(db(), w))[0]).toMatchObject({ status: 'sent', ended_reason: 'completed' });
  });
});
