// Postgres refusing a value the API let through (a reference to a row that does not exist, a
// duplicate of a unique key, a number beyond the column's range) is the client's mistake, not
// ours: it answers 4xx naming the field, and the failed statement has changed nothing. A collision
// with a concurrent transaction answers 503 with Retry-After.
import { type FieldError, ProblemError } from './problem.ts';

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
  // Class 22, data exceptions: a value out of the column's range or format.
  if (error.code.startsWith('22')) {
    return new ProblemError(422, `a value is out of range or malformed: ${error.message}`, {
      errors: fields([], error.message),
    });
  }
  return undefined;
}
