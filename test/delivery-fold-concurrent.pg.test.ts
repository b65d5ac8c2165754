// Two folds at once, each with an event of the same message (two opens a second apart, folded by
// two workers): the message counts one open. The second fold waits for the first's lock on the
// message and then reads what the first stamped. Postgres only: PGlite has one connection, so its
// folds never overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, foldEvents } from '../src/db/repositories/delivery-events.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { deliver, emailStats, launchedCampaign, messagesOf, senderTenant } from './support/delivery-world.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { useTestDb } from './support/test-db.ts';
import { until } from './support/until.ts';

describe('folds side by side on one message (Postgres)', () => {
  const testDb = useTestDb();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('counts the message’s open once when each fold takes one of its opens', async () => {
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const w = await launchedCampaign(db, t, {
      contacts: [{ email: 'two-opens@example.com' }],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi', body: 'Hello' }] }],
    });
    expect((await deliver(db, t)).sent).toBe(1);
    const [message] = await messagesOf(db, w);
    const at = Date.now() - 60_000;
    await db.transaction((s) =>
      appendEvents(s, t.tenantId, [
        { message_id: message!.id, kind: 'opened', occurred_at: new Date(at) },
        { message_id: message!.id, kind: 'opened', occurred_at: new Date(at + 1000) },
      ]),
    );

    // The first fold takes the first open and holds its transaction open.
    const release = Promise.withResolvers<void>();
    const first = tenantScoped(db, t.tenantId).transaction(async (s) => {
      const folded = await foldEvents(s, t.tenantId, 1);
      await release.promise;
      return folded;
    });
    await until(
      'the first fold to have taken its event',
      () =>
        db.session((s) =>
          s.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'campaign_messages' AND l.mode = 'RowExclusiveLock' AND l.granted",
          ),
        ),
      (rows) => rows[0]!.n > 0,
    );
    // The second takes the other open (the first's is locked) and waits on the message.
    const second = foldMessageEvents(db, t.tenantId, { batch: 1 });
    await until(
      'the second fold to wait for the message',
      () =>
        db.session((s) =>
          s.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          ),
        ),
      (rows) => rows[0]!.n > 0,
    );
    release.resolve();
    expect((await first).events).toBe(1);
    expect((await second).events).toBe(1);
    expect(await emailStats(db, w)).toMatchObject({ sends: 1, opens: 1 });
  });
});
