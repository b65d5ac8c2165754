import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../scripts/support/scratch-database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { schemaSnapshot } from './support/schema-snapshot.ts';
import { postgresServerUrl } from './support/test-db.ts';

describe('one schema on both backends', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase(postgresServerUrl());
  });
  afterAll(() => scratch.drop());

  it('migrations give PGlite and a Postgres server the same schema', async () => {
    const server = await openPostgres(scratch.url);
    const embedded = await openPglite();
    try {
      await migrate(server);
      await migrate(embedded);
      const [onServer, onEmbedded] = await Promise.all([
        server.session(schemaSnapshot),
        embedded.session(schemaSnapshot),
      ]);
      expect(onServer.columns.length).toBeGreaterThan(200);
      expect(onServer.constraints.length).toBeGreaterThan(100);
      expect(onEmbedded).toEqual(onServer);
    } finally {
      await server.close();
      await embedded.close();
    }
  });
});
