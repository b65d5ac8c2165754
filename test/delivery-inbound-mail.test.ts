// Classifying what arrives at the bounce/reply mailbox, on messages shaped like the ones real
// servers send (test/fixtures/inbound-mail), and our Message-ID format.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyInboundMail, formatOurMessageId, ourMessageIdParts } from '../src/delivery/inbound-mail.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/inbound-mail/${name}`, import.meta.url));
const tenant = '0b3c2f9e-1111-4222-8333-444455556666';
/** Our Message-ID of the fixtures' message number n, de-bracketed. */
const ours = (n: number) => `ns.${tenant}.a1b2c3d4-0000-4000-8000-${n.toString(16).padStart(12, '0')}@mail.acme.test`;

describe('bounces', () => {
  const bounce = (status: string, recipient: string, diagnostic: string, n: number) => ({
    kind: 'bounce',
    hard: status.startsWith('5'),
    status,
    recipient,
    diagnostic,
    originalMessageId: ours(n),
  });

  it.each([
    [
      'a Postfix DSN',
      'postfix-dsn.eml',
      bounce(
        '5.1.1',
        'nobody@example.org',
        '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown',
        1,
      ),
    ],
    [
      'an Exchange Online NDR, its status detail three digits long',
      'exchange-ndr.eml',
      bounce(
        '5.1.10',
        'jdoe@contoso.com',
        '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        4,
      ),
    ],
    [
      'a delay notice as a soft bounce (4.x.x), so the address is kept',
      'postfix-delayed.eml',
      bounce('4.2.2', 'full@example.com', '452 4.2.2 <full@example.com>: Mailbox full', 5),
    ],
    [
      'an Exim bounce written as text, the copy of the message inline',
      'exim-bounce.eml',
      bounce(
        '5.1.1',
        'gone@example.org',
        '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
        6,
      ),
    ],
  ])('reads %s: status, recipient, diagnostic, the original Message-ID', async (_, file, expected) => {
    expect(await classifyInboundMail(fixture(file))).toEqual(expected);
  });

  it('reads a Gmail DSN (nested parts, headers only, In-Reply-To set) as a bounce, not a reply', async () => {
    const result = await classifyInboundMail(fixture('gmail-dsn.eml'));
    expect(result).toMatchObject({
      kind: 'bounce',
      hard: true,
      status: '5.1.1',
      recipient: 'no.such.user.42@gmail.com',
      originalMessageId: ours(3),
    });
    expect(result).toHaveProperty('diagnostic', expect.stringMatching(/^550-5\.1\.1 The email account .* - gsmtp$/));
  });

  it('reads a qmail failure notice with only a bare SMTP code', async () => {
    const qmail = [
      'From: MAILER-DAEMON@mail.example.com',
      'To: bounces@mail.acme.test',
      'Subject: failure notice',
      '',
      'Hi. This is the qmail-send program at mail.example.com.',
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.",
      '',
      '<someone@example.com>:',
      '192.0.2.1 does not like recipient.',
      'Remote host said: 550 No such user here',
      'Giving up on 192.0.2.1.',
      '',
      '--- Below this line is a copy of the message.',
      '',
      'Return-Path: <bounces@mail.acme.test>',
      `Message-ID: <${ours(12)}>`,
      'Subject: Quick question',
      '',
      'Hi',
    ].join('\r\n');
    expect(await classifyInboundMail(qmail)).toEqual({
      kind: 'bounce',
      hard: true,
      status: '5.0.0',
      recipient: 'someone@example.com',
      diagnostic: 'Remote host said: 550 No such user here',
      originalMessageId: ours(12),
    });
  });

  it('takes the original Message-ID from In-Reply-To when a DSN carries no copy', async () => {
    const raw = fixture('gmail-dsn.eml').toString('utf8');
    const withoutCopy = raw.slice(0, raw.indexOf('Content-Type: text/rfc822-headers')).replace(/--[^\n]*\n$/, '');
    const result = await classifyInboundMail(`${withoutCopy}--000000000000b1f2a3060a2c9d11--\r\n`);
    expect(result).toMatchObject({ kind: 'bounce', originalMessageId: ours(3) });
  });

  it('does not call a report of successful delivery a bounce', async () => {
    const raw = fixture('postfix-dsn.eml')
      .toString('utf8')
      .replace('Action: failed', 'Action: relayed')
      .replace('Status: 5.1.1', 'Status: 2.0.0');
    expect(await classifyInboundMail(raw)).toEqual({ kind: 'unknown' });
  });
});

