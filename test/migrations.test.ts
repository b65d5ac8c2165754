import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appliedMigrationCount, migrate, readMigrations } from '../src/db/migrate.ts';
import { useTestDb } from './support/test-db.ts';

describe('migrations', () => {
  const testDb = useTestDb();

  it('are numbered files applied in order and recorded once each', async () => {
    const files = readMigrations();
    expect(files.map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
    expect(await appliedMigrationCount(testDb())).toBe(files.length);
    expect(await migrate(testDb())).toEqual({ applied: [], total: files.length });
  });

  it('refuse a migration file changed after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    const [first] = readMigrations();
    writeFileSync(join(dir, `${first!.name}.sql`), `${first!.sql}\n-- edited\n`);
    await expect(migrate(testDb(), readMigrations(dir))).rejects.toThrow(/was changed after it was applied/);
  });

  it('roll back a failing migration entirely, recording nothing', async () => {
    const broken = {
      version: 9999,
      name: '9999_broken',
      checksum: 'x',
      sql: 'CREATE TABLE half_done (id int); SELECT 1/0;',
    };
    await expect(migrate(testDb(), [...readMigrations(), broken])).rejects.toThrow(/division by zero/);
    const rows = await testDb().session((s) =>
      s.query<{ t: string | null; m: number }>(
        "SELECT to_regclass('half_done')::text AS t, (SELECT count(*)::int FROM nightshift_migrations WHERE version = 9999) AS m",
      ),
    );
    expect(rows).toEqual([{ t: null, m: 0 }]);
  });
});
