// Deciding many suggestions at once: each action in a transaction of its own, through the same
// ledger operation as deciding it alone, so a refusal or a conflict on one is reported for it and
// leaves the others decided. Nothing is reported done that is not: an approval an ad platform
// carries out answers `applying` until the platform confirms (docs/ad-platforms.md).
import {
  BULK_OUTCOMES,
  type BulkDecisionRequest,
  type BulkDecisionResult,
  type BulkOutcome,
} from '../contract/action-bulk.ts';
import type { Database } from '../db/port.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { ActionConflictError, type Observed } from '../ledger/errors.ts';
import { actionStatus, type Caller, carryOut, decidedBy } from './actions.ts';

type Result = BulkDecisionResult['results'][number];

export async function decideActions(
  db: Database,
  tenantId: string,
  request: BulkDecisionRequest,
  caller: Caller,
): Promise<BulkDecisionResult> {
  const by = await decidedBy(db, caller);
  const results: Result[] = [];
  // One after another: concurrent approvals would contend for the same campaigns' locks.
  for (const id of request.ids) {
    try {
      const { status, unchanged } = await carryOut(db, tenantId, id, request.decision, by);
      const message = unchanged
        ? `already ${status}: nothing was changed`
        : status === 'applying'
          ? 'sent to the ad platform: applied once the platform confirms'
          : null;
      results.push({ id, outcome: unchanged ? 'unchanged' : 'done', status, message });
    } catch (error) {
      results.push(await refusal(db, tenantId, id, error, request.decision));
    }
  }
  const counts = Object.fromEntries(BULK_OUTCOMES.map((o) => [o, 0])) as Record<BulkOutcome, number>;
  for (const result of results) counts[result.outcome] += 1;
  return { decision: request.decision, results, counts };
}

/** What stopped one action, in the ledger's words, with the status the action kept. */
async function refusal(db: Database, tenantId: string, id: string, error: unknown, decision: string): Promise<Result> {
  if (error instanceof NotFoundError) return { id, outcome: 'not_found', status: null, message: error.message };
  const status = (await actionStatus(db, tenantId, id)) ?? null;
  if (error instanceof ActionConflictError) {
    const { expected, actual } = error;
    return {
      id,
      outcome: 'conflict',
      status,
      message: error.message,
      expected: known(expected),
      actual: known(actual),
    };
  }
  if (error instanceof ConflictError) return { id, outcome: 'refused', status, message: error.message };
  // Not the caller's mistake, and its transaction rolled back: nothing changed for this action.
  return { id, outcome: 'failed', status, message: `could not ${decision} it: an unexpected error, nothing changed` };
}

const known = (observed: Observed) =>
  Object.fromEntries(Object.entries(observed).filter(([, value]) => value !== undefined)) as Record<
    string,
    string | number
  >;
