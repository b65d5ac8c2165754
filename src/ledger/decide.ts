// Deciding a pending suggestion: approving carries it out through its kind (if its target still
// holds the state it was suggested for), dismissing just closes it. Deciding it again the same way
// is a no-op.
import type { Database } from '../db/port.ts';
import { ActionStatusError } from './errors.ts';
import { type LedgerOutcome, lockAction } from './lock-action.ts';
import { actionKind } from './registry.ts';

async function decideSuggestion(
  db: Database,
  tenantId: string,
  actionId: string,
  decision: 'executed' | 'dismissed',
  userId?: string,
): Promise<LedgerOutcome> {
  return db.transaction(async (s) => {
    const action = await lockAction(s, tenantId, actionId);
    if (action.status === decision) return { action_id: actionId, status: action.status, unchanged: true };
    const done = decision === 'executed' ? 'approved' : 'dismissed';
    if (action.status !== 'pending') {
      throw new ActionStatusError(`only pending suggestions can be ${done}; this one is ${action.status}`);
    }
    // Dismissing changes nothing but the ledger row: a suggestion was never applied.
    if (decision === 'executed') {
      const { apply } = actionKind(action.action_type);
      if (!apply) throw new ActionStatusError(`a ${action.action_type} action has nothing to carry out`);
      await apply(s, tenantId, action);
    }
    await s.query(
      `UPDATE autonomous_actions
          SET status = $3, decided_by = $4, updated_at = now(),
              executed_at = CASE WHEN $3 = 'executed' THEN now() ELSE executed_at END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, actionId, decision, userId ?? null],
    );
    return { action_id: actionId, status: decision, unchanged: false };
  });
}

export function approveAction(db: Database, tenantId: string, actionId: string, userId?: string) {
  return decideSuggestion(db, tenantId, actionId, 'executed', userId);
}

export function dismissAction(db: Database, tenantId: string, actionId: string, userId?: string) {
  return decideSuggestion(db, tenantId, actionId, 'dismissed', userId);
}
