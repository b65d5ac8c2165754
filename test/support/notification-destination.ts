// A notification destination written straight into a tenant's tables, for tests of what raises
// events: subscribed to the given types (every type unless told), and the outbox's events read back.
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database } from '../../src/db/port.ts';
import { NOTIFICATION_EVENT_TYPES, type NotificationEventType } from '../../src/notify/event-types.ts';
import { TEST_ENCRYPTION_KEY } from './test-api.ts';

export async function subscribedDestination(
  db: Database,
  tenantId: string,
  options: {
    url?: string;
    types?: readonly NotificationEventType[];
    cadence?: 'immediate' | 'hourly' | 'daily';
  } = {},
): Promise<string> {
  const secrets = createTokenCipher(TEST_ENCRYPTION_KEY).encrypt(JSON.stringify({ signing_secret: 'whsec_test' }));
  return db.transaction(async (s) => {
    const [row] = await s.query<{ id: string }>(
      `INSERT INTO notification_destinations (tenant_id, kind, name, settings, secrets)
       VALUES ($1, 'webhook', 'Test receiver', jsonb_build_object('url', $2::text), $3) RETURNING id`,
      [tenantId, options.url ?? 'http://127.0.0.1:9/hook', secrets],
    );
    await s.query(
      `INSERT INTO notification_subscriptions (tenant_id, destination_id, event_type, cadence)
       SELECT $1, $2, t, $4 FROM unnest($3::text[]) AS t`,
      [tenantId, row!.id, options.types ?? NOTIFICATION_EVENT_TYPES, options.cadence ?? 'immediate'],
    );
    return row!.id;
  });
}

export interface OutboxEvent {
  id: string;
  type: NotificationEventType;
  data: Record<string, unknown>;
  created_at: Date;
}

/** The tenant's events in the order they were written. */
export function outboxEvents(db: Database, tenantId: string): Promise<OutboxEvent[]> {
  return db.session((s) =>
    s.query<OutboxEvent>(
      'SELECT id, type, data, created_at FROM notification_events WHERE tenant_id = $1 ORDER BY created_at, id',
      [tenantId],
    ),
  );
}
