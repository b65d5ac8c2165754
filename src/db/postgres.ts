// Server adapter: a node-postgres pool.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { postgresLocks } from './locks-postgres.ts';
import { oneAtATime } from './one-at-a-time.ts';
import {
  boundsStatements,
  copyStatement,
  type Database,
  type QueryOptions,
  type SqlSession,
  type SystemDatabase,
  type TransactionOptions,
} from './port.ts';

import { VALUE_PARSERS } from './value-parsers.ts';
import { abortError, throwIfAborted, type WorkLocks } from './work-locks.ts';

for (const [oid, parse] of Object.entries(VALUE_PARSERS)) pg.types.setTypeParser(Number(oid), parse);

/**
 * A query through node-postgres's callback interface, in a promise of our own. Its promise
 * interface kept a fifth to four fifths of each young generation alive at every scavenge
 * (--trace-gc-nvp on a plain loop of queries; through this wrapper, 0.1%): the API server's
 * scavenges took 8-15 ms instead of 1-3, once a second under load, and made its tail latency.
 */
function run(client: pg.PoolClient, config: pg.QueryConfig): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    client.query(config, (error: Error | null, result: pg.QueryResult) => (error ? reject(error) : resolve(result)));
  });
}

function sessionOver(client: pg.PoolClient, signal?: AbortSignal): SqlSession {
  const check = () => throwIfAborted(signal);
  return {
    async query<Row>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}) {
      check();
      const result = await run(client, { text, values: params as unknown[], name: options.prepare });
      return result.rows as Row[];
    },
    async exec(text: string) {
      check();
      // No parameters: node-postgres uses the simple protocol, which allows several statements.
      await run(client, { text });
    },
    async copyCsv(table, columns, csvChunks) {
      check();
      const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
      await pipeline(Readable.from(csvChunks), stream);
      return Number(stream.rowCount ?? 0);
    },
  };
}

/** The opening of a transaction, sent in one round trip (simple protocol: no parameters). */
function beginText(options: TransactionOptions): string {
  const isolation = options.isolation === 'repeatable read' ? ' ISOLATION LEVEL REPEATABLE READ' : '';
  return [`BEGIN${isolation};`, boundsStatements(options.bounds), options.begin ?? ''].filter(Boolean).join(' ');
}

/**
 * A transaction on `client`: its result, or its error and whether the connection broke (a failed
 * ROLLBACK means it is gone, and the caller discards it rather than pools it).
 */
async function transactionOn<T>(
  client: pg.PoolClient,
  work: (session: SqlSession) => Promise<T>,
  options: TransactionOptions,
  cancel: (client: pg.PoolClient) => Promise<void>,
): Promise<{ result: T } | { error: unknown; broken: boolean }> {
  const { signal } = options;
  // An abort cancels the statement running on the server; the session refuses the next one.
  const onAbort = () => void cancel(client).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    throwIfAborted(signal);
    await run(client, { text: beginText(options) });
    const result = await work(sessionOver(client, signal));
    await run(client, { text: options.rollback ? 'ROLLBACK' : 'COMMIT' });
    return { result };
  } catch (error) {
    let broken = false;
    await run(client, { text: 'ROLLBACK' }).catch(() => {
      broken = true;
    });
    return { error: signal?.aborted ? abortError(signal) : error, broken };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A Database whose every transaction runs on `client`, one after another: the connection that
 * holds a work lock (src/db/locks-postgres.ts), so that ending that connection ends the work too.
 */
function databaseOn(client: pg.PoolClient, cancel: (client: pg.PoolClient) => Promise<void>, locks: WorkLocks) {
  const serially = oneAtATime();
  const db: Database = {
    kind: 'postgres',
    session: (work) => serially(() => work(sessionOver(client))),
    transaction: (work, options = {}) =>
      serially(async () => {
        const outcome = await transactionOn(client, work, options, cancel);
        if ('error' in outcome) throw outcome.error;
        return outcome.result;
      }),
    locks,
    close: () => Promise.resolve(),
  };
  return db;
}

export interface PostgresOptions {
  max?: number;
  applicationName?: string;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<SystemDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'nightshift',
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that
  // would crash the process. The next query reports the problem to its caller instead.
  pool.on('error', () => {});
  // A process that dies mid-statement (a killed CLI) leaves its statement running on the server,
  // holding its locks, until the server next writes to the socket: with this setting the server
  // looks every 2 s and ends it (PostgreSQL 14+; a platform without the check refuses the setting,
  // and such a server keeps its default). Set once per connection, before its first use.
  const checked = new WeakSet<pg.PoolClient>();
  const connect = async () => {
    const client = await pool.connect();
    if (!checked.has(client)) {
      checked.add(client);
      await run(client, { text: "SET client_connection_check_interval = '2s'" }).catch(() => {});
    }
    return client;
  };
  const session = async <T>(work: (session: SqlSession) => Promise<T>) => {
    const client = await connect();
    try {
      return await work(sessionOver(client));
    } finally {
      client.release();
    }
  };

  /** Cancels what `client` runs, from another connection (node-postgres has no cancel of its own). */
  const cancel = async (client: pg.PoolClient) => {
    await pool.query('SELECT pg_cancel_backend($1)', [(client as unknown as { processID: number }).processID]);
  };

  const locks: WorkLocks = postgresLocks(pool, connect, (client) => databaseOn(client, cancel, locks));

  const transaction = async <T>(work: (session: SqlSession) => Promise<T>, options: TransactionOptions = {}) => {
    const client = await connect();
    const outcome = await transactionOn(client, work, options, cancel);
    client.release('error' in outcome && outcome.broken);
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  };

  return {
    kind: 'postgres',
    jobStore: { kind: 'postgres', connectionString: url },
    session,
    transaction,
    locks,
    async close() {
      // Ended here, or a CLI command would wait out the pool's idle timeout before exiting.
      if (!pool.ended) await pool.end();
    },
  };
}
