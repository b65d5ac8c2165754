// The ledger, for /api/actions: read newest first, and what a person does with an action (approve
// or dismiss a suggestion, roll back what was done), carried out by src/ledger/. Doing it again is
// a conflict: the action already is where the request would take it.
import type { Database } from '../db/port.ts';
import * as actions from '../db/repositories/actions.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { approveAction, dismissAction } from '../ledger/decide.ts';
import type { LedgerOutcome } from '../ledger/lock-action.ts';
import { rollbackAction } from '../ledger/rollback.ts';

export function listActions(db: Database, tenantId: string, filter: actions.ActionFilter) {
  return db.session((s) => actions.listActions(s, tenantId, filter));
}

export async function getAction(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => actions.getAction(s, tenantId, id));
  if (!row) throw new NotFoundError(`no action ${id}`);
  return row;
}

type Operation = (db: Database, tenantId: string, actionId: string, userId?: string) => Promise<LedgerOutcome>;

/** Each decision a person takes on an action: the ledger's operation, and the status it leads to. */
const DECISIONS = {
  approve: { operation: approveAction, done: 'executed' },
  dismiss: { operation: dismissAction, done: 'dismissed' },
  rollback: { operation: rollbackAction, done: 'rolled back' },
} satisfies Record<string, { operation: Operation; done: string }>;

export type Decision = keyof typeof DECISIONS;

/** Carries out the decision as the person behind `userId` (if the database knows them); the action as it is after it. */
export async function decideAction(
  db: Database,
  tenantId: string,
  id: string,
  decision: Decision,
  userId: string | null,
) {
  const { operation, done } = DECISIONS[decision];
  const user = await db.session((s) => actions.actingUser(s, userId));
  const outcome = await operation(db, tenantId, id, user);
  if (outcome.unchanged) {
    throw new ConflictError(`the action is already ${done}: nothing was changed`, [
      { field: 'status', message: `is ${outcome.status}` },
    ]);
  }
  return getAction(db, tenantId, id);
}
