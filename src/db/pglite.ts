// Embedded adapter: PGlite (Postgres compiled to WebAssembly) in this process.
// Kysely's PGliteDialect serialises access to PGlite's single connection with a mutex; raw
// sessions take the same mutex (through `kysely.connection()`) so they never interleave with it.
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { lockDataDir } from './data-dir-lock.ts';
import type { DB } from './generated/schema.ts';
import { pgliteLocks } from './locks-pglite.ts';
import { copyStatement, type Database, type SqlSession } from './port.ts';
import { VALUE_PARSERS } from './value-parsers.ts';
import { throwIfAborted } from './work-locks.ts';

type PGliteLike = Pick<PGlite, 'query' | 'exec'> | Transaction;

function sessionOver(pg: PGliteLike, signal?: AbortSignal): SqlSession {
  const check = () => throwIfAborted(signal);
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      check();
      const result = await pg.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async exec(text: string) {
      check();
      await pg.exec(text);
    },
    async copyCsv(table, columns, csvChunks) {
      check();
      // PGlite reads COPY input from a Blob at the virtual path /dev/blob, so the chunks are
      // gathered first; callers keep chunks bounded (the demo loader copies a batch at a time).
      const parts: string[] = [];
      for await (const chunk of csvChunks) parts.push(chunk);
      const result = await pg.query(copyStatement(table, columns, "'/dev/blob'"), [], {
        blob: new Blob(parts),
      });
      return result.affectedRows ?? 0;
    },
  };
}

/** `dataDir` undefined: in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: VALUE_PARSERS }).catch((error) => {
    unlock();
    throw error;
  });
  const kysely = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });

  const session = <T>(work: (session: SqlSession) => Promise<T>) =>
    kysely.connection().execute(() => work(sessionOver(pglite)));

  const db: Database = {
    kind: 'pglite',
    kysely,
    jobStore: { kind: 'pglite', pglite },
    session,
    // In process, a round trip costs nothing: the opening statements simply run first. The
    // bounds are not set: the embedded engine has no timer to interrupt a statement (measured:
    // pg_sleep(2) under a 500 ms statement_timeout ran its 2 s) and one connection never waits
    // for another's locks.
    transaction: (work, options = {}) =>
      session(() =>
        pglite.transaction(async (tx) => {
          throwIfAborted(options.signal);
          if (options.isolation) await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          if (options.begin) await tx.exec(options.begin);
          return work(sessionOver(tx, options.signal));
        }),
      ),
    locks: pgliteLocks(() => db),
    async close() {
      // Kysely's destroy closes PGlite, which flushes its data directory: never skip it on exit.
      await kysely.destroy();
      unlock();
    },
  };
  return db;
}
