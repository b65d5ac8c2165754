// Deciding a pending suggestion: approving carries it out through its kind (if its target still
// holds the state it was suggested for), dismissing just closes it. Deciding it again the same way
// is a no-op.
import type { Database, SqlSession } from '../db/port.ts';
import { recordActionEvents } from '../notify/outbox.ts';
import type { BatchChange, LedgerAction } from './action-kind.ts';
import type { DecidedBy } from './decided-by.ts';
import { ActionStatusError } from './errors.ts';
import { type LedgerOutcome, lockAction } from './lock-action.ts';
import { actionKind } from './registry.ts';

/**
 * Approves ('executed') or dismisses a suggestion in the caller's transaction: for a caller that
 * must commit something of its own with the decision (a message's link, marked used).
 */
export async function decideSuggestion(
  s: SqlSession,
  tenantId: string,
  actionId: string,
  decision: 'executed' | 'dismissed',
  by: DecidedBy,
): Promise<LedgerOutcome> {
  const action = await lockAction(s, tenantId, actionId);
  if (action.status === decision) return { action_id: actionId, status: action.status, unchanged: true };
  const done = decision === 'executed' ? 'approved' : 'dismissed';
  if (action.status !== 'pending') {
    throw new ActionStatusError(`only pending suggestions can be ${done}; this one is ${action.status}`);
  }
  // Dismissing changes nothing but the ledger row: a suggestion was never applied.
  let status: string = decision;
  if (decision === 'executed') {
    const kind = actionKind(action.action_type);
    if (!kind.apply) throw new ActionStatusError(`a ${action.action_type} action has nothing to carry out`);
    // A change an ad platform makes: the row waits as 'applying' until the platform confirms it.
    if ((await kind.apply(s, tenantId, action))?.awaiting) status = 'applying';
  }
  await s.query(
    `UPDATE autonomous_actions
        SET status = $3, decided_by = $4, decided_by_api_key = $5, decided_by_name = $6, updated_at = now(),
            executed_at = CASE WHEN $3 = 'executed' THEN now() ELSE executed_at END
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, actionId, status, by.userId ?? null, by.apiKeyId ?? null, by.name ?? null],
  );
  if (status === 'executed') await recordActionEvents(s, tenantId, [actionId]);
  if (status === 'applying') {
    await actionKind(action.action_type).enqueueMany?.(s, tenantId, [changeOf(action)], new Date());
  }
  return { action_id: actionId, status, unchanged: false };
}

/** One row as the change a kind queues (the same shape as a batch's). */
export function changeOf(action: LedgerAction, id = action.id): BatchChange {
  return {
    actionId: id,
    campaignId: action.campaign_id,
    reason: action.reason,
    previousState: action.previous_state,
    newState: action.new_state,
  };
}

export function approveAction(db: Database, tenantId: string, actionId: string, by: DecidedBy = {}) {
  return db.transaction((s) => decideSuggestion(s, tenantId, actionId, 'executed', by));
}

export function dismissAction(db: Database, tenantId: string, actionId: string, by: DecidedBy = {}) {
  return db.transaction((s) => decideSuggestion(s, tenantId, actionId, 'dismissed', by));
}
