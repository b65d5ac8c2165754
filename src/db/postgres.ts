// Server adapter: node-postgres pool behind Kysely's PostgresDialect.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DB } from './generated/schema.ts';
import { copyStatement, type Database, type QueryOptions, type SqlSession, type TransactionOptions } from './port.ts';

import { VALUE_PARSERS } from './value-parsers.ts';

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

function sessionOver(client: pg.PoolClient): SqlSession {
  return {
    async query<Row>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}) {
      const result = await run(client, { text, values: params as unknown[], name: options.prepare });
      return result.rows as Row[];
    },
    async exec(text: string) {
      // No parameters: node-postgres uses the simple protocol, which allows several statements.
      await run(client, { text });
    },
    async copyCsv(table, columns, csvChunks) {
      const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
      await pipeline(Readable.from(csvChunks), stream);
      return Number(stream.rowCount ?? 0);
    },
  };
}

export interface PostgresOptions {
  max?: number;
  applicationName?: string;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'nightshift',
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that
  // would crash the process. The next query reports the problem to its caller instead.
  pool.on('error', () => {});
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });

  const session = async <T>(work: (session: SqlSession) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await work(sessionOver(client));
    } finally {
      client.release();
    }
  };

  const transaction = async <T>(work: (session: SqlSession) => Promise<T>, options: TransactionOptions = {}) => {
    const client = await pool.connect();
    let broken = false;
    try {
      // No parameters: the simple protocol carries BEGIN and the opening statements in one trip.
      await run(client, { text: options.begin ? `BEGIN; ${options.begin}` : 'BEGIN' });
      const result = await work(sessionOver(client));
      await run(client, { text: 'COMMIT' });
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection itself is gone: discard it rather than pool it.
      await run(client, { text: 'ROLLBACK' }).catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };

  return {
    kind: 'postgres',
    kysely,
    jobStore: { kind: 'postgres', connectionString: url },
    session,
    transaction,
    async close() {
      await kysely.destroy();
      // Kysely ends the pool only when it ran a query itself; raw sessions alone leave it open,
      // and a CLI command would wait out the pool's idle timeout before exiting.
      if (!pool.ended) await pool.end();
    },
  };
}
