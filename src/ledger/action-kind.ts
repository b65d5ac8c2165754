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

export interface ActionKind {
  /** Carries out an approved suggestion; absent for a kind that is never suggested. */
  apply?(s: SqlSession, tenantId: string, action: LedgerAction): Promise<void>;
  /** Undoes an executed action; absent for a kind that changes nothing (a notification, a rollback). */
  undo?(s: SqlSession, tenantId: string, action: LedgerAction): Promise<Undone>;
}
