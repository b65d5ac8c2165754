// Applies sql/migrations/NNNN_name.sql in order. Each file runs in its own transaction together
// with its row in nightshift_migrations, under a transaction-scoped advisory lock: processes that
// start at once against one empty server queue on the lock, and each one that gets it re-reads
// what is applied, so every migration runs exactly once. A changed file that was already applied
// is refused (its checksum differs): history is append-only.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './port.ts';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql', 'migrations');

// An arbitrary constant shared by every Nightshift process ("nightshf" as 8 ASCII bytes, signed).
const MIGRATION_LOCK_KEY = '7955998173834454630';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export interface MigrateResult {
  applied: string[];
  total: number;
}

export async function migrate(db: Database, migrations = readMigrations()): Promise<MigrateResult> {
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (s) => {
      await s.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      await s.exec(`CREATE TABLE IF NOT EXISTS nightshift_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const [done] = await s.query<{ checksum: string }>(
        'SELECT checksum FROM nightshift_migrations WHERE version = $1',
        [migration.version],
      );
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await s.exec(migration.sql);
      await s.query('INSERT INTO nightshift_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return { applied, total: migrations.length };
}

/** How many migrations the database has, for readiness checks. */
export async function appliedMigrationCount(db: Database): Promise<number> {
  return db.session(async (s) => {
    const [table] = await s.query<{ exists: boolean }>(
      "SELECT to_regclass('nightshift_migrations') IS NOT NULL AS exists",
    );
    if (!table?.exists) return 0;
    const [row] = await s.query<{ n: number }>('SELECT count(*)::int AS n FROM nightshift_migrations');
    return row?.n ?? 0;
  });
}
