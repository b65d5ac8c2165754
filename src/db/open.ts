// Opens the configured database and proves it answers, with a one-line reason when it does not.
import { join } from 'node:path';
import { type Config, redactUrl } from '../config.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import type { SystemDatabase } from './port.ts';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** The embedded database's folder is held by another process (a running server, another command). */
export class EmbeddedDatabaseInUseError extends DatabaseUnavailableError {
  override name = 'EmbeddedDatabaseInUseError';
}

/** `applicationName` labels a server's connections (pg_stat_activity): which process holds what. */
export async function openDatabase(database: Config['database'], applicationName?: string): Promise<SystemDatabase> {
  // Each adapter is loaded only where it is used: a command pays for one driver, not both.
  if (database.kind === 'pglite') {
    const dir = join(database.dataDir, 'pgdata');
    try {
      const { openPglite } = await import('./pglite.ts');
      return await openPglite(dir);
    } catch (error) {
      if (error instanceof DataDirInUseError) throw new EmbeddedDatabaseInUseError(error.message);
      throw new DatabaseUnavailableError(`cannot open the embedded database in ${dir}: ${describe(error)}`);
    }
  }
  const { openPostgres } = await import('./postgres.ts');
  const db = await openPostgres(database.url, { applicationName });
  try {
    await db.session((s) => s.query('SELECT 1'));
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw new DatabaseUnavailableError(
      `cannot connect to DATABASE_URL (${redactUrl(database.url)}): ${describe(error)}`,
    );
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
