// How a change sent to an ad platform ends, for the delivery worker (src/services/platform-changes.ts):
// the ledger owns autonomous_actions, so the rows the platform's answer moves are moved here, each
// ending in one transaction with its outbox row. Every write is fenced by the claim's attempt
// number (a worker that was only slow cannot overwrite a row another has taken over).
import type { SqlSession } from '../db/port.ts';
import type { ClaimedChange } from '../db/repositories/platform-changes.ts';

const FENCE = `tenant_id = $1 AND id = $2 AND status = 'sending' AND attempts = $3`;
const fence = (tenantId: string, row: ClaimedChange) => [tenantId, row.id, row.attempts];

/**
 * The platform holds the change: the row is confirmed, the link records the platform's new value,
 * and once every row of the action is confirmed the ledger row is executed and the campaign moves
 * to its new state (its version with it); a rollback's confirmation marks the action it undoes
 * rolled back. False when the claim was lost (another worker took the row over).
 */
export async function confirmChange(s: SqlSession, tenantId: string, row: ClaimedChange, at: Date): Promise<boolean> {
  const when = at.toISOString();
  const [confirmed] = await s.query<{ id: string }>(
    `UPDATE platform_changes SET status = 'confirmed', confirmed_at = $4, last_error = NULL, updated_at = $4
      WHERE ${FENCE} RETURNING id`,
    [...fence(tenantId, row), when],
  );
  if (!confirmed) return false;
  await s.query(
    `UPDATE campaign_platform_links
        SET platform_status = coalesce($3, platform_status),
            platform_daily_budget = coalesce($4::bigint, platform_daily_budget), synced_at = $5
      WHERE tenant_id = $1 AND campaign_id = $2`,
    [
      tenantId,
      row.campaign_id,
      row.field === 'status' ? row.to_value : null,
      row.field === 'budget' ? row.to_value : null,
      when,
    ],
  );
  const [open] = await s.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM platform_changes
      WHERE tenant_id = $1 AND action_id = $2 AND status <> 'confirmed'`,
    [tenantId, row.action_id],
  );
  if ((open?.n ?? 0) > 0) return true;
  const [action] = await s.query<{ new_state: Record<string, unknown>; decided_by: string | null }>(
    `UPDATE autonomous_actions SET status = 'executed', executed_at = $3, error = NULL, updated_at = $3
      WHERE tenant_id = $1 AND id = $2 AND status = 'applying'
     RETURNING new_state, decided_by`,
    [tenantId, row.action_id, when],
  );
  if (!action) return true;
  const fields = await s.query<{ field: string }>(
    'SELECT DISTINCT field FROM platform_changes WHERE tenant_id = $1 AND action_id = $2',
    [tenantId, row.action_id],
  );
  const moves = new Set(fields.map((f) => f.field));
  const state = action.new_state;
  // The campaign's updated_at is the action's executed_at: auto-revive reads "nobody changed it since".
  await s.query(
    `UPDATE campaigns SET status = coalesce($3, status), budget = coalesce($4::numeric, budget),
            version = version + 1, updated_at = $5
      WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      row.campaign_id,
      moves.has('status') ? String(state.status) : null,
      moves.has('budget') ? String(state.budget) : null,
      when,
    ],
  );
  if (row.undoes_action_id) {
    await s.query(
      `UPDATE autonomous_actions SET status = 'rolled_back', rolled_back_at = $3, rolled_back_by = $4, updated_at = $3
        WHERE tenant_id = $1 AND id = $2 AND status = 'executed'`,
      [tenantId, row.undoes_action_id, when, action.decided_by],
    );
  }
  return true;
}

/**
 * The platform refused the change, or it conflicts with what the platform holds: the row fails,
 * and so does its ledger row (and its action's other rows still queued), with the words.
 */
export async function failChange(
  s: SqlSession,
  tenantId: string,
  row: ClaimedChange,
  reason: string,
  at: Date,
): Promise<boolean> {
  const when = at.toISOString();
  const [failed] = await s.query<{ id: string }>(
    `UPDATE platform_changes SET status = 'failed', last_error = $4, updated_at = $5 WHERE ${FENCE} RETURNING id`,
    [...fence(tenantId, row), reason, when],
  );
  if (!failed) return false;
  await s.query(
    `UPDATE platform_changes SET status = 'failed', last_error = 'another change of the same action failed: ' || $3,
            updated_at = $4
      WHERE tenant_id = $1 AND action_id = $2 AND status = 'queued'`,
    [tenantId, row.action_id, reason, when],
  );
  await s.query(
    `UPDATE autonomous_actions SET status = 'failed', error = $3, updated_at = $4
      WHERE tenant_id = $1 AND id = $2 AND status = 'applying'`,
    [tenantId, row.action_id, reason, when],
  );
  return true;
}

/**
 * Back to the queue until `retryAt`, with the reason it waits, also shown on the ledger row (still
 * 'applying'). `uncounted`: nothing was sent (a guardrail held it back), so the attempt is given back.
 */
export async function requeueChange(
  s: SqlSession,
  tenantId: string,
  row: ClaimedChange,
  wait: { retryAt: Date; reason: string; uncounted?: boolean },
  at: Date,
): Promise<boolean> {
  const when = at.toISOString();
  const [queued] = await s.query<{ id: string }>(
    `UPDATE platform_changes
        SET status = 'queued', next_attempt_at = $4, last_error = $5, claimed_at = NULL, updated_at = $6,
            attempts = attempts - CASE WHEN $7 THEN 1 ELSE 0 END
      WHERE ${FENCE} RETURNING id`,
    [...fence(tenantId, row), wait.retryAt.toISOString(), wait.reason, when, wait.uncounted === true],
  );
  if (!queued) return false;
  await s.query(
    `UPDATE autonomous_actions SET error = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'applying'`,
    [tenantId, row.action_id, wait.reason, when],
  );
  return true;
}
