// An empty, migrated database of the run's backend that belongs to one test alone:
// pglite: a new in-memory instance; postgres: a scratch database on the test server. Given a list,
// only those migrations run (a test of what a later one does to earlier data).

import { createScratchDatabase } from '../../scripts/support/scratch-database.ts';
import { type Migration, migrate, readMigrations } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { SystemDatabase } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { backend, postgresServerUrl } from './test-db.ts';

export async function freshDatabase(migrations: Migration[] = readMigrations()): Promise<SystemDatabase> {
  if (backend === 'pglite') {
    const db = await openPglite();
    await migrate(db, migrations);
    return db;
  }
  const scratch = await createScratchDatabase(postgresServerUrl());
  const db = await openPostgres(scratch.url);
  await migrate(db, migrations);
  return {
    ...db,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}
