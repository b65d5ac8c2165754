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
  /** Carries out an approved suggestion; absent for a kind that is never suggested. */
  apply?(s: SqlSession, tenantId: string, action: LedgerAction): Promise<void>;
  /**
   * Carries out a batch of decisions in place before their rows are written, one statement over
   * arrays: each only where its target still holds the previous state. Returns the action ids it
   * carried out; the others are neither made nor recorded.
   */
  applyMany?(s: SqlSession, tenantId: string, changes: readonly BatchChange[], at: Date): Promise<ReadonlySet<string>>;
  /**
   * Queues, after their rows are written, the work that names them (a social post; a change to be
   * made on an ad platform): carried out later, by a worker, against the row.
   */
  enqueueMany?(s: SqlSession, tenantId: string, changes: readonly BatchChange[], at: Date): Promise<void>;
  /** Undoes an executed action; absent for a kind that changes nothing (a notification, a rollback). */
  undo?(s: SqlSession, tenantId: string, action: LedgerAction): Promise<Undone>;
}
