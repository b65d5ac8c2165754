// Embedded adapter: PGlite (Postgres compiled to WebAssembly) in this process. It has one
// connection: sessions take it one at a time (a queue of our own), so one session's statements
// never interleave with another's (pg-boss reaches the same instance through its own adapter).
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import { pgliteLocks } from './locks-pglite.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { copyStatement, type SqlSession, type SystemDatabase } from './port.ts';
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
export async function openPglite(dataDir?: string): Promise<SystemDatabase> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: VALUE_PARSERS }).catch((error) => {
    unlock();
    throw error;
  });
  const exclusively = oneAtATime();
  const session = <T>(work: (session: SqlSession) => Promise<T>) => exclusively(() => work(sessionOver(pglite)));

  const db: SystemDatabase = {
    kind: 'pglite',
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
          const result = await work(sessionOver(tx, options.signal));
          if (options.rollback) await tx.rollback();
          return result;
        }),
      ),
    locks: pgliteLocks(() => db),
    async close() {
      // Closing PGlite flushes its data directory: never skip it on exit.
      await pglite.close();
      unlock();
    },
  };
  return db;
}
