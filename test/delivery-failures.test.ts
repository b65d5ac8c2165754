// What the delivery worker does when a message does not simply go: a mailbox the server refuses
// for good bounces and is suppressed (and no campaign mails it again); a transient refusal is
// retried after its backoff; refused credentials stop the channel and flag the sender.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
const oneStep = (subject: string) => [{ channel: 'email' as const, variants: [{ label: 'A', subject, body: 'Hi' }] }];

describe('delivery failures through a real SMTP server', () => {
  const testDb = useTestDb();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('a refused mailbox bounces, is suppressed, and no later campaign mails it', async () => {
    sink.reset();
    sink.refuseRecipient('gone@example.com', 550);
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const contacts = [{ email: 'gone@example.com' }, { email: 'here@example.com' }];
    const first = await launchedCampaign(db, t, { contacts, steps: oneStep('First') });
    const report = await deliver(db, t);
    expect(report).toMatchObject({ sent: 1, bounced: 1 });
    const gone = first.contactIds[0]!;
    expect((await recipientStates(db, first)).find((r) => r.contact_id === gone)).toMatchObject({
      status: 'bounced',
      sequence_state: 'ended',
      ended_reason: 'bounced',
    });
    const [suppression] = await db.session((s) =>
      s.query<{ reason: string }>('SELECT reason FROM suppressions WHERE tenant_id = $1 AND address = $2', [
        t.tenantId,
        'gone@example.com',
      ]),
    );
    expect(suppression?.reason).toBe('hard_bounce');
    // The stats count the one that went out, and the bounce.
    expect(await emailStats(db, first)).toMatchObject({ sends: 1, bounces: 1 });

    // A second campaign to the same contacts: the suppressed address is passed over at the claim.
    const rcpts = sink.received.length;
    const second = await launchedCampaign(db, t, { contacts: [], steps: oneStep('Second') });
    await db.session((s) =>
      s.query(
        'INSERT INTO campaign_recipients (tenant_id, campaign_id, contact_id) SELECT $1, $2, unnest($3::uuid[])',
        [t.tenantId, second.campaignId, first.contactIds],
      ),
    );
    expect((await deliver(db, t)).sent).toBe(1);
    await sink.waitFor(rcpts + 1);
    expect(sink.received.slice(rcpts).map((m) => m.envelope.to[0])).toEqual(['here@example.com']);
    expect((await messagesOf(db, second)).map((m) => m.to_address)).toEqual(['here@example.com']);
  });

  it('a transient refusal is retried after its backoff and then goes, once', async () => {
    sink.reset();
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const w = await launchedCampaign(db, t, { contacts: [{ email: 'later@example.com' }], steps: oneStep('Retry me') });
    sink.failNext({ code: 451, message: '4.3.0 Temporary server error, try again' });
    const start = new Date();
    expect(await deliver(db, t, { now: () => start })).toMatchObject({ sent: 0, deferred: 1 });
    const [deferred] = await db.session((s) =>
      s.query<{ status: string; retry_at: Date; attempts: number }>(
        'SELECT status, retry_at, attempts FROM campaign_messages WHERE tenant_id = $1',
        [t.tenantId],
      ),
    );
    expect(deferred).toMatchObject({ status: 'deferred', attempts: 1 });
    // Not before its retry time (a minute, with jitter: 30 to 60 s)…
    expect(deferred!.retry_at.getTime() - start.getTime()).toBeGreaterThanOrEqual(30_000);
    expect((await deliver(db, t, { now: () => new Date(start.getTime() + 20_000) })).sent).toBe(0);
    // …and then it goes.
    expect((await deliver(db, t, { now: () => new Date(start.getTime() + HOUR) })).sent).toBe(1);
    await sink.waitFor(1);
    expect(sink.received.map((m) => m.envelope.to[0])).toEqual(['later@example.com']);
    expect((await messagesOf(db, w))[0]).toMatchObject({ status: 'sent' });
  });

  it('refused credentials defer the messages and flag the sender until it is saved again', async () => {
    const guarded = await startSmtpSink({ auth: { username: 'right', password: 'right-password' } });
    try {
      const db = testDb();
      const t = await senderTenant(db, { smtp: guarded });
      // The sender as saved has no login: the server refuses to take mail from it.
      await launchedCampaign(db, t, { contacts: [{ email: 'a@example.com' }], steps: oneStep('Hello') });
      expect(await deliver(db, t)).toMatchObject({ sent: 0, deferred: 1 });
      const [sender] = await db.session((s) =>
        s.query<{ status: string; last_error: string }>(
          "SELECT status, last_error FROM message_senders WHERE tenant_id = $1 AND channel = 'email'",
          [t.tenantId],
        ),
      );
      expect(sender?.status).toBe('needs_attention');
      expect(sender?.last_error).toBeTruthy();
      // A sender that needs attention is not used: nothing is claimed, nothing is sent.
      expect(await deliver(db, t)).toMatchObject({ claims: 0, sent: 0 });
      expect(guarded.received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});
