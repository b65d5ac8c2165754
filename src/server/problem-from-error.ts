// The one place an error becomes a problem: a route's own ProblemError as it is, a domain error
// (src/domain/errors.ts) by its kind, a client-caused database error by its code. Anything else
// is ours, and answers 500.
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  MalformedInputError,
  NotFoundError,
  StaleVersionError,
  UpstreamUnavailableError,
} from '../domain/errors.ts';
import { ActionConflictError } from '../ledger/errors.ts';
import { problemFromDatabaseError } from './database-errors.ts';
import { invalid, ProblemError } from './problem.ts';

/** The problem the error answers with, or undefined for an error that is not the client's. */
export function problemFromError(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof NotFoundError) return new ProblemError(404, error.message);
  if (error instanceof ForbiddenError) return new ProblemError(403, error.message);
  // The version now, as the ETag a retry sends back in If-Match.
  if (error instanceof StaleVersionError) {
    return new ProblemError(409, error.message, { errors: error.errors, headers: { etag: `"${error.current}"` } });
  }
  // What the ledger found instead of what the action needs, as extension members beside the fields.
  if (error instanceof ActionConflictError) {
    const extensions = { expected: error.expected, actual: error.actual };
    return new ProblemError(409, error.message, { errors: error.errors, extensions });
  }
  if (error instanceof ConflictError) return new ProblemError(409, error.message, { errors: error.errors });
  if (error instanceof InvalidInputError) {
    return error.summary === undefined
      ? invalid(error.errors)
      : new ProblemError(422, error.summary, { errors: error.errors });
  }
  if (error instanceof MalformedInputError) return new ProblemError(400, error.message, { errors: error.errors });
  if (error instanceof UpstreamUnavailableError) return new ProblemError(502, error.message);
  return problemFromDatabaseError(error);
}
