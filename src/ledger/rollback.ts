// Rolling an executed action back: its kind undoes it (if its target still holds what the action
// left), the row is marked rolled back, and the rollback leaves a ledger row of its own, all in
// one transaction.
import { randomUUID } from 'node:crypto';
import type { Database, SqlSession } from '../db/port.ts';
import type { LedgerAction, Undone } from './action-kind.ts';
import type { DecidedBy } from './decided-by.ts';
import { ActionStatusError } from './errors.ts';
import { type LedgerOutcome, lockAction } from './lock-action.ts';
import { recordActions } from './record.ts';
import { actionKind } from './registry.ts';

export function rollbackAction(
  db: Database,
  tenantId: string,
  actionId: string,
  by: DecidedBy = {},
): Promise<LedgerOutcome> {
  return db.transaction((s) => rollbackInSession(s, tenantId, actionId, by));
}

/** The rollback in the caller's transaction, for a caller that commits something of its own with it. */
export async function rollbackInSession(
  s: SqlSession,
  tenantId: string,
  actionId: string,
  by: DecidedBy,
): Promise<LedgerOutcome> {
  const action = await lockAction(s, tenantId, actionId);
  if (action.status === 'rolled_back') return { action_id: actionId, status: action.status, unchanged: true };
  if (action.status !== 'executed') {
    throw new ActionStatusError(`only executed actions can be rolled back; this one is ${action.status}`);
  }
  const kind = actionKind(action.action_type);
  if (!kind.undo) throw new ActionStatusError(`a ${action.action_type} action changed nothing that can be rolled back`);
  const undone = await kind.undo(s, tenantId, action);
  if (undone.awaiting) return rollbackThroughPlatform(s, tenantId, action, undone, by);
  await s.query(
    `UPDATE autonomous_actions SET status = 'rolled_back', rolled_back_at = now(), rolled_back_by = $3,
            rolled_back_by_api_key = $4, rolled_back_by_name = $5, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, actionId, by.userId ?? null, by.apiKeyId ?? null, by.name ?? null],
  );
  await recordActions(s, tenantId, decidedBy(by), [
    {
      campaignId: action.campaign_id,
      ruleId: action.rule_id,
      actionType: 'rollback',
      reason: `Rolled back ${action.action_type} ${actionId}: ${undone.words}.`,
      previousState: undone.from,
      newState: undone.to,
      status: 'executed',
    },
  ]);
  return { action_id: actionId, status: 'rolled_back', unchanged: false };
}

/**
 * A rollback an ad platform carries out (a linked campaign): its own row is recorded 'applying',
 * naming the action it reverses, and its change queued. The action stays executed until the
 * platform confirms; then the worker marks it rolled back (src/services/platform-changes.ts).
 */
async function rollbackThroughPlatform(
  s: SqlSession,
  tenantId: string,
  action: LedgerAction,
  undone: Undone,
  by: DecidedBy,
): Promise<LedgerOutcome> {
  const id = randomUUID();
  const reason = `Rolled back ${action.action_type} ${action.id}: ${undone.words}.`;
  await recordActions(s, tenantId, decidedBy(by), [
    {
      id,
      campaignId: action.campaign_id,
      ruleId: action.rule_id,
      actionType: 'rollback',
      reason,
      previousState: undone.from,
      newState: undone.to,
      status: 'applying',
      reversesActionId: action.id,
    },
  ]);
  const change = {
    actionId: id,
    campaignId: action.campaign_id,
    reason,
    previousState: undone.from as Record<string, unknown>,
    newState: undone.to as Record<string, unknown>,
  };
  await actionKind(action.action_type).enqueueMany?.(s, tenantId, [change], new Date());
  return { action_id: action.id, status: 'applying', unchanged: false };
}

/** The rollback's own row is decided by whoever rolled back (the platform worker copies it on). */
const decidedBy = (by: DecidedBy) => ({
  decidedBy: by.userId ?? null,
  decidedByApiKey: by.apiKeyId ?? null,
  decidedByName: by.name ?? null,
});
