// Generates Kysely's table types from the migrations: migrate a throwaway Postgres server, then
// let kysely-codegen read its catalog. Used by `npm run db:types` and by the staleness test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { migrate } from '../../src/db/migrate.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { startThrowawayPostgres } from './throwaway-postgres.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const SCHEMA_TYPES_FILE = join(ROOT, 'src', 'db', 'generated', 'schema.ts');

export async function generateSchemaTypes(outFile: string, serverUrl?: string): Promise<void> {
  const server = serverUrl ? undefined : await startThrowawayPostgres();
  try {
    const url = serverUrl ?? server!.url;
    const db = await openPostgres(url);
    await migrate(db);
    await db.close();
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'kysely-codegen'),
      [
        '--dialect',
        'postgres',
        '--url',
        url,
        '--out-file',
        outFile,
        '--exclude-pattern',
        'nightshift_migrations',
        '--log-level',
        'error',
        // Match how both adapters parse values (src/db/value-parsers.ts).
        '--date-parser',
        'string',
        '--numeric-parser',
        'string',
        '--type-mapping',
        '{"int8":"number"}',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } finally {
    server?.stop();
  }
}
