// The events of ledger rows that end badly (docs/notifications.md), composed in SQL from the rows
// themselves, in the caller's transaction (src/notify/outbox.ts): an action that failed for good
// (an ad platform refused it, a social post could not go out) and a rollback refused because the
// campaign changed since. Each names the action, its campaign and the words of the refusal.
import type { SqlSession } from '../db/port.ts';
import type { Observed } from '../ledger/errors.ts';
import { writeEvents } from './outbox.ts';

const CAMPAIGN = `jsonb_build_object('id', c.id, 'title', c.title)`;

export interface ActionFailure {
  actionId: string;
  /** The words of the refusal, as the platform gave them. */
  error: string;
  /** For a rollback carried out by a platform: what it expected the platform to hold. */
  expected?: Observed;
}

/**
 * Actions that failed for good: each is an action failed, except a rollback's own row (one an ad
 * platform refused to carry out), which is a rollback refused, told of the action it would have
 * undone and who asked for it.
 */
export function recordActionFailures(
  s: SqlSession,
  tenantId: string,
  failures: readonly ActionFailure[],
  at?: Date,
): Promise<number> {
  if (failures.length === 0) return Promise.resolve(0);
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT CASE WHEN r.id IS NULL THEN 'action.failed' ELSE 'rollback.conflict' END AS type,
            CASE WHEN r.id IS NULL
                 THEN jsonb_build_object('action_id', a.id, 'action_type', a.action_type, 'campaign', ${CAMPAIGN},
                                         'reason', a.reason, 'error', f.error)
                 ELSE jsonb_build_object('action_id', r.id, 'action_type', r.action_type, 'rollback_id', a.id,
                                         'campaign', ${CAMPAIGN}, 'expected', f.expected, 'actual', NULL,
                                         'reason', f.error, 'error', f.error, 'requested_by', u.email)
            END AS data
       FROM unnest($3::uuid[], $4::text[], $5::jsonb[]) AS f (action_id, error, expected)
       JOIN autonomous_actions a ON a.tenant_id = $1 AND a.id = f.action_id
       JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
       LEFT JOIN autonomous_actions r
              ON a.action_type = 'rollback' AND r.tenant_id = a.tenant_id AND r.id = a.reverses_action_id
       LEFT JOIN users u ON u.id = a.decided_by`,
    [
      failures.map((f) => f.actionId),
      failures.map((f) => f.error),
      failures.map((f) => (f.expected ? JSON.stringify(f.expected) : null)),
    ],
  );
}

export interface RefusedRollback {
  /** The refusal's words. */
  message: string;
  /** What the rollback needs the campaign to hold, and what it holds. */
  expected: Observed;
  actual: Observed;
}

/** A rollback of `actionId` refused because its target changed since; `requestedBy` a user's id. */
export function recordRollbackConflict(
  s: SqlSession,
  tenantId: string,
  actionId: string,
  refused: RefusedRollback,
  requestedBy: string | null,
  at?: Date,
): Promise<number> {
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT 'rollback.conflict' AS type,
            jsonb_build_object('action_id', a.id, 'action_type', a.action_type, 'campaign', ${CAMPAIGN},
                               'expected', $4::jsonb, 'actual', $5::jsonb, 'reason', $6::text,
                               'requested_by', (SELECT email FROM users WHERE id = $7::uuid)) AS data
       FROM autonomous_actions a
       JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
      WHERE a.tenant_id = $1 AND a.id = $3`,
    [actionId, JSON.stringify(refused.expected), JSON.stringify(refused.actual), refused.message, requestedBy],
  );
}
