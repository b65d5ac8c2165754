// The SMTP transport against a local SMTP server: messages go over a pool of a few connections, at
// the rate asked, DKIM-signed, with our Message-ID and List-Unsubscribe headers; every failure is
// sorted into the kind the delivery worker acts on, and the password is in no error.
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSmtpTransport,
  messageIdDomain,
  type OutgoingEmail,
  type SmtpSettings,
  type SmtpTransport,
} from '../src/delivery/smtp-transport.ts';
import { deliveryFailureOf } from './support/delivery-failure.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const PASSWORD = 'correct-horse-battery-staple-9';

const email = (n: number, to = `reader${n}@example.net`): OutgoingEmail => ({
  to,
  subject: `Spring sale ${n}`,
  html: `<p>Everything <b>20%</b> off, reader ${n}.</p>`,
  text: `Everything 20% off, reader ${n}.`,
  messageId: `<ns.${n}.k3j4@shop.example.com>`,
  headers: {
    'List-Unsubscribe': `<https://shop.example.com/u/${n}>, <mailto:unsubscribe@shop.example.com?subject=${n}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
});

const transports: SmtpTransport[] = [];
/** A transport to `sink`, closed after the test. */
function transportTo(sink: { host: string; port: number }, settings: Partial<SmtpSettings> = {}): SmtpTransport {
  const transport = createSmtpTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    fromAddress: 'news@shop.example.com',
    fromName: 'Shop News',
    timeoutMs: 5_000,
    ...settings,
  });
  transports.push(transport);
  return transport;
}
afterEach(() => {
  for (const transport of transports.splice(0)) transport.close();
});

/** The call's failure, checked to be a DeliveryError of e-mail with the password nowhere in it. */
const failureOf = (call: Promise<unknown>) => deliveryFailureOf(call, 'email', PASSWORD);

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());
afterEach(() => sink.reset());

describe('sending', () => {
  it('sends 50 messages over at most maxConnections connections, each with its envelope', async () => {
    const transport = transportTo(sink, { maxConnections: 3 });
    const sent = await Promise.all(Array.from({ length: 50 }, (_, n) => transport.send(email(n))));
    expect(sent.map((info) => info.accepted)).toEqual(Array.from({ length: 50 }, (_, n) => [`reader${n}@example.net`]));
    expect(sent[0]!.response).toMatch(/^250 /);
    expect(sink.received).toHaveLength(50);
    expect(sink.connections).toBeGreaterThan(0);
    expect(sink.connections).toBeLessThanOrEqual(3);
    const envelopes = sink.received.map((received) => received.envelope);
    expect(envelopes).toContainEqual({ from: 'news@shop.example.com', to: ['reader7@example.net'] });
  });

  it('keeps our Message-ID and headers, and sends the html and text parts', async () => {
    const transport = transportTo(sink, { replyTo: 'help@shop.example.com' });
    const info = await transport.send(email(1));
    expect(info.messageId).toBe('<ns.1.k3j4@shop.example.com>');
    const { parsed } = (await sink.waitFor(1))[0]!;
    expect(parsed.messageId).toBe('<ns.1.k3j4@shop.example.com>');
    expect(parsed.subject).toBe('Spring sale 1');
    expect(parsed.from?.value).toEqual([{ address: 'news@shop.example.com', name: 'Shop News' }]);
    expect(parsed.replyTo?.text).toBe('help@shop.example.com');
    expect(parsed.html).toContain('<b>20%</b>');
    expect(parsed.text?.trim()).toBe('Everything 20% off, reader 1.');
    const header = (name: string) =>
      parsed.headerLines.find((line) => line.key === name)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(
      'List-Unsubscribe: <https://shop.example.com/u/1>, <mailto:unsubscribe@shop.example.com?subject=1>',
    );
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('keeps to the rate asked: 20 messages at 10 a second take a second or more', async () => {
    const transport = transportTo(sink, { ratePerSecond: 10 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, n) => transport.send(email(n))));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(sink.received).toHaveLength(20);
  });

  it('answers only once the server acknowledged the message', async () => {
    const held = sink.holdData();
    let settled = false;
    const sending = transportTo(sink)
      .send(email(1))
      .finally(() => {
        settled = true;
      });
    const arrived = await held.arrived;
    expect(arrived.parsed.messageId).toBe('<ns.1.k3j4@shop.example.com>');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    held.release();
    await expect(sending).resolves.toMatchObject({ messageId: '<ns.1.k3j4@shop.example.com>' });
  });

  it('no acknowledgement in time: unavailable, though the server may have the message', async () => {
    const held = sink.holdData();
    const failure = await failureOf(transportTo(sink, { timeoutMs: 300 }).send(email(1)));
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'ETIMEDOUT' });
    expect((await held.arrived).parsed.messageId).toBe('<ns.1.k3j4@shop.example.com>');
    held.release();
    await expect(transportTo(sink).send(email(2))).resolves.toMatchObject({ accepted: ['reader2@example.net'] });
  });
});

/** The DKIM-Signature's tags, its value unfolded. */
function dkimTags(raw: string): Record<string, string> {
  const value = raw.match(/^DKIM-Signature:(.*(?:\r\n[ \t].*)*)/im)![1]!.replace(/\s+/g, '');
  return Object.fromEntries(
    value
      .split(';')
      .filter(Boolean)
      .map((tag) => tag.split(/=(.*)/s).slice(0, 2)),
  );
}

/**
 * Checks the signature as a receiver would, with relaxed/relaxed canonicalization (RFC 6376 3.4.2,
 * 3.4.4): the body hash, then the signed headers (each name's last instance) and the
 * DKIM-Signature itself with `b=` emptied, against the public key.
 */
function dkimVerifies(raw: string, publicKey: KeyObject): boolean {
  const split = raw.indexOf('\r\n\r\n');
  const tags = dkimTags(raw);
  const body = `${raw
    .slice(split + 4)
    .split('\r\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n')
    .replace(/(\r\n)*$/, '')}\r\n`;
  if (createHash('sha256').update(body).digest('base64') !== tags.bh) return false;
  const fields = raw.slice(0, split).split(/\r\n(?![ \t])/);
  const relaxed = (field: string) => {
    const colon = field.indexOf(':');
    const value = field
      .slice(colon + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim();
    return `${field.slice(0, colon).trim().toLowerCase()}:${value}`;
  };
  const signed = tags.h!.split(':').map((name) => {
    const field = fields.findLast((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return relaxed(field!);
  });
  const signature = fields.find((line) => /^dkim-signature:/i.test(line))!;
  const unsigned = relaxed(signature).replace(/(^|;)(\s*b=)[^;]*/, '$1$2');
  const data = [...signed, unsigned].join('\r\n');
  return verify('sha256', Buffer.from(data), publicKey, Buffer.from(tags.b!, 'base64'));
}

describe('DKIM', () => {
  it('signs with the domain and selector, covering List-Unsubscribe, verifiable with the public key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const transport = transportTo(sink, { dkim: { domain: 'shop.example.com', selector: 'ns2026', privateKey: pem } });
    await transport.send(email(1));
    const { raw } = (await sink.waitFor(1))[0]!;
    const tags = dkimTags(raw.toString('latin1'));
    expect(tags).toMatchObject({ v: '1', a: 'rsa-sha256', c: 'relaxed/relaxed', d: 'shop.example.com', s: 'ns2026' });
    expect(tags.bh).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(tags.h!.toLowerCase().split(':')).toEqual(
      expect.arrayContaining(['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']),
    );
    expect(dkimVerifies(raw.toString('latin1'), createPublicKey(privateKey))).toBe(true);
    const tampered = raw.toString('latin1').replace('Subject: Spring sale 1', 'Subject: Spring sale 2');
    expect(dkimVerifies(tampered, createPublicKey(privateKey))).toBe(false);
  });
});

describe('the server refusing', () => {
  it('a mailbox with 5xx at RCPT TO: recipient-refused, and the pool goes on with the next message', async () => {
    sink.refuseRecipient('gone@example.net');
    const transport = transportTo(sink, { maxConnections: 1 });
    const failure = await failureOf(transport.send(email(1, 'gone@example.net')));
    expect(failure).toMatchObject({ kind: 'recipient-refused', status: 550, code: 'EENVELOPE' });
    expect(failure.message).toContain('5.1.1 <gone@example.net>: Recipient address rejected');
    await expect(transport.send(email(2))).resolves.toMatchObject({ accepted: ['reader2@example.net'] });
    expect(sink.connections).toBe(1);
  });

  it('a recipient for policy (5.7.x) at RCPT TO: rejected, not the address refused', async () => {
    sink.refuseRecipient('reader1@example.net', 554, '5.7.1 <reader1@example.net>: Relay access denied');
    const failure = await failureOf(transportTo(sink).send(email(1)));
    expect(failure).toMatchObject({ kind: 'rejected', status: 554 });
  });

  it('a recipient for now (450 greylisting): unavailable', async () => {
    sink.refuseRecipient('reader1@example.net', 450);
    expect(await failureOf(transportTo(sink).send(email(1)))).toMatchObject({ kind: 'unavailable', status: 450 });
  });

  it.each([
    [421, '4.7.0 Try again later, closing connection', 'rate-limited'],
    [454, 'Throttling failure: Maximum sending rate exceeded.', 'rate-limited'],
    [451, '4.3.0 Error: queue file write error', 'unavailable'],
    [452, '4.3.1 Insufficient system storage', 'unavailable'],
    [554, '5.7.1 Message rejected as spam', 'rejected'],
    [552, '5.3.4 Message size exceeds fixed limit', 'rejected'],
  ])('the message with %i after DATA: %s', async (code, message, kind) => {
    sink.failNext({ code, message });
    const failure = await failureOf(transportTo(sink).send(email(1)));
    expect(failure).toMatchObject({ kind, status: code });
    expect(failure.message).toContain(message);
    expect(sink.received).toHaveLength(0);
  });
});

describe('logging in', () => {
  let authSink: SmtpSink;
  beforeAll(async () => {
    authSink = await startSmtpSink({ auth: { username: 'shop', password: PASSWORD } });
  });
  afterAll(() => authSink.close());
  afterEach(() => authSink.reset());

  it('sends with the right credentials, and verify() passes', async () => {
    const transport = transportTo(authSink, { username: 'shop', password: PASSWORD, startTls: 'off' });
    await expect(transport.verify()).resolves.toBeUndefined();
    await expect(transport.send(email(1))).resolves.toMatchObject({ accepted: ['reader1@example.net'] });
  });

  it('refused credentials: needs-reconnect (535), for a send and for verify(), the password in no error', async () => {
    const transport = transportTo(authSink, { username: 'shop', password: `${PASSWORD}x`, startTls: 'off' });
    const failure = await failureOf(transport.send(email(1)));
    expect(failure).toMatchObject({ kind: 'needs-reconnect', status: 535, code: 'EAUTH' });
    expect(failure.message).toContain('authentication failed');
    expect(await failureOf(transport.verify())).toMatchObject({ kind: 'needs-reconnect', status: 535 });
  });

  it('no credentials where the server requires them: needs-reconnect', async () => {
    const failure = await failureOf(transportTo(authSink).send(email(1)));
    expect(failure.kind).toBe('needs-reconnect');
  });

  it('never sends a password in clear unless told: no STARTTLS offered is needs-reconnect', async () => {
    const failure = await failureOf(transportTo(authSink, { username: 'shop', password: PASSWORD }).send(email(1)));
    expect(failure).toMatchObject({ kind: 'needs-reconnect', code: 'ETLS' });
    expect(authSink.received).toHaveLength(0);
  });
});

describe('TLS', () => {
  let tlsSinks: SmtpSink[];
  beforeAll(async () => {
    tlsSinks = [await startSmtpSink({ startTls: true }), await startSmtpSink({ implicitTls: true })];
  });
  afterAll(() => Promise.all(tlsSinks.map((tlsSink) => tlsSink.close())));

  it('STARTTLS required: sends when the self-signed certificate is accepted explicitly', async () => {
    const transport = transportTo(tlsSinks[0]!, { startTls: 'required', tls: { rejectUnauthorized: false } });
    await expect(transport.send(email(1))).resolves.toMatchObject({ accepted: ['reader1@example.net'] });
  });

  it('an untrusted certificate, by STARTTLS or implicit TLS: needs-reconnect', async () => {
    const starttls = await failureOf(transportTo(tlsSinks[0]!, { startTls: 'required' }).send(email(1)));
    expect(starttls.kind).toBe('needs-reconnect');
    expect(starttls.message).toMatch(/certificate/);
    const implicit = await failureOf(transportTo(tlsSinks[1]!, { secure: true }).send(email(1)));
    expect(implicit.kind).toBe('needs-reconnect');
    expect(implicit.message).toMatch(/certificate/);
  });
});

describe('an unreachable server', () => {
  let silent: Server;
  beforeAll(async () => {
    // Accepts connections and never greets.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('refusing connections: unavailable at once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = performance.now();
    const failure = await failureOf(transportTo({ host: '127.0.0.1', port }).send(email(1)));
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'ESOCKET' });
    expect(failure.message).toContain('the connection failed (connect ECONNREFUSED');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('never greeting: unavailable once the timeout is up', async () => {
    const { port } = silent.address() as { port: number };
    const started = performance.now();
    const failure = await failureOf(transportTo({ host: '127.0.0.1', port }, { timeoutMs: 300 }).send(email(1)));
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'ETIMEDOUT' });
    expect(failure.message).toContain('did not answer within 300 ms');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('messageIdDomain', () => {
  it('is the from address’s domain, in ASCII', () => {
    expect(messageIdDomain('news@Shop.Example.com')).toBe('shop.example.com');
    expect(messageIdDomain('Shop News <news@shop.example.com>')).toBe('shop.example.com');
    expect(messageIdDomain('info@bücher.example')).toBe('xn--bcher-kva.example');
    expect(() => messageIdDomain('news')).toThrow(/no valid domain/);
    expect(() => messageIdDomain('news@')).toThrow(/no valid domain/);
  });
});
