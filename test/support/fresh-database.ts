// An empty, migrated database of the run's backend that belongs to one test alone:
// pglite: a new in-memory instance; postgres: a scratch database on the test server.

import { createScratchDatabase } from '../../scripts/support/scratch-database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { SystemDatabase } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { backend, postgresServerUrl } from './test-db.ts';

export async function freshDatabase(): Promise<SystemDatabase> {
  if (backend === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  const scratch = await createScratchDatabase(postgresServerUrl());
  const db = await openPostgres(scratch.url);
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}
