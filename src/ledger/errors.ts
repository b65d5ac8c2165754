// What the ledger's operations (rollback, approve, dismiss) refuse with: domain errors, which the
// API maps to problems in one place (src/server/problem-from-error.ts).
import { ConflictError, NotFoundError } from '../domain/errors.ts';

/** What a conflict shows: campaign fields, or e.g. the status of a post already published. */
export type Observed = Record<string, string | number | undefined>;

export class ActionNotFoundError extends NotFoundError {
  override name = 'ActionNotFoundError';
}

/** The action is not in a status that allows the operation (e.g. approving an executed one). */
export class ActionStatusError extends ConflictError {
  override name = 'ActionStatusError';
}

/**
 * The campaign changed since the action: `expected` is what the action needs, `actual` what is
 * there; `errors` names each field either speaks of.
 */
export class ActionConflictError extends ConflictError {
  override name = 'ActionConflictError';
  readonly expected: Observed;
  readonly actual: Observed;
  constructor(message: string, expected: Observed, actual: Observed) {
    const fields = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    super(
      message,
      fields.map((field) => ({
        field,
        message: `expected ${expected[field] ?? 'nothing'}, is ${actual[field] ?? 'nothing'}`,
      })),
    );
    this.expected = expected;
    this.actual = actual;
  }
}
