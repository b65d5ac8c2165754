// Creates (and later drops) a separate database on a Postgres server, for tests and benchmarks that
// need an empty one (migrations, schema comparison) or a run of their own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** `template`: copy that database (it must have no open connections). */
export async function createScratchDatabase(
  serverUrl: string,
  name = `nightshift_scratch_${randomBytes(4).toString('hex')}`,
  template?: string,
): Promise<ScratchDatabase> {
  for (const identifier of [name, template ?? 'x']) {
    if (!/^[a-z0-9_]+$/.test(identifier)) throw new Error(`bad database name ${identifier}`);
  }
  await onServer(serverUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
