// How a change sent to an ad platform ends, for the delivery worker (src/services/platform-changes.ts):
// the ledger owns autonomous_actions, so the rows the platform's answer moves are moved here, each
// ending in the same transaction as its outbox row. Every write is fenced by the claim's attempt
// number (a worker that was only slow cannot overwrite a row another has taken over). An action
// that ends raises its notification event in the same transaction (src/notify/).
import type { SqlSession } from '../db/port.ts';
import type { ClaimedChange } from '../db/repositories/platform-changes.ts';
import { recordActionFailures } from '../notify/ledger-events.ts';
import { recordActionEvents } from '../notify/outbox.ts';

const FENCE = `tenant_id = $1 AND id = $2 AND status = 'sending' AND attempts = $3`;
const fence = (tenantId: string, row: ClaimedChange) => [tenantId, row.id, row.attempts];

// One statement: data-modifying CTEs all read the table as it was before the statement, so the
// action's other rows count as confirmed if they were before, or are among those confirmed here.
// A campaign's status and budget may both be confirmed at once: one link row, both values.
const CONFIRM = `
  WITH confirmed AS (
    UPDATE platform_changes p SET status = 'confirmed', confirmed_at = $4, last_error = NULL, updated_at = $4
      FROM unnest($2::uuid[], $3::int[]) AS f (id, attempts)
     WHERE p.tenant_id = $1 AND p.id = f.id AND p.status = 'sending' AND p.attempts = f.attempts
    RETURNING p.id, p.action_id, p.campaign_id, p.field, p.to_value, p.undoes_action_id),
  linked AS (
    UPDATE campaign_platform_links l
       SET platform_status = coalesce(d.status, l.platform_status),
           platform_daily_budget = coalesce(d.budget, l.platform_daily_budget), synced_at = $4
      FROM (SELECT campaign_id, max(CASE WHEN field = 'status' THEN to_value END) AS status,
                   max(CASE WHEN field = 'budget' THEN to_value END)::bigint AS budget
              FROM confirmed GROUP BY campaign_id) d
     WHERE l.tenant_id = $1 AND l.campaign_id = d.campaign_id),
  executed AS (
    UPDATE autonomous_actions a SET status = 'executed', executed_at = $4, error = NULL, updated_at = $4
     WHERE a.tenant_id = $1 AND a.id IN (SELECT action_id FROM confirmed) AND a.status = 'applying'
       AND NOT EXISTS (SELECT 1 FROM platform_changes p
                        WHERE p.tenant_id = $1 AND p.action_id = a.id AND p.status <> 'confirmed'
                          AND p.id NOT IN (SELECT id FROM confirmed))
    RETURNING a.id, a.campaign_id, a.new_state, a.decided_by, a.decided_by_api_key, a.decided_by_name),
  -- The fields each executed action moved, from all its outbox rows (some confirmed in earlier
  -- runs). The campaign's updated_at is the executed_at: auto-revive reads "nobody changed it since".
  moved AS (
    UPDATE campaigns c SET status = coalesce(d.status, c.status), budget = coalesce(d.budget, c.budget),
           version = c.version + 1, updated_at = $4
      FROM (SELECT e.campaign_id,
                   CASE WHEN bool_or(p.field = 'status') THEN e.new_state->>'status' END AS status,
                   CASE WHEN bool_or(p.field = 'budget') THEN (e.new_state->>'budget')::numeric END AS budget
              FROM executed e JOIN platform_changes p ON p.tenant_id = $1 AND p.action_id = e.id
             GROUP BY e.id, e.campaign_id, e.new_state) d
     WHERE c.tenant_id = $1 AND c.id = d.campaign_id),
  undone AS (
    UPDATE autonomous_actions u SET status = 'rolled_back', rolled_back_at = $4, rolled_back_by = e.decided_by,
           rolled_back_by_api_key = e.decided_by_api_key, rolled_back_by_name = e.decided_by_name, updated_at = $4
      FROM executed e JOIN (SELECT DISTINCT action_id, undoes_action_id FROM confirmed) r ON r.action_id = e.id
     WHERE u.tenant_id = $1 AND u.id = r.undoes_action_id AND u.status = 'executed')
  SELECT id, false AS executed FROM confirmed
  UNION ALL SELECT id, true FROM executed`;

