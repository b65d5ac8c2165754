// Events folded into the stats (src/delivery/fold-events.ts): batch after batch, and by two folds
// at once, each message counts one open, one click and one reply at most; folding again adds nothing.
import { describe, expect, it } from 'vitest';
import { appendEvents, type NewMessageEvent } from '../src/db/repositories/delivery-events.ts';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import {
  deliver,
  emailStats,
  launchedCampaign,
  messagesOf,
  recipientStates,
  senderTenant,
} from './support/delivery-world.ts';
import { useTestDb } from './support/test-db.ts';
import { useSmtpSink } from './support/use-smtp-sink.ts';

describe('folding events into the stats', () => {
  const testDb = useTestDb();
  const sink = useSmtpSink();

  it('counts each message once, batch after batch and fold beside fold, and nothing twice', async () => {
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink() });
    const contacts = Array.from({ length: 8 }, (_, i) => ({ email: `f${i}@example.com` }));
    const w = await launchedCampaign(db, t, {
      contacts,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi', body: 'See https://example.com/a' }] }],
    });
    expect((await deliver(db, t)).sent).toBe(8);
    const messages = await messagesOf(db, w);
    const at = (minutes: number) => new Date(Date.now() - 3_600_000 + minutes * 60_000);
    const events: NewMessageEvent[] = messages.flatMap((m, i) => [
      { message_id: m.id, kind: 'opened' as const, occurred_at: at(i) },
      { message_id: m.id, kind: 'opened' as const, occurred_at: at(i + 10) },
      ...(i < 5 ? [{ message_id: m.id, kind: 'clicked' as const, occurred_at: at(i + 20) }] : []),
      ...(i === 0 ? [{ message_id: m.id, kind: 'replied' as const, occurred_at: at(30) }] : []),
      // A bounce reported twice (the DSN, then the mail server's retry), batches apart.
      ...(i === 7
        ? [
            { message_id: m.id, kind: 'bounced' as const, occurred_at: at(31) },
            { message_id: m.id, kind: 'bounced' as const, occurred_at: at(41) },
          ]
        : []),
    ]);
    expect(await db.transaction((s) => appendEvents(s, t.tenantId, events))).toBe(24);

    // Batches of 3, two folds at once: they split the events between them.
    const [a, b] = await Promise.all([
      foldMessageEvents(db, t.tenantId, { batch: 3 }),
      foldMessageEvents(db, t.tenantId, { batch: 3 }),
    ]);
    expect(a.events + b.events).toBe(24);
    expect(await emailStats(db, w)).toEqual({ sends: 8, opens: 8, clicks: 5, replies: 1, bounces: 1 });
    const states = await recipientStates(db, w);
    expect(states.map((r) => r.status).sort()).toEqual([
      'bounced',
      'clicked',
      'clicked',
      'clicked',
      'clicked',
      'opened',
      'opened',
      'replied',
    ]);

    // The same events again (a retried hook): new rows, but the messages already have them.
    await db.transaction((s) => appendEvents(s, t.tenantId, events.slice(0, 5)));
    expect((await foldMessageEvents(db, t.tenantId)).events).toBe(5);
    expect((await foldMessageEvents(db, t.tenantId)).events).toBe(0);
    expect(await emailStats(db, w)).toEqual({ sends: 8, opens: 8, clicks: 5, replies: 1, bounces: 1 });
  });
});
