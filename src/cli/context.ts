// What most commands need first: validated configuration, a logger, and the database.
import { type Config, loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import { createLogger, type Logger } from '../log.ts';

export function commandConfig(): { config: Config; log: Logger } {
  const config = loadConfig();
  return { config, log: createLogger(config.logLevel) };
}

/** Opens and migrates the database, runs `work`, and always closes it. */
export async function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.database);
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close();
  }
}
