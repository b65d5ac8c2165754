// Signed webhooks (issue 27): each event goes to a local receiver as a signed envelope the receiver
// can verify with the secret answered at creation; failures (5xx, no answer, 429) are retried on
// the schedule with a clock the test controls; a destination failing for 3 days is turned off and
// the others told; "resend" sends the same event id again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { deliverDueNotifications } from '../src/notify/deliver.ts';
import type { NotificationEventType } from '../src/notify/event-types.ts';
import { recordNotificationEvents } from '../src/notify/outbox.ts';
import { SIGNATURE_HEADER, verifySignature } from '../src/notify/webhook-signature.ts';
import {
  createDestination,
  destinationDeliveries,
  listDestinations,
  resendDelivery,
  setDestinationOn,
} from '../src/services/notification-destinations.ts';
import { saveEmailSender } from '../src/services/senders.ts';
import { type HookReceiver, startHookReceiver } from './support/hook-receiver.ts';
import { createTenant } from './support/scenario.ts';
import { testDeliveryDeps } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';
import { useSmtpSink } from './support/use-smtp-sink.ts';

describe('signed webhooks', () => {
  const getDb = useTestDb();
  const sink = useSmtpSink();
  const deps = testDeliveryDeps({ publicUrl: 'https://nightshift.example.com' });
  let receiver: HookReceiver;
  beforeAll(async () => {
    receiver = await startHookReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(() => receiver.reset());

  const T0 = new Date('2026-12-01T10:00:00Z');
  const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

  async function webhookTenant(path: string, types: NotificationEventType[] = ['alert.raised']) {
    const db = getDb();
    const { tenantId } = await createTenant(db);
    const created = await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'webhook',
        name: 'CRM',
        url: `${receiver.url}${path}`,
        subscriptions: types.map((event_type) => ({ event_type, cadence: 'immediate' })),
      },
      null,
    );
    return { db, tenantId, destinationId: created.id, secret: created.signing_secret! };
  }

  function raise(db: Database, tenantId: string, at: Date, ...reasons: string[]) {
    return tenantScoped(db, tenantId).transaction((s) =>
      recordNotificationEvents(
        s,
        tenantId,
        reasons.map((reason) => ({ type: 'alert.raised', data: { reason } })),
        at,
      ),
    );
  }

  const deliver = (db: Database, tenantId: string, at: Date, timeoutMs?: number) =>
    deliverDueNotifications(db, deps, tenantId, { now: () => at, ...(timeoutMs ? { timeoutMs } : {}) });

  async function logOf(db: Database, tenantId: string, destinationId: string) {
    return destinationDeliveries(db, tenantId, destinationId, { limit: 50 });
  }

  it('sends each event once as a signed envelope the receiver verifies with the secret it was given', async () => {
    const { db, tenantId, secret } = await webhookTenant('/signed');
    expect(secret).toMatch(/^whsec_/);
    await raise(db, tenantId, T0, 'CPA above target', 'CTR fell');

    const report = await deliver(db, tenantId, minutes(0));
    expect(report).toMatchObject({ delivered: 2, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    for (const hook of receiver.received) {
      const header = String(hook.headers[SIGNATURE_HEADER.toLowerCase()]);
      expect(verifySignature(header, hook.body, secret, minutes(1))).toEqual({ ok: true });
      // A body changed on the way, another secret, or an old request: refused.
      expect(verifySignature(header, `${hook.body} `, secret, minutes(1)).ok).toBe(false);
      expect(verifySignature(header, hook.body, 'whsec_other', minutes(1)).ok).toBe(false);
      expect(verifySignature(header, hook.body, secret, minutes(10))).toEqual({ ok: false, reason: 'too_old' });
      const envelope = JSON.parse(hook.body);
      expect(Object.keys(envelope).sort()).toEqual(['created', 'data', 'id', 'tenant', 'type']);
      expect(envelope).toMatchObject({ type: 'alert.raised', created: T0.toISOString(), tenant: { id: tenantId } });
      expect(hook.headers['nightshift-event-id']).toBe(envelope.id);
    }
    expect(receiver.received.map((h) => JSON.parse(h.body).data.reason).sort()).toEqual([
      'CPA above target',
      'CTR fell',
    ]);
    // Delivered: a second run sends nothing.
    expect((await deliver(db, tenantId, minutes(5))).attempts).toBe(0);
    expect(receiver.received).toHaveLength(2);
  });

  it('retries a 5xx after 1 and then 5 minutes, with the same event id, until the receiver takes it', async () => {
    const { db, tenantId, destinationId } = await webhookTenant('/flaky');
    receiver.answer({ status: 500, body: 'database down' }, { status: 502 });
    await raise(db, tenantId, T0, 'flaky');

    expect(await deliver(db, tenantId, minutes(0))).toMatchObject({ retrying: 1 });
    let [row] = await logOf(db, tenantId, destinationId);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      response_status: 500,
      error: 'HTTP 500: database down',
      next_attempt_at: minutes(1).toISOString(),
    });
    // Not before its time.
    expect((await deliver(db, tenantId, new Date(minutes(1).getTime() - 1000))).attempts).toBe(0);
    expect(await deliver(db, tenantId, minutes(1))).toMatchObject({ retrying: 1 });
    [row] = await logOf(db, tenantId, destinationId);
    expect(row).toMatchObject({ attempts: 2, response_status: 502, next_attempt_at: minutes(6).toISOString() });
    expect(await deliver(db, tenantId, minutes(6))).toMatchObject({ delivered: 1 });
    [row] = await logOf(db, tenantId, destinationId);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, response_status: 200, next_attempt_at: null });
    expect(row!.latency_ms).toBeGreaterThanOrEqual(0);
    expect(new Set(receiver.received.map((h) => JSON.parse(h.body).id)).size).toBe(1);
    expect(receiver.received.map((h) => h.headers['nightshift-delivery-attempt'])).toEqual(['1', '2', '3']);
  });

  it('takes a receiver that does not answer in time as a failure, and waits as long as a 429 asks', async () => {
    const { db, tenantId, destinationId } = await webhookTenant('/slow');
    receiver.answer({ status: 200, hang: true }, { status: 429, retryAfter: '3600' });
    await raise(db, tenantId, T0, 'slow');

    await deliver(db, tenantId, minutes(0), 300);
    let [row] = await logOf(db, tenantId, destinationId);
    expect(row).toMatchObject({ status: 'pending', response_status: null, error: 'no answer within 300 ms' });
    await deliver(db, tenantId, minutes(1), 300);
    [row] = await logOf(db, tenantId, destinationId);
    expect(row).toMatchObject({ status: 'pending', response_status: 429, next_attempt_at: minutes(61).toISOString() });
    await deliver(db, tenantId, minutes(61), 300);
    [row] = await logOf(db, tenantId, destinationId);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('gives up after 3 days, turns the destination off, tells the other destinations and e-mails its owner', async () => {
    const db = getDb();
    const { tenantId } = await createTenant(db);
    const [owner] = await db.session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO users (email) VALUES ('owner-' || gen_random_uuid() || '@example.com') RETURNING id`,
      ),
    );
    // The admin who added it (a person no longer in the tenant is not written to).
    await db.session((s) =>
      s.query(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'admin')`, [tenantId, owner!.id]),
    );
    const { id: destinationId } = await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'webhook',
        name: 'CRM',
        url: `${receiver.url}/down`,
        subscriptions: [{ event_type: 'alert.raised', cadence: 'immediate' }],
      },
      owner!.id,
    );
    await saveEmailSender(db, deps, tenantId, {
      host: sink().host,
      port: sink().port,
      security: 'none',
      from_address: 'alerts@brand.example',
      max_connections: 1,
      track_opens: false,
      track_clicks: false,
    });
    const watcher = await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'webhook',
        name: 'Ops watcher',
        url: `${receiver.url}/watcher`,
        subscriptions: [{ event_type: 'destination.disabled', cadence: 'immediate' }],
      },
      null,
    );
    await raise(db, tenantId, T0, 'nobody hears this');
    receiver.otherwise({ status: 503 });

    // Run whenever the delivery is due, as the minute task would, until it ends.
    const times: number[] = [];
    let at = T0;
    let told: string[] = [];
    for (let i = 0; i < 20; i++) {
      told = (await deliver(db, tenantId, at)).owners_told;
      times.push((at.getTime() - T0.getTime()) / 60_000);
      const [row] = await logOf(db, tenantId, destinationId);
      if (row!.status !== 'pending') {
        expect(row).toMatchObject({ status: 'failed', next_attempt_at: null, response_status: 503 });
        break;
      }
      at = new Date(row!.next_attempt_at!);
    }
    // 1 min, 5 min, 30 min, 2 h, 5 h, then every 10 h, within 3 days of the first attempt.
    expect(times).toEqual([0, 1, 6, 36, 156, 456, 1056, 1656, 2256, 2856, 3456, 4056]);
    const [down, watching] = await listDestinations(db, deps, tenantId).then((list) =>
      [destinationId, watcher.id].map((id) => list.find((d) => d.id === id)!),
    );
    expect(down).toMatchObject({ status: 'disabled', consecutive_failures: 12 });
    expect(down!.disabled_reason).toMatch(/every attempt failed for 3 days \(12 attempts\); last: HTTP 503/);
    expect(watching!.status).toBe('active');
    // Its owner, by e-mail through the tenant's sender.
    const [ownerEmail] = await db.session((s) =>
      s.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [owner!.id]),
    );
    expect(told).toEqual([ownerEmail!.email]);
    const [mail] = await sink().waitFor(1);
    expect(mail!.envelope.to).toEqual([ownerEmail!.email]);
    expect(mail!.parsed.subject).toBe('[Nightshift] Notification destination disabled');
    expect(mail!.parsed.text).toContain('Nightshift turned off “CRM” (webhook): every attempt failed for 3 days');

    // The watcher heard, in the same run, that it was turned off.
    const heard = receiver.received.filter((h) => h.path === '/watcher');
    expect(heard).toHaveLength(1);
    expect(JSON.parse(heard[0]!.body)).toMatchObject({
      type: 'destination.disabled',
      data: { destination: { id: destinationId, name: 'CRM', kind: 'webhook' } },
    });
    // New events no longer go to it.
    receiver.reset();
    await raise(db, tenantId, at, 'after the end');
    await deliver(db, tenantId, at);
    expect(receiver.received).toHaveLength(0);

    // Turned on again by a person: its failures are forgiven, and new events reach it.
    await setDestinationOn(db, deps, tenantId, destinationId, true);
    await raise(db, tenantId, at, 'back');
    await deliver(db, tenantId, at);
    expect(receiver.received.filter((h) => h.path === '/down')).toHaveLength(1);
  });

  it('resends a delivered event with the same id, and sends nothing to a destination turned off', async () => {
    const { db, tenantId, destinationId } = await webhookTenant('/resend');
    await raise(db, tenantId, T0, 'once');
    await deliver(db, tenantId, T0);
    const [row] = await logOf(db, tenantId, destinationId);
    expect(await resendDelivery(db, tenantId, row!.id, minutes(1))).toEqual({
      delivery_id: row!.id,
      status: 'pending',
    });
    await deliver(db, tenantId, minutes(1));
    expect(receiver.received).toHaveLength(2);
    expect(JSON.parse(receiver.received[1]!.body).id).toBe(JSON.parse(receiver.received[0]!.body).id);

    await setDestinationOn(db, deps, tenantId, destinationId, false);
    await raise(db, tenantId, minutes(2), 'while off');
    await deliver(db, tenantId, minutes(2));
    expect(receiver.received).toHaveLength(2);
  });

  it('lets a failing destination rest until the next run: one attempt, its other events wait unattempted', async () => {
    const { db, tenantId, destinationId } = await webhookTenant('/resting');
    await raise(db, tenantId, T0, 'a', 'b', 'c', 'd', 'e');
    receiver.answer({ status: 500 });

    expect(await deliver(db, tenantId, T0)).toMatchObject({ attempts: 1, retrying: 1, delivered: 0 });
    expect(receiver.received).toHaveLength(1);
    const log = await logOf(db, tenantId, destinationId);
    expect(log.map((d) => [d.status, d.attempts]).sort()).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
      ['pending', 1],
    ]);
    // The next run (the receiver is back) sends the four that waited; the failed one at its time.
    expect(await deliver(db, tenantId, minutes(0.5))).toMatchObject({ attempts: 4, delivered: 4 });
    expect(await deliver(db, tenantId, minutes(1))).toMatchObject({ attempts: 1, delivered: 1 });
    expect(new Set(receiver.received.map((h) => JSON.parse(h.body).id)).size).toBe(5);
  });

  it('writes no event for a tenant whose destinations do not take its type', async () => {
    const { db, tenantId } = await webhookTenant('/picky', ['suggestion.pending']);
    expect(await raise(db, tenantId, T0, 'not wanted')).toBe(0);
    const [count] = await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_events WHERE tenant_id = $1', [tenantId]),
    );
    expect(count!.n).toBe(0);
  });
});
