// What the ledger needs to know about one kind of change to act on its rows after the fact: how an
// approved suggestion is carried out on its target, and how an executed change is undone. Each
// checks first that the target still holds what the row says it found (or left), locking it, and
// refuses with an ActionConflictError otherwise: a person or another writer may have moved it since.
import type { SqlSession } from '../db/port.ts';

/** A ledger row as rollback and approval read it (locked). */
export interface LedgerAction {
  id: string;
  campaign_id: string;
  rule_id: string | null;
  action_type: string;
  reason: string;
  status: string;
  previous_state: Record<string, unknown>;
  new_state: Record<string, unknown>;
}

export interface Undone {
  /** The state before the rollback and after it: the rollback's own ledger row records both. */
  from: object;
  to: object;
  /** How the rollback's row words what it did. */
  words: string;
  /**
   * The change is made later, by a worker, once an ad platform confirms it (a linked campaign):
   * the rollback's row waits as 'applying' and the action stays executed until then.
   */
  awaiting?: boolean;
}

/** An approved suggestion the kind handed on to a worker: its row waits as 'applying'. */
export interface Awaiting {
  awaiting: true;
}

/**
 * What a batch's kind did with its changes: carried out in place (`made`), or accepted and handed
 * on to a worker that carries them out on an ad platform (`awaiting`: recorded 'applying').
 */
export interface BatchApplied {
  made: ReadonlySet<string>;
  awaiting: ReadonlySet<string>;
}

/** One executed decision of a batch (a cycle's, a CMO loop run's), as its kind carries it out. */
export interface BatchChange {
  /** The id its ledger row will have. */
  actionId: string;
  campaignId: string;
  reason: string;
  previousState: Record<string, unknown>;
  newState: Record<string, unknown>;
}

export interface ActionKind {
  /**
   * Carries out an approved suggestion; absent for a kind that is never suggested. Answers
   * `{ awaiting: true }` when the change is carried out later by a worker (then enqueueMany is
   * called with it once its row says 'applying').
   */
  apply?(s: SqlSession, tenantId: string, action: LedgerAction): Promise<Awaiting | undefined>;
  /**
   * Carries out a batch of decisions in place before their rows are written, one statement over
   * arrays: each only where its target still holds the previous state. Returns the action ids it
   * carried out (or, as a BatchApplied, also those it handed on to a worker); the others are
   * neither made nor recorded.
   */
  applyMany?(
    s: SqlSession,
    tenantId: string,
    changes: readonly BatchChange[],
    at: Date,
  ): Promise<ReadonlySet<string> | BatchApplied>;
  /**
   * Queues, after their rows are written, the work that names them (a social post; a change to be
   * made on an ad platform): carried out later, by a worker, against the row. Also called with an
   * approved suggestion or a rollback whose change awaits a worker.
   */
  enqueueMany?(s: SqlSession, tenantId: string, changes: readonly BatchChange[], at: Date): Promise<void>;
  /** Undoes an executed action; absent for a kind that changes nothing (a notification, a rollback). */
  undo?(s: SqlSession, tenantId: string, action: LedgerAction): Promise<Undone>;
}
