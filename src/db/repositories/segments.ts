// Segments and their stored membership, as the API reads and writes them. Every statement names
// its tenant (row-level security checks it again). Membership changes are set-based: one
// statement for any number of contacts, and adding a member twice adds it once.

import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

/** The unique key a segment's name belongs to (one name per workspace). */
export const SEGMENT_NAME_CONSTRAINT = 'segments_tenant_id_workspace_id_name_key';

export type SegmentFields = Partial<{
  workspace_id: string;
  name: string;
  description: string | null;
  definition: Record<string, unknown>;
}>;

const WRITABLE = [
  'workspace_id',
  'name',
  'description',
  'definition',
] as const satisfies readonly (keyof SegmentFields)[];

const SELECT = `
  SELECT s.id, s.workspace_id, s.name, s.description, s.definition,
         (SELECT count(*) FROM segment_members m WHERE m.tenant_id = s.tenant_id AND m.segment_id = s.id)
           AS member_count,
         s.created_at, s.updated_at, s.created_at::text AS sort_key
    FROM segments s`;

export interface SegmentRow {
  id: string;
  workspace_id: string;
  member_count: number;
  sort_key: string;
  [column: string]: unknown;
}

export interface SegmentFilter {
  workspace_id?: string;
  limit: number;
  cursor?: Keyset;
}

export async function listSegments(s: SqlSession, tenantId: string, filter: SegmentFilter): Promise<SegmentRow[]> {
  return s.query<SegmentRow>(
    `${SELECT}
      WHERE s.tenant_id = $1
        AND ($2::uuid IS NULL OR s.workspace_id = $2)
        AND ($3::timestamptz IS NULL OR (s.created_at, s.id) < ($3::timestamptz, $4::uuid))
      ORDER BY s.created_at DESC, s.id DESC
      LIMIT $5`,
    [tenantId, filter.workspace_id ?? null, filter.cursor?.after ?? null, filter.cursor?.id ?? null, filter.limit + 1],
  );
}

export async function getSegment(s: SqlSession, tenantId: string, id: string): Promise<SegmentRow | undefined> {
  const [row] = await s.query<SegmentRow>(`${SELECT} WHERE s.tenant_id = $1 AND s.id = $2`, [tenantId, id]);
  return row;
}

/** Whether the tenant has the segment (cheaper than reading it). */
export async function segmentExists(s: SqlSession, tenantId: string, id: string): Promise<boolean> {
  const rows = await s.query('SELECT 1 FROM segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows.length > 0;
}

function columnsOf(fields: SegmentFields) {
  const columns = WRITABLE.filter((column) => fields[column] !== undefined);
  const values = columns.map((column) => (column === 'definition' ? JSON.stringify(fields[column]) : fields[column]));
  const cast = (column: string) => (column === 'definition' ? '::jsonb' : '');
  return { columns, values, cast };
}

export async function insertSegment(
  s: SqlSession,
  tenantId: string,
  fields: SegmentFields & { workspace_id: string; name: string },
): Promise<string> {
  const { columns, values, cast } = columnsOf(fields);
  const placeholders = columns.map((column, i) => `$${i + 2}${cast(column)}`);
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO segments (tenant_id, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')}) RETURNING id`,
    [tenantId, ...values],
  );
  return row!.id;
}

/** Applies `fields`; false when the tenant has no such segment. */
export async function updateSegment(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: SegmentFields,
): Promise<boolean> {
  const { columns, values, cast } = columnsOf(fields);
  const assignments = columns.map((column, i) => `${column} = $${i + 3}${cast(column)}`);
  const updated = await s.query(
    `UPDATE segments SET ${[...assignments, 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    [tenantId, id, ...values],
  );
  return updated.length > 0;
}

export interface AddOutcome {
  /** Memberships created now. */
  added: number;
  /** Contacts found (by id or email) that were members already. */
  already: number;
  /** The ids and emails given that name none of the tenant's contacts. */
  missingIds: string[];
  missingEmails: string[];
}

/**
 * Adds the tenant's contacts named by id or by email (compared case-insensitively) to the segment,
 * in one statement; those already members stay as they were.
 */
export async function addMembers(
  s: SqlSession,
  tenantId: string,
  segmentId: string,
  ids: readonly string[],
  emails: readonly string[],
): Promise<AddOutcome> {
  const [row] = await s.query<{ added: number; found: number; missing_ids: string[]; missing_emails: string[] }>(
    `WITH wanted AS (
       SELECT c.id, c.email FROM contacts c WHERE c.tenant_id = $1 AND c.id = ANY ($3::uuid[])
       UNION
       SELECT c.id, c.email FROM contacts c
        WHERE c.tenant_id = $1 AND c.email IS NOT NULL
          AND lower(c.email) = ANY (ARRAY(SELECT lower(e) FROM unnest($4::text[]) AS e))
     ), added AS (
       INSERT INTO segment_members (tenant_id, segment_id, contact_id)
       SELECT $1, $2, wanted.id FROM wanted
       ON CONFLICT DO NOTHING
       RETURNING contact_id
     )
     SELECT (SELECT count(*) FROM added) AS added,
            (SELECT count(*) FROM wanted) AS found,
            ARRAY(SELECT x.i::text FROM unnest($3::uuid[]) WITH ORDINALITY AS x (i, n)
                   WHERE NOT EXISTS (SELECT 1 FROM wanted w WHERE w.id = x.i)
                   GROUP BY x.i ORDER BY min(x.n)) AS missing_ids,
            ARRAY(SELECT x.e FROM unnest($4::text[]) WITH ORDINALITY AS x (e, n)
                   WHERE NOT EXISTS (SELECT 1 FROM wanted w WHERE lower(w.email) = lower(x.e))
                   GROUP BY x.e ORDER BY min(x.n)) AS missing_emails`,
    [tenantId, segmentId, ids, emails],
  );
  return {
    added: row!.added,
    already: row!.found - row!.added,
    missingIds: row!.missing_ids,
    missingEmails: row!.missing_emails,
  };
}

/** Removes the contacts from the segment; returns how many were members. */
export async function removeMembers(
  s: SqlSession,
  tenantId: string,
  segmentId: string,
  ids: readonly string[],
): Promise<number> {
  const removed = await s.query(
    `DELETE FROM segment_members
      WHERE tenant_id = $1 AND segment_id = $2 AND contact_id = ANY ($3::uuid[])
     RETURNING contact_id`,
    [tenantId, segmentId, ids],
  );
  return removed.length;
}
