// What the ledger's operations (rollback, approve, dismiss) refuse with; the API maps each to its status.

/** What a conflict shows: campaign fields, or e.g. the status of a post already published. */
export type Observed = Record<string, string | number | undefined>;

export class ActionNotFoundError extends Error {
  override name = 'ActionNotFoundError';
}

/** The action is not in a status that allows the operation (e.g. approving an executed one). */
export class ActionStatusError extends Error {
  override name = 'ActionStatusError';
}

/** The campaign changed since the action: `expected` is what the action needs, `actual` what is there. */
export class ActionConflictError extends Error {
  override name = 'ActionConflictError';
  readonly expected: Observed;
  readonly actual: Observed;
  constructor(message: string, expected: Observed, actual: Observed) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }
}
