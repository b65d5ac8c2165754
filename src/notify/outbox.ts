// The outbox (docs/notifications.md): an event is written in the caller's transaction, the one that
// changes what the event reports, so a rollback takes the event with it and a commit keeps both.
// Its deliveries are written in the same statement, one per active destination subscribed to its
// type, due at once or at the end of the digest's hour or day in the tenant's time zone. An event
// no active destination takes is not written: for a tenant without destinations, the events' source
// is not even read (the EXISTS below is checked once, first).
import type { SqlSession } from '../db/port.ts';
import type { NotificationEventType } from './event-types.ts';

export interface NewNotificationEvent {
  type: NotificationEventType;
  /** The event's `data` in the envelope: ids and the words a message needs, never a secret. */
  data: Record<string, unknown>;
}

/** The local hour at which a daily digest goes out (the tenant's time zone). */
export const DAILY_DIGEST_HOUR = 8;

/**
 * Due time of a delivery, in SQL: the event's time for immediate; the next full hour (local) for
 * hourly; the next DAILY_DIGEST_HOUR:00 (local) for daily. `t.timezone` is the tenant's zone.
 */
const DUE_AT = `CASE sub.cadence
    WHEN 'immediate' THEN ev.created_at
    WHEN 'hourly' THEN (date_trunc('hour', ev.created_at AT TIME ZONE t.timezone) + interval '1 hour') AT TIME ZONE t.timezone
    ELSE (date_trunc('day', ev.created_at AT TIME ZONE t.timezone - interval '${DAILY_DIGEST_HOUR} hours')
          + interval '1 day ${DAILY_DIGEST_HOUR} hours') AT TIME ZONE t.timezone
  END`;

/**
 * Writes the events of `source` (SQL yielding rows of `type` and `data`, its parameters from $3)
 * that some active destination subscribes to, with their deliveries; returns how many it wrote.
 * For events composed in SQL from the rows they report (src/notify/*-events.ts).
 */
export async function writeEvents(
  s: SqlSession,
  tenantId: string,
  at: Date | undefined,
  source: string,
  params: unknown[],
) {
  const [row] = await s.query<{ written: number }>(
    `WITH sub AS (
       SELECT s.destination_id, s.event_type, s.cadence
         FROM notification_subscriptions s
         JOIN notification_destinations d ON d.tenant_id = s.tenant_id AND d.id = s.destination_id
        WHERE s.tenant_id = $1 AND d.status = 'active'
     ), ev AS (
       INSERT INTO notification_events (tenant_id, type, data, created_at)
       SELECT $1, e.type, e.data, coalesce($2::timestamptz, now())
         FROM (${source}) AS e
        WHERE EXISTS (SELECT 1 FROM sub) AND e.type IN (SELECT event_type FROM sub)
       RETURNING id, type, created_at
     ), delivered AS (
       INSERT INTO notification_deliveries (tenant_id, destination_id, event_id, cadence, due_at, created_at)
       SELECT $1, sub.destination_id, ev.id, sub.cadence, ${DUE_AT}, ev.created_at
         FROM ev JOIN sub ON sub.event_type = ev.type CROSS JOIN (SELECT timezone FROM tenants WHERE id = $1) AS t
     )
     SELECT count(*)::int AS written FROM ev`,
    [tenantId, at?.toISOString() ?? null, ...params],
  );
  return row?.written ?? 0;
}

/** Writes events the caller composed; `at` is their time (the transaction's when absent). */
export function recordNotificationEvents(
  s: SqlSession,
  tenantId: string,
  events: readonly NewNotificationEvent[],
  at?: Date,
): Promise<number> {
  if (events.length === 0) return Promise.resolve(0);
  return writeEvents(s, tenantId, at, 'SELECT type, data FROM unnest($3::text[], $4::jsonb[]) AS u (type, data)', [
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.data)),
  ]);
}

/**
 * The events of ledger rows just written or decided: an executed notify is an alert raised, any
 * other executed row an action taken, a pending one a suggestion waiting; other statuses (a change
 * still waiting for its ad platform) tell nothing yet. Each carries the action and its campaign.
 */
export function recordActionEvents(s: SqlSession, tenantId: string, actionIds: readonly string[], at?: Date) {
  if (actionIds.length === 0) return Promise.resolve(0);
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT CASE WHEN a.status = 'pending' THEN 'suggestion.pending'
                 WHEN a.action_type = 'notify' THEN 'alert.raised'
                 ELSE 'action.executed' END AS type,
            jsonb_build_object('action_id', a.id, 'action_type', a.action_type, 'status', a.status,
                               'reason', a.reason, 'confidence', a.confidence_score,
                               'campaign', jsonb_build_object('id', c.id, 'title', c.title),
                               'decided_by', coalesce(u.email, a.decided_by_name)) AS data
       FROM autonomous_actions a
       JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
       LEFT JOIN users u ON u.id = a.decided_by
      WHERE a.tenant_id = $1 AND a.id = ANY($3::uuid[]) AND a.status IN ('executed', 'pending')
        AND a.action_type <> 'external_change'`,
    [actionIds],
  );
}
