// Postgres refusing a value the API let through (a reference to a row that does not exist, a
// duplicate of a unique key, a number beyond the column's range) is the client's mistake, not
// ours: it answers 4xx naming the field, and the failed statement has changed nothing. A collision
// with a concurrent transaction, or work that ran past its bounds, answers 503; a tenant's run
// already in progress answers 409 with Retry-After.

import type { FieldError } from '../contract/problem.ts';
import { LockWaitTimeoutError, WorkCancelledError } from '../db/work-locks.ts';
import { ProblemError } from './problem.ts';

interface PostgresError {
  code: string;
  detail?: string;
  table?: string;
  constraint?: string;
  message: string;
}

function isPostgresError(error: unknown): error is PostgresError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Unique indexes whose names do not follow Postgres's `<table>_<columns>_key` pattern. */
const INDEX_COLUMNS: Record<string, string[]> = { contacts_email_uq: ['email'] };

/**
 * The key's columns, without the tenant (the caller's own). Under row-level security Postgres
 * leaves the `Key (…)=(…)` detail out, so the columns come from the constraint's generated name,
 * `<table>_<columns>_fkey` or `_key`.
 */
function keyColumns(error: PostgresError): string[] {
  const fromDetail = error.detail?.match(/^Key \(([^)]+)\)=/)?.[1]?.split(',');
  const named = error.constraint ? INDEX_COLUMNS[error.constraint] : undefined;
  const fromName = error.constraint
    ?.match(/^(.*)_(?:fkey|key)$/)?.[1]
    ?.replace(error.table ? `${error.table}_` : '', '')
    .replace(/^tenant_id_/, '');
  const columns = fromDetail ?? named ?? (fromName ? [fromName] : []);
  return columns.map((c) => c.trim().replace(/^lower\((.*)\)$/, '$1')).filter((c) => c !== 'tenant_id');
}

function fields(columns: string[], message: string): FieldError[] {
  return (columns.length > 0 ? columns : ['body']).map((field) => ({ field, in: 'body' as const, message }));
}

/** A ProblemError for a client-caused database error, or undefined for anything else. */
export function problemFromDatabaseError(error: unknown): ProblemError | undefined {
  // A tenant's run already in progress, or an administrator's cancel: nothing was written.
  if (error instanceof LockWaitTimeoutError) {
    return new ProblemError(409, error.message, { headers: { 'retry-after': '30' } });
  }
  if (error instanceof WorkCancelledError) return new ProblemError(409, `${error.message}; nothing was written`);
  if (!isPostgresError(error)) return undefined;
  const columns = keyColumns(error);
  switch (error.code) {
    case '23503': // foreign_key_violation
      return new ProblemError(422, `${columns.join(', ') || 'a reference'} names nothing that exists`, {
        errors: fields(columns, 'names nothing that exists'),
      });
    case '23505': // unique_violation
      return new ProblemError(409, `${columns.join(', ') || 'the key'} is already taken`, {
        errors: fields(columns, 'already taken'),
      });
    case '23514': // check_violation
    case '23502': // not_null_violation
      return new ProblemError(422, `a value breaks the rule ${error.constraint ?? error.message}`, {
        errors: fields([], error.message),
      });
  }
  // Not the client's mistake, and gone on a retry: a deadlock or serialization failure with a
  // concurrent request (the transaction was rolled back, so nothing was written).
  if (error.code === '40P01' || error.code === '40001') {
    return new ProblemError(503, 'the request collided with a concurrent one and was rolled back; retry it', {
      headers: { 'retry-after': '1' },
    });
  }
  // The bounds on long work (src/domain/run-limits.ts): rolled back, so nothing was written.
  if (error.code === '55P03') {
    return new ProblemError(
      503,
      'a row this needs stayed locked by another transaction past the lock timeout; retry it',
      {
        headers: { 'retry-after': '5' },
      },
    );
  }
  if (error.code === '57014') {
    return new ProblemError(503, 'the work ran past its statement timeout and was cancelled; nothing was written');
  }
  // Class 22, data exceptions: a value out of the column's range or format.
  if (error.code.startsWith('22')) {
    return new ProblemError(422, `a value is out of range or malformed: ${error.message}`, {
      errors: fields([], error.message),
    });
  }
  return undefined;
}
