import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../scripts/support/scratch-database.ts';
import { readMigrations } from '../src/db/migrate.ts';
import { postgresServerUrl } from './support/test-db.ts';

const root = join(import.meta.dirname, '..');
const secrets = {
  NIGHTSHIFT_JWT_SECRET: 'j'.repeat(32),
  NIGHTSHIFT_INTERNAL_SECRET: 'i'.repeat(32),
  NIGHTSHIFT_ENCRYPTION_KEY: 'ab'.repeat(32),
};

function runCliMerged(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'src', 'cli.ts'), ...args], {
      env: { ...process.env, ...secrets, LOG_LEVEL: 'error', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('migrating one empty server from several processes at once', () => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.drop();
  });

  it('migrates once, with no error in any process', async () => {
    scratch = await createScratchDatabase(postgresServerUrl());
    const results = await Promise.all([0, 1, 2].map(() => runCliMerged(['migrate'], { DATABASE_URL: scratch!.url })));
    for (const result of results) expect(result, result.out).toMatchObject({ code: 0 });
    const appliedBy = results.filter((r) => /^applied \d+ migration/m.test(r.out));
    expect(appliedBy.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => /applied|up to date/.test(r.out))).toBe(true);

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const { rows } = await client.query(
      'SELECT version, count(*)::int AS n FROM nightshift_migrations GROUP BY version ORDER BY version',
    );
    await client.end();
    expect(rows).toEqual(readMigrations().map((m) => ({ version: m.version, n: 1 })));
  });
});

describe('migrating one empty server from several pools in one process', () => {
  it('serialises on the advisory lock: every migration recorded once', async () => {
    const { migrate } = await import('../src/db/migrate.ts');
    const { openPostgres } = await import('../src/db/postgres.ts');
    const scratch = await createScratchDatabase(postgresServerUrl());
    const dbs = await Promise.all([0, 1, 2, 3].map(() => openPostgres(scratch.url)));
    try {
      const results = await Promise.all(dbs.map((db) => migrate(db)));
      const total = readMigrations().length;
      expect(results.reduce((sum, r) => sum + r.applied.length, 0)).toBe(total);
      const [count] = await dbs[0]!.session((s) =>
        s.query<{ n: number }>('SELECT count(*)::int AS n FROM nightshift_migrations'),
      );
      expect(count).toEqual({ n: total });
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await scratch.drop();
    }
  });
});
