// The database port: one narrow interface with two adapters (embedded PGlite, a Postgres server).
// Everything reaches the database through a SqlSession: raw SQL for set-based statements, typed
// CRUD built with Kysely and run on the same session (src/db/typed.ts; docs/architecture.md).
// `Database` is what every form of the database provides (the adapters, a tenant scope, the
// connection under a work lock, a bounded view); `SystemDatabase` adds what only the process that
// opened it owns (the job store).
import type { PGlite } from '@electric-sql/pglite';
import type { WorkLocks } from './work-locks.ts';

export type DbKind = 'pglite' | 'postgres';

/** One connection, held exclusively for the duration of a callback. */
export interface SqlSession {
  /**
   * A parameterised statement ($1, $2, ...). `options.prepare` names it as a server-side prepared
   * statement, parsed and planned once per connection: for a hot statement of fixed text only
   * (each name must always carry the same text; every name stays on every connection).
   */
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<Row[]>;
  /** Several statements without parameters (migration files). */
  exec(text: string): Promise<void>;
  /** Streams CSV text (no header) into `table (columns)` with COPY; returns the rows copied. */
  copyCsv(
    table: string,
    columns: readonly string[],
    csvChunks: AsyncIterable<string> | Iterable<string>,
  ): Promise<number>;
}

export interface QueryOptions {
  prepare?: string;
}

export interface TransactionOptions {
  /**
   * Statements without parameters run first in the transaction, sent with BEGIN in one round trip
   * where the adapter can (settings for the transaction, such as a tenant scope).
   */
  begin?: string;
  /** One snapshot for every statement: a plan read in several statements sees one state. */
  isolation?: 'repeatable read';
  /** Bounds on the server's work (statement_timeout, lock_timeout), for this transaction only. */
  bounds?: WorkBounds;
  /**
   * Aborting it ends the transaction: no further statement starts, and a server cancels the one
   * running (the embedded engine cannot interrupt a statement: it stops at the next one).
   */
  signal?: AbortSignal;
  /**
   * Ends in ROLLBACK whatever `work` returns: work that writes in place to see what would happen
   * (a rule's preview) returns its findings and keeps nothing.
   */
  rollback?: boolean;
}

export interface WorkBounds {
  /** Longest a statement may run (statement_timeout). PGlite cannot enforce it. */
  statementTimeoutMs: number;
  /** Longest a statement may wait for a row or table lock (lock_timeout). */
  lockTimeoutMs: number;
}

/** `SET LOCAL` text for a transaction's bounds; whole milliseconds, from our own settings. */
export function boundsStatements(bounds: WorkBounds | undefined): string {
  if (!bounds) return '';
  const ms = (value: number) => {
    if (!Number.isInteger(value) || value < 0) throw new Error(`not a whole number of milliseconds: ${value}`);
    return value;
  };
  return `SET LOCAL statement_timeout = ${ms(bounds.statementTimeoutMs)}; SET LOCAL lock_timeout = ${ms(bounds.lockTimeoutMs)};`;
}

/** Where pg-boss keeps its jobs: the same embedded instance, or the same server through its own pool. */
export type JobStore = { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; connectionString: string };

export interface Database {
  readonly kind: DbKind;
  /** Runs `work` on one exclusive connection. */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` on one exclusive connection inside a transaction (rolled back if it throws). */
  transaction<T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Named locks held across several transactions, one holder at a time (src/db/work-locks.ts). */
  readonly locks: WorkLocks;
  close(): Promise<void>;
}

/** The database as the process that opened it holds it: also where its jobs queue. */
export interface SystemDatabase extends Database {
  readonly jobStore: JobStore;
}

/** Identifiers for COPY come from our own code, never from user input; this guards against mistakes. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}
