// For the "postgres" project: a fresh database on the TEST_DATABASE_URL server for this run,
// migrated once; test files share it and isolate themselves with fresh tenants.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createScratchDatabase } from '../../scripts/support/scratch-database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPostgres } from '../../src/db/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('the postgres project needs TEST_DATABASE_URL');
  const scratch = await createScratchDatabase(serverUrl, `nightshift_test_${randomBytes(4).toString('hex')}`);
  const db = await openPostgres(scratch.url);
  await migrate(db);
  await db.close();
  project.provide('postgresUrl', scratch.url);
  return () => scratch.drop();
}
