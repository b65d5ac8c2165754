// The database a test runs against, chosen by the project (NIGHTSHIFT_TEST_DB):
// pglite: a new in-memory PGlite, migrated; postgres: the run's shared, migrated database.
import { afterAll, beforeAll, inject } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { Database } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';

export const backend = process.env.NIGHTSHIFT_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export async function openTestDb(): Promise<Database> {
  if (backend === 'postgres') return openPostgres(postgresTestUrl());
  const db = await openPglite();
  await migrate(db);
  return db;
}

/** The run's migrated Postgres database (postgres project only). */
export function postgresTestUrl(): string {
  return inject('postgresUrl');
}

/** The server the run uses, for tests that create databases of their own. */
export function postgresServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/** Opens the test database before the file's tests and closes it after; call inside a describe. */
export function useTestDb(): () => Database {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(() => db?.close());
  return () => {
    if (!db) throw new Error('the test database is not open yet');
    return db;
  };
}
