// The tenant's notification destinations and what each subscribes to (tables
// notification_destinations, notification_subscriptions). Settings are stored as the contract
// validated them; secrets only encrypted, by the service that holds the key.
import type { SqlSession } from '../port.ts';

export interface DestinationRow {
  id: string;
  kind: 'slack' | 'email' | 'webhook';
  name: string;
  settings: Record<string, unknown>;
  /** Encrypted JSON of the destination's secrets. */
  secrets: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  failing_since: Date | null;
  consecutive_failures: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  subscriptions: { event_type: string; cadence: 'immediate' | 'hourly' | 'daily' }[];
}

const SELECT = `SELECT d.id, d.kind, d.name, d.settings, d.secrets, d.status, d.disabled_reason, d.failing_since,
         d.consecutive_failures, d.created_by, d.created_at, d.updated_at,
         coalesce((SELECT jsonb_agg(jsonb_build_object('event_type', s.event_type, 'cadence', s.cadence) ORDER BY s.event_type)
                     FROM notification_subscriptions s WHERE s.tenant_id = d.tenant_id AND s.destination_id = d.id), '[]') AS subscriptions
    FROM notification_destinations d`;

export function destinationsOf(s: SqlSession, tenantId: string): Promise<DestinationRow[]> {
  return s.query<DestinationRow>(`${SELECT} WHERE d.tenant_id = $1 ORDER BY d.created_at, d.id`, [tenantId]);
}

export async function destinationById(
  s: SqlSession,
  tenantId: string,
  id: string,
): Promise<DestinationRow | undefined> {
  const [row] = await s.query<DestinationRow>(`${SELECT} WHERE d.tenant_id = $1 AND d.id = $2`, [tenantId, id]);
  return row;
}

export interface DestinationWrite {
  kind: DestinationRow['kind'];
  name: string;
  settings: Record<string, unknown>;
  secrets: string;
  subscriptions: readonly { event_type: string; cadence: string }[];
}

async function replaceSubscriptions(s: SqlSession, tenantId: string, id: string, write: DestinationWrite) {
  await s.query('DELETE FROM notification_subscriptions WHERE tenant_id = $1 AND destination_id = $2', [tenantId, id]);
  await s.query(
    `INSERT INTO notification_subscriptions (tenant_id, destination_id, event_type, cadence)
     SELECT $1, $2, t, c FROM unnest($3::text[], $4::text[]) AS u (t, c)`,
    [tenantId, id, write.subscriptions.map((x) => x.event_type), write.subscriptions.map((x) => x.cadence)],
  );
}

export async function insertDestination(
  s: SqlSession,
  tenantId: string,
  write: DestinationWrite,
  createdBy: string | null,
): Promise<string> {
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO notification_destinations (tenant_id, kind, name, settings, secrets, created_by)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6) RETURNING id`,
    [tenantId, write.kind, write.name, JSON.stringify(write.settings), write.secrets, createdBy],
  );
  await replaceSubscriptions(s, tenantId, row!.id, write);
  return row!.id;
}

/** Saves a destination's new settings (its kind stays); a person's edit makes it active again. */
export async function updateDestination(s: SqlSession, tenantId: string, id: string, write: DestinationWrite) {
  await s.query(
    `UPDATE notification_destinations
        SET name = $3, settings = $4::jsonb, secrets = $5, status = 'active', disabled_reason = NULL,
            failing_since = NULL, consecutive_failures = 0, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, write.name, JSON.stringify(write.settings), write.secrets],
  );
  await replaceSubscriptions(s, tenantId, id, write);
}

export async function setDestinationSecrets(s: SqlSession, tenantId: string, id: string, secrets: string) {
  await s.query(
    'UPDATE notification_destinations SET secrets = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2',
    [tenantId, id, secrets],
  );
}

/** Turned on by a person: its failures are forgiven. Turned off: its waiting deliveries are cancelled. */
export async function setDestinationEnabled(
  s: SqlSession,
  tenantId: string,
  id: string,
  enabled: boolean,
  reason: string | null,
  at: Date,
) {
  await s.query(
    `UPDATE notification_destinations
        SET status = CASE WHEN $3 THEN 'active' ELSE 'disabled' END, disabled_reason = CASE WHEN $3 THEN NULL ELSE $4 END,
            failing_since = CASE WHEN $3 THEN NULL ELSE failing_since END,
            consecutive_failures = CASE WHEN $3 THEN 0 ELSE consecutive_failures END, updated_at = $5
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, enabled, reason, at.toISOString()],
  );
  if (!enabled) {
    await s.query(
      `UPDATE notification_deliveries SET status = 'cancelled', error = 'the destination was turned off'
        WHERE tenant_id = $1 AND destination_id = $2 AND status IN ('pending', 'sending')`,
      [tenantId, id],
    );
  }
}

/** Deletes it with its subscriptions and delivery log; its events stay (other destinations may have them). */
export async function deleteDestination(s: SqlSession, tenantId: string, id: string): Promise<boolean> {
  const rows = await s.query('DELETE FROM notification_destinations WHERE tenant_id = $1 AND id = $2 RETURNING id', [
    tenantId,
    id,
  ]);
  return rows.length > 0;
}
