// A database of its own for a test of a CLI command (the command runs over every tenant, or keeps
// global state): a scratch database on the test server, or an embedded data directory. Created
// before the file's tests and dropped after them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SERVER_SECRETS } from '../../scripts/support/cli-process.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/support/scratch-database.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { Database } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { backend, postgresServerUrl } from './test-db.ts';

export function ownCliDatabase(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `nightshift-${name}-`));
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    if (backend === 'postgres') scratch = await createScratchDatabase(postgresServerUrl());
  });
  afterAll(async () => {
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    /** What a CLI process needs in its environment to find the database. */
    env: (): Record<string, string> =>
      scratch ? { DATABASE_URL: scratch.url, ...SERVER_SECRETS } : { NIGHTSHIFT_DATA_DIR: dataDir },
    /** Our own handle on the CLI's database; closed before the next CLI call (PGlite: one process at a time). */
    async withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
      const db = scratch ? await openPostgres(scratch.url) : await openPglite(join(dataDir, 'pgdata'));
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
  };
}
