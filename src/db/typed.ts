// Kysely as a typed query builder over our own sessions (Kysely's "splitting query building and
// execution"): a query is built against the generated schema, compiled to parameterised SQL, and
// run on whatever session the caller holds: a tenant-scoped transaction, a connection under a
// work lock, a preview's rolled-back transaction. Kysely never owns a connection, so there is one
// way to reach the database (SqlSession) and every form of it offers typed CRUD alike.
import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import type { DB } from './generated/schema.ts';
import type { QueryOptions, SqlSession } from './port.ts';

/** Builds and compiles queries; running one is `rows(session, query)`. */
export const typed = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * The rows of a compiled query (a select, or a write with `returning`), typed by the builder.
 * `options` as for `SqlSession.query`: a prepared statement's name must always compile to the same text.
 */
export function rows<Row>(
  s: SqlSession,
  query: { compile(): CompiledQuery<Row> },
  options?: QueryOptions,
): Promise<Row[]> {
  const compiled = query.compile();
  return s.query<Row>(compiled.sql, compiled.parameters, options);
}
