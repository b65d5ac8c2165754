// Twilio's webhooks end to end over real HTTP: SMS steps go out through a local server speaking
// Twilio's wire protocol, which then posts signed status callbacks and inbound messages to the API
// on a loopback port, as Twilio does. A delivery report moves the message and its recipient on; a
// STOP suppresses the number at once and ends the sequence; an ordinary answer is a reply; a
// request whose signature does not match (another token, a changed parameter) records nothing.
// Every answer to Twilio is TwiML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { twilioSignature } from '../src/delivery/twilio-signature.ts';
import {
  channelStats,
  type DeliveryWorld,
  deliver,
  eventCount,
  launchedCampaign,
  messagesOf,
  recipientOf,
  SMS_FROM,
  senderTenant,
  suppressionsOf,
  TWILIO_SID,
  TWILIO_TOKEN,
  variantCounters,
} from './support/delivery-world.ts';
import { startTestApi, type TestApi } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';
import { startTwilioServer, type TwilioServer } from './support/twilio-server.ts';

const HOUR = 3_600_000;
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Tomorrow at 15:00 UTC: outside the quiet hours of contacts in UTC, and after any launch. */
function afternoon(): Date {
  const day = new Date(Date.now() + 24 * HOUR);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 15));
}

describe('Twilio status callbacks and inbound messages over HTTP', () => {
  const testDb = useTestDb();
  let twilio: TwilioServer;
  let api: TestApi;
  beforeAll(async () => {
    twilio = await startTwilioServer({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
    api = await startTestApi(testDb(), { twilioBaseUrl: twilio.baseUrl });
  });
  afterAll(async () => {
    await api.close();
    await twilio.close();
  });

  /** Contacts (in UTC) texted the first of two SMS steps (the second an hour later). */
  async function texted(db: Database, phones: string[]) {
    twilio.reset();
    const t = await senderTenant(db, { twilioBaseUrl: twilio.baseUrl });
    const w = await launchedCampaign(db, t, {
      contacts: phones.map((phone) => ({ phone, timezone: 'UTC' })),
      steps: [
        { channel: 'sms', variants: [{ label: 'A', sms_copy: 'Hi! Worth a look? Reply STOP to opt out.' }] },
        { channel: 'sms', delayHours: 1, variants: [{ label: 'A', sms_copy: 'Following up. Reply STOP to opt out.' }] },
      ],
    });
    const start = afternoon();
    const run = (at: Date) =>
      deliver(db, t, { now: () => at, twilioBaseUrl: twilio.baseUrl, publicUrl: api.url, random: () => 0.5 });
    expect((await run(start)).sent).toBe(phones.length);
    const sidTo = (phone: string) => twilio.messages.find((m) => m.direction === 'outbound-api' && m.to === phone)!.sid;
    return { t, w, start, run, sidTo };
  }

  const messageStatuses = async (db: Database, w: DeliveryWorld) =>
    (await messagesOf(db, w)).map((m) => [m.step_index, m.to_address, m.status]);

  it('takes a delivery report, a STOP and a reply, and sends the next step only to who is left', async () => {
    const db = testDb();
    const [ann, ben, cat] = ['+15550001001', '+15550001002', '+15550001003'];
    const { t, w, start, run, sidTo } = await texted(db, [ann!, ben!, cat!]);
    // Each message asks Twilio to report to the tenant's status hook at the API.
    const creates = twilio.requests.filter((r) => r.method === 'POST');
    expect(creates.map((r) => r.form.StatusCallback)).toEqual(
      creates.map(() => expect.stringMatching(new RegExp(`^${api.url}/hooks/twilio/status/${t.tenantId}\\b`))),
    );

    const delivered = await twilio.deliverStatus(sidTo(ann!), 'delivered');
    expect(delivered).toEqual({ status: 200, contentType: 'text/xml', body: TWIML });

    const inbound = `${api.url}/hooks/twilio/inbound/${t.tenantId}`;
    const stop = await twilio.sendInbound(inbound, { From: ben!, To: SMS_FROM, Body: ' Stop ' });
    expect(stop).toEqual({ status: 200, contentType: 'text/xml', body: TWIML });
    // A STOP takes effect as it arrives: the number is suppressed, the sequence ended.
    expect(await suppressionsOf(db, t.tenantId)).toEqual([{ channel: 'sms', address: ben, reason: 'sms_stop' }]);
    expect(await recipientOf(db, w, 1)).toMatchObject({ sequence_state: 'ended', ended_reason: 'stopped' });

    const reply = await twilio.sendInbound(inbound, { From: cat!, To: SMS_FROM, Body: 'Yes, call me tomorrow' });
    expect(reply.status).toBe(200);

    await foldMessageEvents(db, t.tenantId);
    expect(await messageStatuses(db, w)).toEqual([
      [0, ann, 'delivered'],
      [0, ben, 'sent'],
      [0, cat, 'sent'],
    ]);
    expect(await recipientOf(db, w, 0)).toMatchObject({ status: 'delivered', sequence_state: 'waiting' });
    expect((await recipientOf(db, w, 1)).status).toBe('unsubscribed');
    expect(await recipientOf(db, w, 2)).toMatchObject({
      status: 'replied',
      sequence_state: 'ended',
      ended_reason: 'replied',
    });
    expect(await channelStats(db, w, 'sms')).toEqual({ sends: 3, opens: 0, clicks: 0, replies: 1, bounces: 0 });

    twilio.requests.length = 0;
    expect((await run(new Date(start.getTime() + 2 * HOUR))).sent).toBe(1);
    expect(twilio.requests.filter((r) => r.method === 'POST').map((r) => [r.form.To, r.form.Body])).toEqual([
      [ann, 'Following up. Reply STOP to opt out.'],
    ]);
  });

  it('refuses a callback whose signature does not match, and records nothing', async () => {
    const db = testDb();
    const [dan] = ['+15550001004'];
    const { t, w, sidTo } = await texted(db, [dan!]);
    const url = `${api.url}/hooks/twilio/status/${t.tenantId}`;
    const params = {
      AccountSid: TWILIO_SID,
      ApiVersion: '2010-04-01',
      From: SMS_FROM,
      MessageSid: sidTo(dan!),
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      To: dan!,
    };
    const post = (target: string, body: Record<string, string>, signature?: string) =>
      fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
        },
        body: new URLSearchParams(body).toString(),
      });

    const refusals: [string, Response][] = [
      ['no signature', await post(url, params)],
      ['signed with another auth token', await post(url, params, twilioSignature('another-token', url, params))],
      [
        'a parameter changed after signing',
        await post(url, { ...params, MessageStatus: 'failed' }, twilioSignature(TWILIO_TOKEN, url, params)),
      ],
      [
        'signed for another address',
        await post(url, params, twilioSignature(TWILIO_TOKEN, `${url}?tenant=other`, params)),
      ],
      [
        'a STOP signed with another auth token',
        await post(
          `${api.url}/hooks/twilio/inbound/${t.tenantId}`,
          { From: dan!, To: SMS_FROM, Body: 'STOP' },
          twilioSignature('another-token', `${api.url}/hooks/twilio/inbound/${t.tenantId}`, {
            From: dan!,
            To: SMS_FROM,
            Body: 'STOP',
          }),
        ),
      ],
    ];
    for (const [label, response] of refusals) expect(response.status, label).toBe(401);

    // Signed rightly, the same callback counts: the refusals were about the signature alone.
    expect((await post(url, params, twilioSignature(TWILIO_TOKEN, url, params))).status).toBe(200);
    expect(await eventCount(db, t.tenantId)).toBe(1);
    expect(await suppressionsOf(db, t.tenantId)).toEqual([{ channel: 'sms', address: dan, reason: 'hard_bounce' }]);
    expect(await recipientOf(db, w, 0)).toMatchObject({ status: 'bounced', ended_reason: 'bounced' });
    // Folded, Twilio's 'undelivered' is the message's bounce in the stats.
    await foldMessageEvents(db, t.tenantId);
    expect(await channelStats(db, w, 'sms')).toMatchObject({ sends: 1, bounces: 1 });
  });

  it('keeps a delivery report and a reply that arrive before the worker has written the send down', async () => {
    const db = testDb();
    twilio.reset();
    const t = await senderTenant(db, { twilioBaseUrl: twilio.baseUrl });
    const w = await launchedCampaign(db, t, {
      contacts: [{ phone: '+15550001005', timezone: 'UTC' }],
      steps: [
        { channel: 'sms', variants: [{ label: 'A', sms_copy: 'Hello there' }] },
        { channel: 'sms', delayHours: 1, variants: [{ label: 'A', sms_copy: 'Hello again' }] },
      ],
    });
    // Twilio has made the message, but its answer (the SID) has not reached the worker yet.
    const held = twilio.holdNext();
    const at = afternoon();
    const running = deliver(db, t, { now: () => at, twilioBaseUrl: twilio.baseUrl, publicUrl: api.url });
    try {
      const message = await held.arrived;
      expect((await twilio.deliverStatus(message.sid, 'delivered')).status).toBe(200);
      const inbound = `${api.url}/hooks/twilio/inbound/${t.tenantId}`;
      expect((await twilio.sendInbound(inbound, { From: message.to, To: SMS_FROM, Body: 'Who is this?' })).status).toBe(
        200,
      );
      expect(await eventCount(db, t.tenantId)).toBe(2);
      // Folded now, they would be undone by the send's record: they wait for it.
      expect((await foldMessageEvents(db, t.tenantId)).events).toBe(0);
    } finally {
      held.release();
    }
    expect((await running).sent).toBe(1);
    expect((await foldMessageEvents(db, t.tenantId)).events).toBe(2);
    expect(await messageStatuses(db, w)).toEqual([[0, '+15550001005', 'delivered']]);
    expect(await recipientOf(db, w, 0)).toMatchObject({
      status: 'replied',
      sequence_state: 'ended',
      ended_reason: 'replied',
    });
    expect(await variantCounters(db, w, w.steps[0]!.variants.A!)).toMatchObject({ sends: 1, replies: 1 });
  });
});
