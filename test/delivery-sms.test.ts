// SMS through a local server that speaks Twilio's wire protocol: quiet hours in the contact's own
// time zone, a number that replied STOP refused and suppressed, and no SMS sent twice when an
// answer was lost (a timeout, a dead worker): Twilio is asked first, by number and body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliver,
  launchedCampaign,
  messagesOf,
  recipientStates,
  SMS_FROM,
  senderTenant,
  TWILIO_SID,
  TWILIO_TOKEN,
} from './support/delivery-world.ts';
import { useTestDb } from './support/test-db.ts';
import { startTwilioServer, type TwilioServer } from './support/twilio-server.ts';

/** An Etc/GMT zone whose local hour is 11 to 13 at `at` (Etc/GMT-3 is UTC+3). */
function zoneAtNoon(at: Date): string {
  let offset = (12 - at.getUTCHours() + 24) % 24;
  if (offset > 12) offset -= 24;
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const smsStep = (copy: string) => [{ channel: 'sms' as const, variants: [{ label: 'A', sms_copy: copy }] }];

describe('SMS through a local Twilio', () => {
  const testDb = useTestDb();
  let twilio: TwilioServer;
  beforeAll(async () => {
    twilio = await startTwilioServer({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
  });
  afterAll(() => twilio.close());
  const outbound = () => twilio.messages.filter((m) => m.direction === 'outbound-api');

  it('waits for the morning in the contact’s zone, then sends with a status callback', async () => {
    twilio.reset();
    const db = testDb();
    const t = await senderTenant(db, { twilioBaseUrl: twilio.baseUrl, timezone: 'Europe/Berlin' });
    const w = await launchedCampaign(db, t, {
      contacts: [
        { phone: '+12125550100', first_name: 'Nia', timezone: 'America/New_York' },
        // No zone of its own: the tenant's (Berlin), where it is mid-morning.
        { phone: '+12125550101', first_name: 'Oz' },
      ],
      steps: smsStep('Hi {{first_name}}, our offer ends Friday. Reply STOP to opt out.'),
    });
    // 08:00 UTC: 03:00 in New York (quiet), 09:00 in Berlin.
    const night = new Date('2026-12-08T08:00:00Z');
    const run = { now: () => night, twilioBaseUrl: twilio.baseUrl };
    expect((await deliver(db, t, run)).sent).toBe(1);
    expect(outbound().map((m) => [m.to, m.body])).toEqual([
      ['+12125550101', 'Hi Oz, our offer ends Friday. Reply STOP to opt out.'],
    ]);
    const create = twilio.requests.find((r) => r.method === 'POST');
    expect(create?.form.From).toBe(SMS_FROM);
    // Twilio's report names our message: it finds it even before the worker has the SID.
    const [sent] = await messagesOf(db, w);
    expect(create?.form.StatusCallback).toBe(
      `http://127.0.0.1:9/hooks/twilio/status/${t.tenantId}?message=${sent?.id}`,
    );
    // Still night in New York an hour later; at 08:00 there (13:00 UTC) it goes.
    expect((await deliver(db, t, { ...run, now: () => new Date('2026-12-08T09:00:00Z') })).sent).toBe(0);
    expect((await deliver(db, t, { ...run, now: () => new Date('2026-12-08T13:00:00Z') })).sent).toBe(1);
    expect(outbound().map((m) => m.to)).toEqual(['+12125550101', '+12125550100']);
    expect((await messagesOf(db, w)).every((m) => m.status === 'sent')).toBe(true);
  });

  it('sends to a phone as typed in E.164 form, and passes over one without a country code', async () => {
    twilio.reset();
    const db = testDb();
    const t = await senderTenant(db, { twilioBaseUrl: twilio.baseUrl });
    const w = await launchedCampaign(db, t, {
      contacts: [
        { phone: '+1 (212) 555-0177', timezone: zoneAtNoon(new Date()) },
        { phone: '212 555 0178', timezone: zoneAtNoon(new Date()) },
      ],
      steps: smsStep('Hello'),
    });
    expect((await deliver(db, t, { twilioBaseUrl: twilio.baseUrl })).sent).toBe(1);
    expect(outbound().map((m) => m.to)).toEqual(['+12125550177']);
    expect((await messagesOf(db, w)).map((m) => m.to_address)).toEqual(['+12125550177']);
    expect((await recipientStates(db, w)).every((r) => r.ended_reason === 'completed')).toBe(true);
  });

  it('a number Twilio refuses as opted out (21610) is suppressed for SMS', async () => {
    twilio.reset();
    twilio.refuseNumber('+12125550199', 21610);
    const db = testDb();
    const t = await senderTenant(db, { twilioBaseUrl: twilio.baseUrl });
    const w = await launchedCampaign(db, t, { contacts: [{ phone: '+12125550199' }], steps: smsStep('Hello') });
    expect(
      await deliver(db, t, { twilioBaseUrl: twilio.baseUrl, now: () => new Date('2026-12-08T14:00:00Z') }),
    ).toMatchObject({
      bounced: 1,
    });
    const [row] = await db.session((s) =>
      s.query<{ reason: string }>("SELECT reason FROM suppressions WHERE tenant_id = $1 AND channel = 'sms'", [
        t.tenantId,
      ]),
    );
    expect(row?.reason).toBe('sms_stop');
    expect((await recipientStates(db, w))[0]).toMatchObject({ sequence_state: 'ended', ended_reason: 'bounced' });
  });

  it('an answer lost to a timeout: the retry finds the message on Twilio and sends nothing', async () => {
    twilio.reset();
    const db = testDb();
    const t = await senderTenant(db, { twilioBaseUrl: twilio.baseUrl });
    // Real time (Twilio stamps messages by it), in a zone where it is now about noon: no quiet hours.
    const w = await launchedCampaign(db, t, {
      contacts: [{ phone: '+12125550123', timezone: zoneAtNoon(new Date()) }],
      steps: smsStep('Only once'),
    });
    const held = twilio.holdNext();
    const noon = new Date();
    // Twilio makes the message, but its answer never reaches the worker in time.
    const first = await deliver(db, t, { twilioBaseUrl: twilio.baseUrl, now: () => noon, timeoutMs: 500 });
    expect(first).toMatchObject({ sent: 0, deferred: 1 });
    await held.arrived;
    held.release();
    const later = await deliver(db, t, {
      twilioBaseUrl: twilio.baseUrl,
      now: () => new Date(noon.getTime() + 3_600_000),
    });
    expect(later.sent).toBe(1);
    expect(outbound()).toHaveLength(1);
    const [message] = await messagesOf(db, w);
    expect(message?.status).toBe('sent');
  });
});
