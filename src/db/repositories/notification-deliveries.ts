// Each event's delivery to each destination (table notification_deliveries): claimed when due,
// its outcome written after each attempt, and listed newest first as the destination's log.
import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

/** A claimed delivery with what its message needs: the event and the destination. */
export interface DueDelivery {
  id: string;
  destination_id: string;
  cadence: 'immediate' | 'hourly' | 'daily';
  attempts: number;
  first_attempt_at: Date;
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  event_created_at: Date;
}

/**
 * Takes up to `limit` due deliveries of active destinations: pending ones whose time has come, and
 * ones left 'sending' since before `staleBefore` (their worker died mid-attempt: the receiver may
 * have the event, and dedupes on its id). Each claimed counts an attempt.
 */
export function claimDueDeliveries(
  s: SqlSession,
  tenantId: string,
  now: Date,
  staleBefore: Date,
  limit: number,
  /** Destinations not to claim for (they failed earlier in this run). */
  resting: readonly string[] = [],
): Promise<DueDelivery[]> {
  return s.query<DueDelivery>(
    `WITH due AS (
       SELECT n.id FROM notification_deliveries n
         JOIN notification_destinations d ON d.tenant_id = n.tenant_id AND d.id = n.destination_id AND d.status = 'active'
        WHERE n.tenant_id = $1
          AND ((n.status = 'pending' AND n.due_at <= $2) OR (n.status = 'sending' AND n.claimed_at < $3))
          AND n.destination_id <> ALL($5::uuid[])
        ORDER BY n.due_at, n.id
        LIMIT $4
          FOR UPDATE OF n SKIP LOCKED
     ), claimed AS (
       UPDATE notification_deliveries n
          SET status = 'sending', claimed_at = $2, attempts = n.attempts + 1,
              first_attempt_at = coalesce(n.first_attempt_at, $2)
         FROM due WHERE n.tenant_id = $1 AND n.id = due.id
       RETURNING n.id, n.destination_id, n.cadence, n.attempts, n.first_attempt_at, n.event_id, n.due_at
     )
     SELECT c.id, c.destination_id, c.cadence, c.attempts, c.first_attempt_at, e.id AS event_id, e.type AS event_type,
            e.data AS event_data, e.created_at AS event_created_at
       FROM claimed c JOIN notification_events e ON e.tenant_id = $1 AND e.id = c.event_id
      ORDER BY c.due_at, e.created_at, c.id`,
    [tenantId, now.toISOString(), staleBefore.toISOString(), limit, resting],
  );
}

/**
 * Gives back deliveries a run claimed and did not attempt: due as before, their attempt not
 * counted. Fenced by the claim, as an outcome is.
 */
export async function releaseDeliveries(s: SqlSession, tenantId: string, ids: readonly string[], claimedAt: Date) {
  await s.query(
    `UPDATE notification_deliveries
        SET status = 'pending', claimed_at = NULL, attempts = attempts - 1,
            first_attempt_at = CASE WHEN attempts = 1 THEN NULL ELSE first_attempt_at END
      WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'sending' AND claimed_at = $3`,
    [tenantId, ids, claimedAt.toISOString()],
  );
}

export interface AttemptOutcome {
  ok: boolean;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** For a failure: when to try again, or null when it has failed for good. */
  retryAt: Date | null;
}

/**
 * Writes one attempt's outcome on the deliveries it carried (a digest carries several), fenced by
 * the claim: a delivery another worker took over since is left to it.
 */