/**
 * The platform holds these changes: each row is confirmed and its link records the platform's new
 * value; an action whose rows are all confirmed becomes executed and its campaign moves to the
 * action's new state (its version with it); a rollback's confirmation marks the action it undoes
 * rolled back. One statement for the batch, in the caller's transaction: the ledger rows, the
 * outbox rows, the campaigns and the executed actions' events commit together. Answers the ids of
 * the rows confirmed: one whose claim was lost (another worker took it over) is not.
 */
export async function confirmChanges(
  s: SqlSession,
  tenantId: string,
  rows: readonly ClaimedChange[],
  at: Date,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const ended = await s.query<{ id: string; executed: boolean }>(
    CONFIRM,
    [tenantId, rows.map((row) => row.id), rows.map((row) => row.attempts), at.toISOString()],
    { prepare: 'platform-changes.confirm' },
  );
  const executed = ended.filter((row) => row.executed).map((row) => row.id);
  await recordActionEvents(s, tenantId, executed, at);
  return new Set(ended.filter((row) => !row.executed).map((row) => row.id));
}

/**
 * The platform refused the change, or it conflicts with what the platform holds: the row fails,
 * and so does its ledger row (and its action's other rows still queued), with the words; the
 * action's failure is told once, when its ledger row fails (a rollback's: the rollback refused).
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
  const [ended] = await s.query(
    `UPDATE autonomous_actions SET status = 'failed', error = $3, updated_at = $4
      WHERE tenant_id = $1 AND id = $2 AND status = 'applying' RETURNING id`,
    [tenantId, row.action_id, reason, when],
  );
  if (ended) {
    const expected = row.undoes_action_id ? { [row.field]: row.from_value ?? undefined } : undefined;
    await recordActionFailures(s, tenantId, [{ actionId: row.action_id, error: reason, expected }], at);
  }
  return true;
}

export interface Requeue {
  row: ClaimedChange;
  retryAt: Date;
  /** Why it waits: the platform's words, or the guardrail's. */
  reason: string;
  /** Nothing was sent (a guardrail held it back), so the attempt is given back. */
  uncounted: boolean;
}

const REQUEUE = `
  WITH queued AS (
    UPDATE platform_changes p
       SET status = 'queued', next_attempt_at = f.retry_at, last_error = f.reason, claimed_at = NULL, updated_at = $7,
           attempts = p.attempts - CASE WHEN f.uncounted THEN 1 ELSE 0 END
      FROM unnest($2::uuid[], $3::int[], $4::timestamptz[], $5::text[], $6::bool[])
           AS f (id, attempts, retry_at, reason, uncounted)
     WHERE p.tenant_id = $1 AND p.id = f.id AND p.status = 'sending' AND p.attempts = f.attempts
    RETURNING p.id, p.action_id, f.reason),
  noted AS (
    UPDATE autonomous_actions a SET error = q.reason, updated_at = $7
      FROM queued q
     WHERE a.tenant_id = $1 AND a.id = q.action_id AND a.status = 'applying')
  SELECT id FROM queued`;

/**
 * Back to the queue until their `retryAt`, each with the reason it waits, also shown on its ledger
 * row (still 'applying'). One statement for the batch; answers the ids of the rows requeued (one
 * whose claim was lost is not).
 */
export async function requeueChanges(
  s: SqlSession,
  tenantId: string,
  requeues: readonly Requeue[],
  at: Date,
): Promise<Set<string>> {
  if (requeues.length === 0) return new Set();
  const queued = await s.query<{ id: string }>(
    REQUEUE,
    [
      tenantId,
      requeues.map((r) => r.row.id),
      requeues.map((r) => r.row.attempts),
      requeues.map((r) => r.retryAt.toISOString()),
      requeues.map((r) => r.reason),
      requeues.map((r) => r.uncounted),
      at.toISOString(),
    ],
    { prepare: 'platform-changes.requeue' },
  );
  return new Set(queued.map((row) => row.id));
}
