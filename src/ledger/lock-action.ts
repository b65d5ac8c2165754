// What acting on a ledger row after the fact (rollback, approval, dismissal) starts with and answers.
import type { SqlSession } from '../db/port.ts';
import type { LedgerAction } from './action-kind.ts';
import { ActionNotFoundError } from './errors.ts';

export interface LedgerOutcome {
  action_id: string;
  status: string;
  /** True when the operation had already happened: nothing was changed this time. */
  unchanged: boolean;
}

export async function lockAction(s: SqlSession, tenantId: string, actionId: string): Promise<LedgerAction> {
  const [row] = await s.query<LedgerAction>(
    `SELECT id, campaign_id, rule_id, action_type, reason, status, previous_state, new_state
       FROM autonomous_actions WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, actionId],
  );
  if (!row) throw new ActionNotFoundError(`no action ${actionId}`);
  return row;
}
