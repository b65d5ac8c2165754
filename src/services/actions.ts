// The ledger, for /api/actions: read newest first, and what a person does with an action (approve
// or dismiss a suggestion, roll back what was done), carried out by src/ledger/. Doing it again is
// a conflict: the action already is where the request would take it.
import type { Database } from '../db/port.ts';
import * as actions from '../db/repositories/actions.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { approveAction, dismissAction } from '../ledger/decide.ts';
import type { DecidedBy } from '../ledger/decided-by.ts';
import { ActionConflictError } from '../ledger/errors.ts';
import type { LedgerOutcome } from '../ledger/lock-action.ts';
import { rollbackAction } from '../ledger/rollback.ts';
import { recordRollbackConflict } from '../notify/ledger-events.ts';

export function listActions(db: Database, tenantId: string, filter: actions.ActionFilter) {
  return db.session((s) => actions.listActions(s, tenantId, filter));
}

export async function getAction(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => actions.getAction(s, tenantId, id));
  if (!row) throw new NotFoundError(`no action ${id}`);
  return row;
}

type Operation = (db: Database, tenantId: string, actionId: string, by: DecidedBy) => Promise<LedgerOutcome>;

/** Each decision a person takes on an action: the ledger's operation, and the status it leads to. */
const DECISIONS = {
  approve: { operation: approveAction, done: 'executed' },
  dismiss: { operation: dismissAction, done: 'dismissed' },
  rollback: { operation: rollbackAction, done: 'rolled back' },
} satisfies Record<string, { operation: Operation; done: string }>;

export type Decision = keyof typeof DECISIONS;

/** The caller as the API knows them: the user behind a token, or the API key a script signed in with. */
export interface Caller {
  userId: string | null;
  apiKeyId?: string;
}

/** Who the ledger records as deciding: the user if the database knows them, else the key, else nobody. */
export async function decidedBy(db: Database, caller: Caller): Promise<DecidedBy> {
  const userId = await db.session((s) => actions.actingUser(s, caller.userId));
  return { userId, apiKeyId: userId ? undefined : caller.apiKeyId };
}

/**
 * The ledger's operation as `by` (it throws its refusals). A rollback refused because the campaign
 * changed since is told (rollback.conflict) in a transaction of its own, the refused one having
 * rolled back.
 */
export async function carryOut(db: Database, tenantId: string, id: string, decision: Decision, by: DecidedBy) {
  try {
    return await DECISIONS[decision].operation(db, tenantId, id, by);
  } catch (error) {
    if (decision === 'rollback' && error instanceof ActionConflictError) {
      await db.transaction((s) => recordRollbackConflict(s, tenantId, id, error, by.userId ?? null));
    }
    throw error;
  }
}

/** Carries out the decision as the caller; the action as it is after it. */
export async function decideAction(db: Database, tenantId: string, id: string, decision: Decision, caller: Caller) {
  const outcome = await carryOut(db, tenantId, id, decision, await decidedBy(db, caller));
  if (outcome.unchanged) {
    throw new ConflictError(`the action is already ${DECISIONS[decision].done}: nothing was changed`, [
      { field: 'status', message: `is ${outcome.status}` },
    ]);
  }
  return getAction(db, tenantId, id);
}

/** The action's status now; undefined when the tenant has no such action. */
export async function actionStatus(db: Database, tenantId: string, id: string) {
  return (await db.session((s) => actions.getAction(s, tenantId, id)))?.status;
}
