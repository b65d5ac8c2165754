// Reads the catalog and lists every way a tenant table would fail to distribute on Citus by
// tenant_id: tenant_id must lead the primary key, be part of every unique constraint and index,
// and travel in every foreign key between tenant tables; ids and references must be uuid or bigint.
import type { SqlSession } from '../../src/db/port.ts';

/** Replicated to every node (small, global); may be referenced without tenant_id. */
export const REFERENCE_TABLES = ['tenants', 'users', 'job_schedules'];
/** Bookkeeping outside the data model. */
const META_TABLES = ['nightshift_migrations'];

export async function citusViolations(s: SqlSession): Promise<string[]> {
  const violations: string[] = [];
  const tables = await s.query<{ name: string; oid: number }>(
    `SELECT c.relname AS name, c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const tenantTables = tables.filter((t) => !REFERENCE_TABLES.includes(t.name) && !META_TABLES.includes(t.name));
  for (const table of tenantTables) {
    const columns = await s.query<{ name: string; type: string; notnull: boolean }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull
         FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped`,
      [table.oid],
    );
    const tenantColumn = columns.find((c) => c.name === 'tenant_id');
    if (tenantColumn?.type !== 'uuid' || !tenantColumn.notnull) {
      violations.push(`${table.name}: no NOT NULL uuid tenant_id column`);
      continue;
    }
    const indexes = await s.query<{ name: string; primary: boolean; columns: string[] }>(
      `SELECT i.indexrelid::regclass::text AS name, i.indisprimary AS primary,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index i WHERE i.indrelid = $1 AND (i.indisunique OR i.indisprimary)`,
      [table.oid],
    );
    const primary = indexes.find((i) => i.primary);
    if (!primary) violations.push(`${table.name}: no primary key`);
    else if (primary.columns[0] !== 'tenant_id')
      violations.push(`${table.name}: primary key does not start with tenant_id`);
    for (const index of indexes) {
      if (!index.columns.includes('tenant_id'))
        violations.push(`${table.name}: unique index ${index.name} lacks tenant_id`);
    }
    const foreignKeys = await s.query<{ name: string; target: string; local: string[]; remote: string[] }>(
      `SELECT con.conname AS name, con.confrelid::regclass::text AS target,
              array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS local,
              array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS remote
         FROM pg_constraint con WHERE con.conrelid = $1 AND con.contype = 'f'`,
      [table.oid],
    );
    const idColumns = new Set(['id', ...foreignKeys.flatMap((fk) => fk.local)]);
    for (const column of columns) {
      if (idColumns.has(column.name) && !['uuid', 'bigint'].includes(column.type)) {
        violations.push(`${table.name}.${column.name}: id column of type ${column.type} (want uuid or bigint)`);
      }
    }
    for (const fk of foreignKeys) {
      if (REFERENCE_TABLES.includes(fk.target)) continue;
      const at = fk.local.indexOf('tenant_id');
      if (at < 0 || fk.remote[at] !== 'tenant_id') {
        violations.push(`${table.name}: foreign key ${fk.name} to ${fk.target} does not carry tenant_id -> tenant_id`);
      }
    }
  }
  return violations;
}

/** Tenant tables, each with the tenant tables its foreign keys point at. */
export async function tenantTableDependencies(s: SqlSession): Promise<Map<string, string[]>> {
  const rows = await s.query<{ name: string; targets: string[] }>(
    `SELECT c.relname AS name,
            array(SELECT DISTINCT con.confrelid::regclass::text FROM pg_constraint con
                   WHERE con.conrelid = c.oid AND con.contype = 'f' AND con.confrelid <> c.oid)::text[] AS targets
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  return new Map(
    rows
      .filter((r) => !REFERENCE_TABLES.includes(r.name) && !META_TABLES.includes(r.name))
      .map((r) => [r.name, r.targets.filter((t) => !REFERENCE_TABLES.includes(t))]),
  );
}
