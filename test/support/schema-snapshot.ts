// A backend-neutral description of the public schema: columns, constraints, indexes, views,
// functions, as Postgres itself prints them. Two databases with equal snapshots have the same schema.
import type { SqlSession } from '../../src/db/port.ts';

export type SchemaSnapshot = Record<
  'columns' | 'constraints' | 'indexes' | 'views' | 'functions' | 'policies',
  string[]
>;

export async function schemaSnapshot(s: SqlSession): Promise<SchemaSnapshot> {
  const lines = async (text: string) => (await s.query<{ line: string }>(text)).map((r) => r.line);
  return {
    columns: await lines(
      `SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
              || coalesce(' ' || numeric_precision || ',' || numeric_scale, '')
              || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
              || coalesce(' default ' || column_default, '') AS line
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
    ),
    constraints: await lines(
      `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace
          -- Postgres 18 (PGlite) also lists NOT NULL here; the columns above already carry it.
          AND contype <> 'n' ORDER BY 1`,
    ),
    indexes: await lines(`SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
    // Names only: each Postgres version deparses a view's query differently; its columns are
    // compared above (information_schema.columns covers views).
    views: await lines(
      `SELECT table_name AS line FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1`,
    ),
    functions: await lines(
      `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS line
         FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`,
    ),
    policies: await lines(
      `SELECT tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') AS line FROM pg_policies WHERE schemaname = 'public' ORDER BY 1`,
    ),
  };
}
