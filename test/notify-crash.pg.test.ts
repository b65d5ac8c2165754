// The notifications deliverer SIGKILLed while a receiver holds a request unanswered (issue 27): a
// crash loses no event, and the receiver acknowledges each event exactly once. The one it held is
// sent again (it never answered: the deliverer cannot know it arrived) with the same event id, which
// is what receivers dedupe on; the events claimed but not yet sent go out on the next run. Postgres
// only: a killed process takes PGlite with it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../scripts/support/cli-process.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { ATTEMPT_TIMEOUT_MS, deliverDueNotifications } from '../src/notify/deliver.ts';
import { recordNotificationEvents } from '../src/notify/outbox.ts';
import { createDestination } from '../src/services/notification-destinations.ts';
import { type HookReceiver, startHookReceiver } from './support/hook-receiver.ts';
import { createTenant } from './support/scenario.ts';
import { TEST_ENCRYPTION_KEY, testDeliveryDeps } from './support/test-api.ts';
import { postgresTestUrl, useTestDb } from './support/test-db.ts';
import { until } from './support/until.ts';

const CHILD = join(import.meta.dirname, 'support', 'notify-child.ts');
const EVENTS = 30;

describe('a notifications deliverer killed mid-run (Postgres)', () => {
  const testDb = useTestDb();
  let receiver: HookReceiver;
  beforeAll(async () => {
    receiver = await startHookReceiver();
  });
  afterAll(() => receiver.close());

  it('loses no event, and each is acknowledged once by the receiver', async () => {
    const db = testDb();
    const deps = testDeliveryDeps();
    const { tenantId } = await createTenant(db);
    await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'webhook',
        name: 'CRM',
        url: `${receiver.url}/crm`,
        subscriptions: [{ event_type: 'alert.raised', cadence: 'immediate' }],
      },
      null,
    );
    await tenantScoped(db, tenantId).transaction((s) =>
      recordNotificationEvents(
        s,
        tenantId,
        Array.from({ length: EVENTS }, (_, i) => ({ type: 'alert.raised' as const, data: { reason: `alert ${i}` } })),
      ),
    );
    // Ten answered at once, then the eleventh held without an answer.
    receiver.answer(...Array.from({ length: 10 }, () => ({ status: 200 })), { status: 200, hang: true });
    const child = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: postgresTestUrl(),
        TENANT_ID: tenantId,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      },
    });
    const exit = finished(child);
    await until(
      'the eleventh request to arrive',
      () => Promise.resolve(receiver.received.length),
      (n) => n >= 11,
    );
    child.kill('SIGKILL');
    expect((await exit).code).toBeNull();

    // The next run, once the dead run's claim has gone stale: the rest, and the held one again.
    const later = new Date(Date.now() + ATTEMPT_TIMEOUT_MS + 61_000);
    const report = await deliverDueNotifications(db, deps, tenantId, { now: () => later });
    expect(report).toMatchObject({ delivered: EVENTS - 10, retrying: 0, failed: 0 });

    const ids = receiver.received.map((hook) => JSON.parse(hook.body).id as string);
    expect(new Set(ids).size).toBe(EVENTS);
    // Acknowledged (answered 2xx) once each: every request but the held one was answered.
    const held = ids[10]!;
    expect(ids.filter((id) => id === held)).toHaveLength(2);
    expect(ids.filter((id) => id !== held)).toHaveLength(EVENTS - 1);
    const [counts] = await db.session((s) =>
      s.query<{ delivered: number; other: number }>(
        `SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE status <> 'delivered')::int AS other
           FROM notification_deliveries WHERE tenant_id = $1`,
        [tenantId],
      ),
    );
    expect(counts).toEqual({ delivered: EVENTS, other: 0 });
  });
});