describe('complaints', () => {
  it("reads Yahoo's abuse report (ARF) with the complaining address", async () => {
    expect(await classifyInboundMail(fixture('yahoo-arf.eml'))).toEqual({
      kind: 'complaint',
      feedbackType: 'abuse',
      recipient: 'someone@yahoo.com',
      originalMessageId: ours(2),
    });
  });

  it("reads AOL's abuse report, whose recipient is redacted", async () => {
    expect(await classifyInboundMail(fixture('aol-arf.eml'))).toEqual({
      kind: 'complaint',
      feedbackType: 'abuse',
      originalMessageId: ours(7),
    });
  });
});

describe('replies', () => {
  it('reads a Gmail reply: In-Reply-To first, then References from the newest back', async () => {
    const result = await classifyInboundMail(fixture('gmail-reply.eml'));
    expect(result).toMatchObject({
      kind: 'reply',
      inReplyTo: [ours(8), ours(1)],
      from: 'ada.lovelace@gmail.com',
      subject: 'Re: Quick question',
    });
    expect(result).toHaveProperty('text', expect.stringMatching(/^Sounds interesting — can we talk on Thursday\?/));
  });

  it('reads an Outlook reply that has only In-Reply-To (folded onto a second line)', async () => {
    const result = await classifyInboundMail(fixture('outlook-reply.eml'));
    expect(result).toMatchObject({ kind: 'reply', inReplyTo: [ours(9)], from: 'john.smith@contoso.com' });
    expect(result).toHaveProperty('text', expect.stringContaining('Please take me off your list.'));
  });

  it('tells automatic replies apart, so they do not end a sequence', async () => {
    expect(await classifyInboundMail(fixture('exchange-ooo.eml'))).toMatchObject({
      kind: 'auto_reply',
      inReplyTo: [ours(10)],
      from: 'maria.garcia@fabrikam.com',
      subject: 'Automatic reply: Quick question',
    });
    // No header says so; the subject does.
    expect(await classifyInboundMail(fixture('vacation-subject-only.eml'))).toMatchObject({
      kind: 'auto_reply',
      inReplyTo: [ours(11)],
    });
    const reply = fixture('gmail-reply.eml').toString('utf8');
    for (const header of [
      'Auto-Submitted: auto-replied',
      'X-Autoreply: yes',
      'Precedence: bulk',
      'Precedence: auto_reply',
    ]) {
      expect((await classifyInboundMail(`${header}\r\n${reply}`)).kind, header).toBe('auto_reply');
    }
    expect((await classifyInboundMail(`Auto-Submitted: no\r\n${reply}`)).kind).toBe('reply');
  });

  it('leaves mail that answers nothing unknown, and survives garbage', async () => {
    expect(await classifyInboundMail(fixture('newsletter.eml'))).toEqual({ kind: 'unknown' });
    expect(await classifyInboundMail('')).toEqual({ kind: 'unknown' });
    expect(await classifyInboundMail(Buffer.from([0, 1, 2, 255, 254]))).toEqual({ kind: 'unknown' });
  });
});

describe('our Message-IDs', () => {
  const message = 'a1b2c3d4-0000-4000-8000-0000000000ff';

  it('round-trip, bracketed or not, in any case', () => {
    const id = formatOurMessageId(tenant.toUpperCase(), message, 'mail.acme.test');
    expect(id).toBe(`<ns.${tenant}.${message}@mail.acme.test>`);
    expect(ourMessageIdParts(id)).toEqual({ tenantId: tenant, messageId: message });
    expect(ourMessageIdParts(id.slice(1, -1).toUpperCase())).toEqual({ tenantId: tenant, messageId: message });
  });

  it('recognise nothing else', () => {
    for (const other of [
      '<CAH+4x9z@mail.gmail.com>',
      `<ns.${tenant}@mail.acme.test>`,
      `<ns.${tenant}.not-a-uuid@mail.acme.test>`,
      `<xx.${tenant}.${message}@mail.acme.test>`,
      `<ns.${tenant}.${message}@>`,
      `<ns.${tenant}.${message}@a@b>`,
      `<ns.${tenant}.${message}@mail.acme.test> trailing`,
    ]) {
      expect(ourMessageIdParts(other), other).toBeUndefined();
    }
  });

  it('refuse to make an ID that would not parse back', () => {
    expect(() => formatOurMessageId('x', message, 'mail.acme.test')).toThrow(TypeError);
    expect(() => formatOurMessageId(tenant, message, 'a b')).toThrow(TypeError);
    expect(() => formatOurMessageId(tenant, message, 'acme.test>')).toThrow(TypeError);
  });
});
