// The Twilio client against a local server that speaks Twilio's Messages API: the exact request
// Twilio receives, every failure sorted into the kind the delivery worker acts on, a lost answer's
// message found again across pages, and the auth token in no error.
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryError } from '../src/delivery/errors.ts';
import { createTwilioClient, type TwilioClient, type TwilioSettings } from '../src/delivery/twilio-client.ts';
import { deliveryFailureOf } from './support/delivery-failure.ts';
import { startTwilioServer, type TwilioServer } from './support/twilio-server.ts';

const TO = '+14155550123';
const FROM = '+14155550100';
const SERVICE = 'MG2c0f4c2b4b7b5c3f1a8e6d9b0c1d2e3f';
const CALLBACK = 'https://nightshift.example.com/webhooks/twilio/status?tenant=t1';

let server: TwilioServer;
let client: TwilioClient;
const clientWith = (settings: Partial<TwilioSettings> = {}) =>
  createTwilioClient({
    baseUrl: server.baseUrl,
    accountSid: server.accountSid,
    authToken: server.authToken,
    timeoutMs: 2_000,
    ...settings,
  });

beforeAll(async () => {
  server = await startTwilioServer({ maxPageSize: 2 });
  client = clientWith();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** The call's failure, checked to be a DeliveryError of SMS with the auth token nowhere in it. */
async function failureOf(call: Promise<unknown>, token = server.authToken): Promise<DeliveryError> {
  const failure = await deliveryFailureOf(call, 'sms', token);
  expect(failure.message.startsWith('Twilio: ')).toBe(true);
  return failure;
}

describe('sending', () => {
  it('posts the form Twilio expects, with Basic auth, and answers the message made', async () => {
    const sent = await client.sendMessage({
      to: TO,
      from: FROM,
      body: 'Spring sale: 20% off',
      statusCallback: CALLBACK,
    });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(Math.abs(sent.dateCreated.getTime() - Date.now())).toBeLessThan(5_000);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${server.accountSid}/Messages.json` });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const basic = Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64');
    expect(request!.headers.authorization).toBe(`Basic ${basic}`);
    expect(request!.form).toEqual({ To: TO, From: FROM, Body: 'Spring sale: 20% off', StatusCallback: CALLBACK });
    expect(server.messages).toMatchObject([
      { sid: sent.sid, to: TO, from: FROM, direction: 'outbound-api', num_segments: '1', date_sent: null },
    ]);
  });

  it('through a Messaging Service: MessagingServiceSid instead of From', async () => {
    const sent = await client.sendMessage({ to: TO, messagingServiceSid: SERVICE, body: 'Hi' });
    expect(sent.status).toBe('accepted');
    expect(server.requests[0]!.form).toEqual({ To: TO, MessagingServiceSid: SERVICE, Body: 'Hi' });
  });
});

describe('failures', () => {
  it('a refused auth token: needs-reconnect (401, 20003), the token in no error', async () => {
    const wrong = `${server.authToken}0`;
    const failure = await failureOf(
      clientWith({ authToken: wrong }).sendMessage({ to: TO, from: FROM, body: 'x' }),
      wrong,
    );
    expect(failure).toMatchObject({ kind: 'needs-reconnect', status: 401, code: 20003 });
    expect(failure.message).toContain('Authenticate');
  });

  it('too many requests: rate-limited, with how long Twilio said to wait', async () => {
    server.failNext(429, undefined, { 'retry-after': '7' });
    const failure = await failureOf(client.sendMessage({ to: TO, from: FROM, body: 'x' }));
    expect(failure).toMatchObject({ kind: 'rate-limited', status: 429, code: 20429, retryAfterMs: 7_000 });
  });

  it.each([500, 502, 503])('HTTP %i: unavailable', async (status) => {
    server.failNext(status);
    expect(await failureOf(client.sendMessage({ to: TO, from: FROM, body: 'x' }))).toMatchObject({
      kind: 'unavailable',
      status,
    });
  });

  it.each([21211, 21408, 21610, 21612, 21614])('a number refused with %i: recipient-refused', async (code) => {
    server.refuseNumber(TO, code);
    const failure = await failureOf(client.sendMessage({ to: TO, from: FROM, body: 'x' }));
    expect(failure).toMatchObject({ kind: 'recipient-refused', status: 400, code });
    expect(failure.message).toContain(`code ${code}, https://www.twilio.com/docs/errors/${code}`);
  });

  it('a number that is no phone number: recipient-refused (21211)', async () => {
    const failure = await failureOf(client.sendMessage({ to: '555-0123', from: FROM, body: 'x' }));
    expect(failure).toMatchObject({ kind: 'recipient-refused', code: 21211 });
  });

  it('a request Twilio will not take, no sender or no body: rejected', async () => {
    const noSender = await failureOf(client.sendMessage({ to: TO, body: 'x' }));
    expect(noSender).toMatchObject({ kind: 'rejected', status: 400, code: 21603 });
    const noBody = await failureOf(client.sendMessage({ to: TO, from: FROM, body: '' }));
    expect(noBody).toMatchObject({ kind: 'rejected', status: 400, code: 21602 });
  });

  it('an answer quoting the token: the token is scrubbed', async () => {
    server.failNext(400, { code: 21000, message: `bad request with ${server.authToken}`, status: 400 });
    const failure = await failureOf(client.sendMessage({ to: TO, from: FROM, body: 'x' }));
    expect(failure.message).toContain('bad request with [redacted]');
  });

  it('a success that is not a Message: rejected', async () => {
    server.failNext(201, '<html>ok</html>');
    expect(await failureOf(client.sendMessage({ to: TO, from: FROM, body: 'x' }))).toMatchObject({ kind: 'rejected' });
    server.failNext(201, { status: 'queued' });
    const failure = await failureOf(client.sendMessage({ to: TO, from: FROM, body: 'x' }));
    expect(failure.message).toContain('without a message sid');
  });

  it('nothing listening: unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await failureOf(clientWith({ baseUrl: `http://127.0.0.1:${port}` }).verifyCredentials());
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toContain('could not be reached (connect ECONNREFUSED');
  });

  it('no answer in time: unavailable; the message was made, and findMessage finds it instead of a second send', async () => {
    const held = server.holdNext();
    const asked = new Date();
    const started = performance.now();
    const failure = await failureOf(
      clientWith({ timeoutMs: 200 }).sendMessage({ to: TO, from: FROM, body: 'Your code is 4711' }),
    );
    expect(failure).toMatchObject({ kind: 'unavailable', status: undefined });
    expect(failure.message).toBe('Twilio: did not answer within 200 ms');
    expect(performance.now() - started).toBeLessThan(1_500);
    const made = await held.arrived;
    held.release();
    const found = await client.findMessage({ to: TO, from: FROM, sentAfter: asked, body: 'Your code is 4711' });
    expect(found).toMatchObject({ sid: made.sid, status: 'queued' });
  });
});

describe('findMessage', () => {
  /** Messages to TO, oldest first; with maxPageSize 2, newest first in pages of 2. */
  async function send(...bodies: string[]) {
    const sent = [];
    for (const body of bodies) sent.push(await client.sendMessage({ to: TO, from: FROM, body }));
    return sent;
  }

  it('follows next_page_uri to the message with our body, made since we asked', async () => {
    const asked = new Date();
    const [target] = await send('ours', 'two', 'three', 'four', 'five');
    await client.sendMessage({ to: '+14155550999', from: FROM, body: 'ours' });
    server.requests.length = 0;
    const found = await client.findMessage({ to: TO, from: FROM, sentAfter: asked, body: 'ours' });
    expect(found).toMatchObject({ sid: target!.sid, status: 'queued' });
    expect(found!.dateCreated).toBeInstanceOf(Date);
    expect(server.requests.map((request) => request.query)).toEqual([
      { To: TO, From: FROM, PageSize: '1000' },
      expect.objectContaining({ To: TO, From: FROM, PageSize: '2', Page: '1', PageToken: expect.any(String) }),
      expect.objectContaining({ Page: '2' }),
    ]);
  });

  it('finds a message still queued, which a DateSent>= listing would leave out', async () => {
    const asked = new Date();
    await send('queued one');
    const today = asked.toISOString().slice(0, 10);
    const listed = await fetch(
      `${server.baseUrl}/2010-04-01/Accounts/${server.accountSid}/Messages.json?To=${encodeURIComponent(TO)}&DateSent>=${today}`,
      { headers: { authorization: server.requests[0]!.headers.authorization! } },
    );
    expect(((await listed.json()) as { messages: unknown[] }).messages).toEqual([]);
    expect(await client.findMessage({ to: TO, from: FROM, sentAfter: asked, body: 'queued one' })).toBeDefined();
  });

  it('is undefined when no message has our body, or none was made since we asked (less a minute of skew)', async () => {
    await send('one', 'two', 'three');
    expect(await client.findMessage({ to: TO, from: FROM, sentAfter: new Date(), body: 'four' })).toBeUndefined();
    expect(server.requests.filter((request) => request.method === 'GET')).toHaveLength(2);
    const later = new Date(Date.now() + 2 * 60_000);
    expect(await client.findMessage({ to: TO, from: FROM, sentAfter: later, body: 'one' })).toBeUndefined();
    const skewed = new Date(Date.now() + 30_000);
    expect(await client.findMessage({ to: TO, from: FROM, sentAfter: skewed, body: 'one' })).toBeDefined();
  });

  it('without From (a Messaging Service chose it), looks by To alone', async () => {
    const asked = new Date();
    const [sent] = [await client.sendMessage({ to: TO, messagingServiceSid: SERVICE, body: 'via service' })];
    server.requests.length = 0;
    expect(await client.findMessage({ to: TO, sentAfter: asked, body: 'via service' })).toMatchObject({
      sid: sent!.sid,
    });
    expect(server.requests[0]!.query).toEqual({ To: TO, PageSize: '1000' });
  });

  it('never follows a page link out of the account', async () => {
    server.failNext(200, { messages: [], next_page_uri: 'https://elsewhere.example/2010-04-01/Accounts/x.json' });
    const failure = await failureOf(client.findMessage({ to: TO, sentAfter: new Date(), body: 'x' }));
    expect(failure).toMatchObject({ kind: 'rejected' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('verifyCredentials', () => {
  it("answers the account's name and status, and not the auth token Twilio sends with it", async () => {
    const account = await client.verifyCredentials();
    expect(account).toEqual({ friendlyName: 'Nightshift test', status: 'active' });
    expect(server.requests[0]!.path).toBe(`/2010-04-01/Accounts/${server.accountSid}.json`);
  });

  it('refused credentials or an account not active: needs-reconnect', async () => {
    const wrong = 'not-the-token';
    const refused = await failureOf(clientWith({ authToken: wrong }).verifyCredentials(), wrong);
    expect(refused).toMatchObject({ kind: 'needs-reconnect', status: 401 });
    server.failNext(200, { sid: server.accountSid, friendly_name: 'Nightshift test', status: 'suspended' });
    const suspended = await failureOf(client.verifyCredentials());
    expect(suspended).toMatchObject({ kind: 'needs-reconnect' });
    expect(suspended.message).toContain('suspended');
  });
});
