// The delivery worker end to end against a real SMTP server (a local sink): a campaign launched by
// the runner goes out step after step with its delays, on a clock the test controls; each
// (campaign, contact, step) is sent once whatever is run again; the copy is merged and escaped;
// the campaign completes when every recipient is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  campaignStatus,
  deliver,
  emailStats,
  launchedCampaign,
  messagesOf,
  recipientStates,
  senderTenant,
} from './support/delivery-world.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { useTestDb } from './support/test-db.ts';

const HOUR = 3_600_000;

describe('sequences through a real SMTP server', () => {
  const testDb = useTestDb();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('sends each step once, in order, after its delay, then completes the campaign', async () => {
    sink.reset();
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const w = await launchedCampaign(db, t, {
      contacts: [
        { email: 'ada@example.com', first_name: 'Ada' },
        { email: 'bob@example.com', first_name: '<b>Bob</b>' },
        { email: 'cy@example.com' },
      ],
      steps: [
        {
          channel: 'email',
          variants: [
            {
              label: 'A',
              subject: 'Hi {{ first_name | default: "there" }}',
              body: 'Hello {{first_name}}, see https://example.com/offer',
            },
          ],
        },
        { channel: 'email', delayHours: 48, variants: [{ label: 'A', subject: 'Following up', body: 'Still keen?' }] },
      ],
    });
    const start = new Date();
    const first = await deliver(db, t, { now: () => start });
    expect(first.sent).toBe(3);
    const received = await sink.waitFor(3);
    expect(received.map((m) => m.parsed.subject).sort()).toEqual(['Hi <b>Bob</b>', 'Hi Ada', 'Hi there']);
    const bob = received.find((m) => m.envelope.to[0] === 'bob@example.com')!;
    // The merge value is escaped in the HTML part: no markup of a contact's reaches the inbox.
    expect(bob.parsed.html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(bob.parsed.html).not.toContain('<b>Bob</b>');
    expect(bob.parsed.text).toContain('Hello <b>Bob</b>');
    const header = (name: string) =>
      bob.parsed.headerLines.find((line) => line.key === name)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:9\/u\/[\w-]+>$/);
    expect(bob.parsed.messageId).toMatch(new RegExp(`^<ns\\.${t.tenantId}\\.`));

    // Run again at once, and 47 hours later: the second step is not due yet; nothing goes twice.
    expect((await deliver(db, t, { now: () => start })).sent).toBe(0);
    expect((await deliver(db, t, { now: () => new Date(start.getTime() + 47 * HOUR) })).sent).toBe(0);
    expect(sink.received).toHaveLength(3);
    expect(await campaignStatus(db, w)).toBe('sending');

    const later = await deliver(db, t, { now: () => new Date(start.getTime() + 49 * HOUR) });
    expect(later.sent).toBe(3);
    expect(later.completed_campaigns).toEqual([w.campaignId]);
    await sink.waitFor(6);
    expect(sink.received.slice(3).every((m) => m.parsed.subject === 'Following up')).toBe(true);
    expect(await campaignStatus(db, w)).toBe('completed');
    expect((await messagesOf(db, w)).map((m) => [m.step_index, m.status])).toEqual([
      [0, 'sent'],
      [0, 'sent'],
      [0, 'sent'],
      [1, 'sent'],
      [1, 'sent'],
      [1, 'sent'],
    ]);
    expect(
      (await recipientStates(db, w)).every((r) => r.sequence_state === 'ended' && r.ended_reason === 'completed'),
    ).toBe(true);
    expect((await emailStats(db, w)).sends).toBe(6);
  });

  it('goes claim after claim, the next taken while one is sent, each message once', async () => {
    sink.reset();
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const contacts = Array.from({ length: 23 }, (_, i) => ({ email: `c${i}@example.com`, first_name: `C${i}` }));
    const w = await launchedCampaign(db, t, {
      contacts,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi {{ first_name }}', body: 'Hello' }] }],
    });
    const report = await deliver(db, t, { batchSize: 4 });
    expect(report).toMatchObject({ sent: 23, deferred: 0, claims: 6, completed_campaigns: [w.campaignId] });
    const received = await sink.waitFor(23);
    expect(new Set(received.map((m) => m.envelope.to[0])).size).toBe(23);
    expect((await messagesOf(db, w)).every((m) => m.status === 'sent')).toBe(true);
    expect((await emailStats(db, w)).sends).toBe(23);
  });

  it('hands a server that refuses everything one claim, not a second', async () => {
    const db = testDb();
    // A port nothing listens on: every connection is refused, every message deferred.
    const closed = { host: '127.0.0.1', port: 9 } as SmtpSink;
    const t = await senderTenant(db, { smtp: closed });
    const contacts = Array.from({ length: 10 }, (_, i) => ({ email: `d${i}@example.com` }));
    const w = await launchedCampaign(db, t, {
      contacts,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi', body: 'Hello' }] }],
    });
    const report = await deliver(db, t, { batchSize: 4 });
    expect(report).toMatchObject({ sent: 0, deferred: 4, claims: 1 });
    const states = await recipientStates(db, w);
    expect(states.filter((r) => r.sequence_state === 'waiting')).toHaveLength(6);
    expect(states.filter((r) => r.sequence_state === 'sending')).toHaveLength(4);
  });

  it('passes over a step a contact has no address for, and a killed variant gets no traffic', async () => {
    sink.reset();
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const contacts = Array.from({ length: 40 }, (_, i) => ({ email: `p${i}@example.com`, first_name: `P${i}` }));
    const w = await launchedCampaign(db, t, {
      contacts: [...contacts, { phone: '+15550000001' }],
      steps: [
        {
          channel: 'email',
          variants: [
            { label: 'A', subject: 'A', body: 'a' },
            { label: 'B', subject: 'B', body: 'b', status: 'killed' },
            { label: 'C', subject: 'C', body: 'c' },
          ],
        },
      ],
    });
    const report = await deliver(db, t);
    expect(report.sent).toBe(40);
    const messages = await messagesOf(db, w);
    expect(messages.some((m) => m.variant_id === w.steps[0]!.variants.B)).toBe(false);
    // Both live variants get traffic: equal evidence (none yet) is an even split, give or take chance.
    const a = messages.filter((m) => m.variant_id === w.steps[0]!.variants.A).length;
    expect(a).toBeGreaterThan(5);
    expect(a).toBeLessThan(35);
    // The contact without an e-mail address: passed over, and done (the only step).
    const states = await recipientStates(db, w);
    expect(states.filter((r) => r.ended_reason === 'completed')).toHaveLength(41);
    expect(await campaignStatus(db, w)).toBe('completed');
  });

  it('completes a campaign launched with an empty audience, and leaves one without message steps alone', async () => {
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const empty = await launchedCampaign(db, t, {
      contacts: [],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'S', body: 'B' }] }],
    });
    const adsOnly = await launchedCampaign(db, t, { contacts: [{ email: 'x@example.com' }], steps: [] });
    const report = await deliver(db, t);
    expect(report.completed_campaigns).toEqual([empty.campaignId]);
    expect(await campaignStatus(db, empty)).toBe('completed');
    expect(await campaignStatus(db, adsOnly)).toBe('sending');
  });
});
