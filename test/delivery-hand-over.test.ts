// Marking messages handed over (src/delivery/hand-over.ts, campaign_messages.handed_at): a chunk is
// marked before any of its messages goes and the next one halfway through it, and a message whose
// mark does not take (another run reconciled it, or claimed it again) is not handed over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markHandedOver } from '../src/db/repositories/delivery-messages.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import type { PreparedMessage } from '../src/delivery/claim.ts';
import { HAND_OVER_CHUNK, handOverInChunks } from '../src/delivery/hand-over.ts';
import { deliver, launchedCampaign, messagesOf, senderTenant } from './support/delivery-world.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { useTestDb } from './support/test-db.ts';

const prepared = (n: number): PreparedMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    channel: 'email',
    attempts: 1,
    outgoing: { id: `m${i}`, to: `p${i}@example.com`, text: 'Hi' },
  }));

describe('marking messages handed over, a chunk at a time', () => {
  it('marks a chunk before its first message and the next one halfway through it', async () => {
    const marked: string[][] = [];
    const ready = handOverInChunks(prepared(HAND_OVER_CHUNK * 2 + 3), async (ms) => {
      marked.push(ms.map((m) => m.id));
      return new Set(ms.map((m) => m.id));
    });
    expect(await ready(0)).toBe(true);
    expect(marked).toEqual([Array.from({ length: HAND_OVER_CHUNK }, (_, i) => `m${i}`)]);
    for (let i = 1; i < HAND_OVER_CHUNK / 2; i++) await ready(i);
    expect(marked).toHaveLength(1);
    await ready(HAND_OVER_CHUNK / 2);
    expect(marked).toHaveLength(2);
    expect(marked[1]).toHaveLength(HAND_OVER_CHUNK);
    // The last, short chunk: once, however often its messages ask.
    for (let i = HAND_OVER_CHUNK; i < HAND_OVER_CHUNK * 2 + 3; i++) await ready(i);
    expect(marked.map((ids) => ids.length)).toEqual([HAND_OVER_CHUNK, HAND_OVER_CHUNK, 3]);
  });

  it('lets only the messages whose mark took go, and reports a failed mark to each of its messages', async () => {
    const ready = handOverInChunks(prepared(4), async (ms) => new Set([ms[0]!.id, ms[2]!.id]), 4);
    expect(await Promise.all([0, 1, 2, 3].map(ready))).toEqual([true, false, true, false]);
    const failing = handOverInChunks(prepared(2), () => Promise.reject(new Error('connection lost')), 4);
    await expect(failing(0)).rejects.toThrow('connection lost');
    await expect(failing(1)).rejects.toThrow('connection lost');
  });
});

describe('markHandedOver in the database', () => {
  const testDb = useTestDb();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('marks only messages still sending in the attempt named', async () => {
    const db = testDb();
    const t = await senderTenant(db, { smtp: sink });
    const w = await launchedCampaign(db, t, {
      contacts: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi', body: 'Hello' }] }],
    });
    expect((await deliver(db, t)).sent).toBe(3);
    const [a, b, c] = await messagesOf(db, w);
    // b is sending again in its second attempt (claimed by another run), c in its first.
    await db.session((s) =>
      s.query(
        "UPDATE campaign_messages SET status = 'sending', attempts = CASE WHEN id = $2 THEN 2 ELSE 1 END WHERE tenant_id = $1 AND id = ANY($3::uuid[])",
        [t.tenantId, b!.id, [b!.id, c!.id]],
      ),
    );
    const at = new Date('2026-12-07T12:00:00Z');
    const marked = await tenantScoped(db, t.tenantId).transaction((s) =>
      markHandedOver(
        s,
        t.tenantId,
        [a!, b!, c!].map((m) => ({ id: m.id, attempts: 1 })),
        at,
      ),
    );
    expect([...marked]).toEqual([c!.id]);
  });
});
