// The database port: one narrow interface with two adapters (embedded PGlite, a Postgres server).
// Typed queries go through `kysely`; set-based hot paths and migrations use a raw SQL session.
import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import type { DB } from './generated/schema.ts';

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
}

/** Where pg-boss keeps its jobs: the same embedded instance, or the same server through its own pool. */
export type JobStore = { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; connectionString: string };

export interface Database {
  readonly kind: DbKind;
  readonly kysely: Kysely<DB>;
  readonly jobStore: JobStore;
  /** Runs `work` on one exclusive connection. */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` on one exclusive connection inside a transaction (rolled back if it throws). */
  transaction<T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** Identifiers for COPY come from our own code, never from user input; this guards against mistakes. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}
