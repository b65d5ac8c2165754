// A delivery worker SIGKILLed mid-batch, while the SMTP server holds back the 250 of messages it
// has: the next run must send nothing twice (SMTP cannot be asked what arrived: a message its worker
// had marked handed over becomes 'unconfirmed', counted as sent) and send everything the dead worker
// had claimed but not handed over, then carry on with everyone not yet claimed. Postgres only: a
// killed process takes PGlite with it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../scripts/support/cli-process.ts';
import type { Database } from '../src/db/port.ts';
import { HAND_OVER_CHUNK } from '../src/delivery/hand-over.ts';
import {
  type DeliveryWorld,
  deliver,
  launchedCampaign,
  messagesOf,
  recipientStates,
  senderTenant,
} from './support/delivery-world.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { TEST_ENCRYPTION_KEY } from './support/test-api.ts';
import { postgresTestUrl, useTestDb } from './support/test-db.ts';
import { until } from './support/until.ts';

const CHILD = join(import.meta.dirname, 'support', 'message-delivery-child.ts');

describe('a delivery worker killed while a message’s acknowledgement is pending (Postgres)', () => {
  const testDb = useTestDb();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  /** Starts a worker in a process of its own, claiming `batch` recipients at a time. */
  function startWorker(tenantId: string, batch: number) {
    const child = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: postgresTestUrl(),
        TENANT_ID: tenantId,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        BATCH_SIZE: String(batch),
      },
    });
    return { child, exit: finished(child) };
  }

  const statuses = async (db: Database, w: DeliveryWorld): Promise<Partial<Record<string, number>>> => {
    const counts: Partial<Record<string, number>> = {};
    for (const m of await messagesOf(db, w)) counts[m.status] = (counts[m.status] ?? 0) + 1;
    return counts;
  };

  it('sends every message once: the claim in doubt is not sent again, the claim taken ahead is', async () => {
    sink.reset();
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const contacts = Array.from({ length: 30 }, (_, i) => ({ email: `r${i}@example.com`, first_name: `R${i}` }));
    const w = await launchedCampaign(db, t, {
      contacts,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hello {{first_name}}', body: 'Hi' }] }],
    });

    // The first claim of 10 goes through. The second claim's first message has its 250 held back:
    // the claim never finishes, while the third is claimed ahead and waits behind it.
    const held = sink.holdData({ after: 10 });
    const { child, exit } = startWorker(t.tenantId, 10);
    await held.arrived;
    await until(
      'the rest of the second claim to arrive, and the third to be claimed',
      async (): Promise<Partial<Record<string, number>> & { received: number }> => ({
        ...(await statuses(db, w)),
        received: sink.received.length,
      }),
      (s) => s.received >= 20 && s.sent === 10 && s.sending === 20,
    );
    child.kill('SIGKILL');
    expect((await exit).code).toBeNull();
    held.release();

    // The next run: the claim in doubt reconciled (not sent again), the third sent (never handed over).
    const report = await deliver(db, t, { staleAfterMs: 0, batchSize: 10 });
    expect(report.reconciled).toEqual({ confirmed: 0, unconfirmed: 10, requeued: 10 });
    expect(report.sent).toBe(10);
    await sink.waitFor(30);
    const addresses = sink.received.map((m) => m.envelope.to[0]);
    expect(addresses).toHaveLength(30);
    expect(new Set(addresses).size).toBe(30);
    expect(await statuses(db, w)).toEqual({ sent: 20, unconfirmed: 10 });
    expect((await recipientStates(db, w)).every((r) => r.ended_reason === 'completed')).toBe(true);
  });

  it('within a claim, doubts only the messages marked handed over: the rest are sent by the next run', async () => {
    sink.reset();
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const contacts = Array.from({ length: 40 }, (_, i) => ({ email: `s${i}@example.com` }));
    const w = await launchedCampaign(db, t, {
      contacts,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hello', body: 'Hi' }] }],
    });

    // One claim of 40; the sender has 3 connections, and each one's first message is held back.
    const held = [sink.holdData(), sink.holdData(), sink.holdData()];
    const { child, exit } = startWorker(t.tenantId, 40);
    await Promise.all(held.map((h) => h.arrived));
    const handed = await db.session((s) =>
      s.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM campaign_messages WHERE tenant_id = $1 AND handed_at IS NOT NULL',
        [t.tenantId],
      ),
    );
    child.kill('SIGKILL');
    expect((await exit).code).toBeNull();
    for (const h of held) h.release();
    // The first chunk was marked before its first message went; nothing else had to be.
    expect(handed[0]!.n).toBe(HAND_OVER_CHUNK);

    const report = await deliver(db, t, { staleAfterMs: 0, batchSize: 40 });
    expect(report.reconciled).toEqual({ confirmed: 0, unconfirmed: HAND_OVER_CHUNK, requeued: 40 - HAND_OVER_CHUNK });
    expect(report.sent).toBe(40 - HAND_OVER_CHUNK);
    await sink.waitFor(3 + 40 - HAND_OVER_CHUNK);
    const addresses = sink.received.map((m) => m.envelope.to[0]);
    // Nobody twice; in doubt and never sent: the marked chunk's messages that had not gone yet.
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses).toHaveLength(3 + 40 - HAND_OVER_CHUNK);
    expect(await statuses(db, w)).toEqual({ sent: 40 - HAND_OVER_CHUNK, unconfirmed: HAND_OVER_CHUNK });
  });
});