export async function recordAttempt(
  s: SqlSession,
  tenantId: string,
  deliveries: readonly { id: string; claimedAt: Date }[],
  outcome: AttemptOutcome,
  at: Date,
): Promise<number> {
  const rows = await s.query(
    `UPDATE notification_deliveries n
        SET status = CASE WHEN $3 THEN 'delivered' WHEN $7::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
            due_at = coalesce($7::timestamptz, n.due_at), last_attempt_at = $8::timestamptz, response_status = $4, latency_ms = $5,
            error = $6, delivered_at = CASE WHEN $3 THEN $8::timestamptz END, claimed_at = NULL
       FROM unnest($2::uuid[], $9::timestamptz[]) AS d (id, claimed_at)
      WHERE n.tenant_id = $1 AND n.id = d.id AND n.status = 'sending' AND n.claimed_at = d.claimed_at
     RETURNING n.id`,
    [
      tenantId,
      deliveries.map((d) => d.id),
      outcome.ok,
      outcome.responseStatus,
      outcome.latencyMs,
      outcome.error,
      outcome.retryAt?.toISOString() ?? null,
      at.toISOString(),
      deliveries.map((d) => d.claimedAt.toISOString()),
    ],
  );
  return rows.length;
}

/**
 * Counts an attempt on the destination: a success clears its failures; a failure starts or extends
 * its failing streak. Returns the streak as it now stands.
 */
export async function countDestinationAttempt(
  s: SqlSession,
  tenantId: string,
  destinationId: string,
  ok: boolean,
  at: Date,
): Promise<{ failing_since: Date | null; consecutive_failures: number } | undefined> {
  const [row] = await s.query<{ failing_since: Date | null; consecutive_failures: number }>(
    `UPDATE notification_destinations
        SET failing_since = CASE WHEN $3 THEN NULL ELSE coalesce(failing_since, $4) END,
            consecutive_failures = CASE WHEN $3 THEN 0 ELSE consecutive_failures + 1 END
      WHERE tenant_id = $1 AND id = $2
     RETURNING failing_since, consecutive_failures`,
    [tenantId, destinationId, ok, at.toISOString()],
  );
  return row;
}

export interface DeliveryLogRow {
  id: string;
  destination_id: string;
  event_id: string;
  event_type: string;
  cadence: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  response_status: number | null;
  latency_ms: number | null;
  error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  sort_key: string;
}

/** A destination's deliveries, newest first, `limit + 1` of them after the cursor. */
export function deliveryLog(
  s: SqlSession,
  tenantId: string,
  destinationId: string,
  page: { limit: number; cursor?: Keyset | undefined },
): Promise<DeliveryLogRow[]> {
  return s.query<DeliveryLogRow>(
    `SELECT n.id, n.destination_id, n.event_id, e.type AS event_type, n.cadence, n.status, n.attempts,
            CASE WHEN n.status IN ('pending', 'sending') THEN n.due_at END AS next_attempt_at, n.last_attempt_at,
            n.response_status, n.latency_ms, n.error, n.delivered_at, n.created_at, n.created_at::text AS sort_key
       FROM notification_deliveries n JOIN notification_events e ON e.tenant_id = n.tenant_id AND e.id = n.event_id
      WHERE n.tenant_id = $1 AND n.destination_id = $2
        AND ($3::timestamptz IS NULL OR (n.created_at, n.id) < ($3::timestamptz, $4::uuid))
      ORDER BY n.created_at DESC, n.id DESC
      LIMIT $5`,
    [tenantId, destinationId, page.cursor?.after ?? null, page.cursor?.id ?? null, page.limit + 1],
  );
}

/**
 * Sends a delivery again (a person's "resend"): due now, its 3 days of retries counted afresh.
 * Returns its destination, or undefined when no such delivery; one being sent right now is left be.
 */
export async function requeueDelivery(
  s: SqlSession,
  tenantId: string,
  deliveryId: string,
  at: Date,
): Promise<{ destination_id: string; status: string } | undefined> {
  const [row] = await s.query<{ destination_id: string; status: string }>(
    `UPDATE notification_deliveries
        SET status = CASE WHEN status = 'sending' THEN status ELSE 'pending' END,
            due_at = CASE WHEN status = 'sending' THEN due_at ELSE $3 END,
            first_attempt_at = CASE WHEN status = 'sending' THEN first_attempt_at END
      WHERE tenant_id = $1 AND id = $2
     RETURNING destination_id, status`,
    [tenantId, deliveryId, at.toISOString()],
  );
  return row;
}
