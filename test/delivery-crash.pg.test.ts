// A delivery worker SIGKILLed mid-batch: one message's acknowledgement is held back by the SMTP
// server, so the worker has handed its whole claim over and recorded none of it as sent when it
// dies. The next run must send nothing twice (SMTP cannot be asked what arrived: the claim's
// messages become 'unconfirmed', counted as sent) and carry on with everyone not yet claimed: the
// server receives each message exactly once. Postgres only: a killed process takes PGlite with it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../scripts/support/cli-process.ts';
import { deliver, launchedCampaign, messagesOf, recipientStates, senderTenant } from './support/delivery-world.ts';
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

  it('sends every message once: the dead claim is not sent again, the rest go', async () => {
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const contacts = Array.from({ length: 30 }, (_, i) => ({ email: `r${i}@example.com`, first_name: `R${i}` }));
    const w = await launchedCampaign(db, t, {
      contacts,
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hello {{first_name}}', body: 'Hi' }] }],
    });

    const child = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: postgresTestUrl(),
        TENANT_ID: t.tenantId,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        BATCH_SIZE: '10',
      },
    });
    const exit = finished(child);
    // The first claim of 10 goes through; in the second, one message's 250 is held back.
    await until(
      'the second claim to begin',
      async () => sink.received.length,
      (n) => n >= 12,
    );
    const held = sink.holdData();
    await held.arrived;
    await until(
      'the rest of the second claim',
      async () => sink.received.length,
      (n) => n >= 20,
    );
    child.kill('SIGKILL');
    expect((await exit).code).toBeNull();
    held.release();

    const left = await messagesOf(db, w);
    expect(left.filter((m) => m.status === 'sent')).toHaveLength(10);
    expect(left.filter((m) => m.status === 'sending')).toHaveLength(10);

    // The next run: the dead claim reconciled (not sent again), the third claim sent.
    const report = await deliver(db, t, { staleAfterMs: 0, batchSize: 10 });
    expect(report.reconciled).toEqual({ confirmed: 0, unconfirmed: 10, requeued: 0 });
    expect(report.sent).toBe(10);
    await sink.waitFor(30);
    const addresses = sink.received.map((m) => m.envelope.to[0]);
    expect(addresses).toHaveLength(30);
    expect(new Set(addresses).size).toBe(30);
    const end = await messagesOf(db, w);
    expect(end.map((m) => m.status).sort()).toEqual([...Array(20).fill('sent'), ...Array(10).fill('unconfirmed')]);
    expect((await recipientStates(db, w)).every((r) => r.ended_reason === 'completed')).toBe(true);
  });
});
