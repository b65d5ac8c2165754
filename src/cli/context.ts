// What most commands need first: validated configuration and the database.

import { existsSync } from 'node:fs';
import { type Config, loadConfig } from '../config.ts';
import { aboutRunningServer, connectEmbeddedLink } from '../db/embedded-link/client.ts';
import { embeddedLinkSocket } from '../db/embedded-link/socket-path.ts';
import { migrate } from '../db/migrate.ts';
import { EmbeddedDatabaseInUseError, openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';

/**
 * The validated configuration. Only the long-running commands (serve, worker) log, and create
 * their logger themselves: the others never load pino.
 */
export function commandConfig(): { config: Config } {
  return { config: loadConfig() };
}

/**
 * The configured database; the embedded one through the running server when `nightshift serve`
 * (`npm start`) holds its folder (src/db/embedded-link/server.ts).
 */
async function openForCommand(database: Config['database']): Promise<Database> {
  try {
    return await openDatabase(database);
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseInUseError) || database.kind !== 'pglite') throw error;
    const socket = embeddedLinkSocket(database.dataDir);
    // Held by something that serves no link (a worker, another command): the holder is named.
    if (!existsSync(socket)) throw error;
    return connectEmbeddedLink(socket);
  }
}

/** Opens and migrates the database, runs `work`, and always closes it. */
export async function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openForCommand(config.database);
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Where the server running on the embedded data folder serves, if one does (a sign-in link's address). */
export async function runningServerUrl(config: Config): Promise<string | undefined> {
  if (config.database.kind !== 'pglite') return undefined;
  const socket = embeddedLinkSocket(config.database.dataDir);
  if (!existsSync(socket)) return undefined;
  return aboutRunningServer(socket).then(
    (about) => about.url,
    () => undefined,
  );
}
