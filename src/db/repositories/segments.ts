// Segments and their stored membership, as the API reads and writes them. Every statement names
// its tenant (row-level security checks it again). Membership changes are set-based: one
// statement for any number of contacts, and adding a member twice adds it once.

import { type InferResult, sql } from 'kysely';
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** The unique key a segment's name belongs to (one name per workspace). */
export const SEGMENT_NAME_CONSTRAINT = 'segments_tenant_id_workspace_id_name_key';

export type SegmentFields = Partial<{
  workspace_id: string;
  name: string;
  description: string | null;
  definition: Record<string, unknown>;
}>;

/** The columns `fields` writes (the builder leaves out a field that is undefined). */
const written = (f: SegmentFields) => ({
  workspace_id: f.workspace_id,
  name: f.name,
  description: f.description,
  definition: f.definition === undefined ? undefined : JSON.stringify(f.definition),
});

const selectSegments = () =>
  typed
    .selectFrom('segments as s')
    .select((eb) => [
      's.id',
      's.workspace_id',
      's.name',
      's.description',
      's.definition',
      eb
        .selectFrom('segment_members as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.tenant_id', '=', 's.tenant_id')
        .whereRef('m.segment_id', '=', 's.id')
        .$asScalar()
        .as('member_count'),
      's.created_at',
      's.updated_at',
      eb.cast<string>('s.created_at', 'text').as('sort_key'),
    ]);

export type SegmentRow = InferResult<ReturnType<typeof selectSegments>>[number];

export interface SegmentFilter {
  workspace_id?: string;
  limit: number;
  cursor?: Keyset;
}

export function listSegments(s: SqlSession, tenantId: string, filter: SegmentFilter) {
  const { workspace_id } = filter;
  let query = selectSegments().where('s.tenant_id', '=', tenantId);
  if (workspace_id !== undefined) query = query.where('s.workspace_id', '=', workspace_id);
  return rows(s, newestFirstPage(query, { at: 's.created_at', id: 's.id' }, filter));
}

export async function getSegment(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectSegments().where('s.tenant_id', '=', tenantId).where('s.id', '=', id));
  return row;
}

/** Whether the tenant has the segment (cheaper than reading it). */
export async function segmentExists(s: SqlSession, tenantId: string, id: string): Promise<boolean> {
  const found = await rows(
    s,
    typed.selectFrom('segments').select(sql.lit(1).as('one')).where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return found.length > 0;
}

export async function insertSegment(
  s: SqlSession,
  tenantId: string,
  fields: SegmentFields & { workspace_id: string; name: string },
): Promise<string> {
  const [row] = await rows(
    s,
    typed
      .insertInto('segments')
      .values({ tenant_id: tenantId, ...written(fields), workspace_id: fields.workspace_id, name: fields.name })
      .returning('id'),
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
  const updated = await rows(
    s,
    typed
      .updateTable('segments')
      .set({ ...written(fields), updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
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
 * in one statement; those already members stay as they were. Set-based (a CTE over the id and email
 * arrays, an INSERT ... SELECT, the misses in order from unnest), so visible SQL rather than the builder.
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
  const removed = await rows(
    s,
    typed
      .deleteFrom('segment_members')
      .where('tenant_id', '=', tenantId)
      .where('segment_id', '=', segmentId)
      // One array parameter, whatever the number of ids (`in` would take one each).
      .where((eb) => eb('contact_id', '=', eb.fn.any(eb.val(ids))))
      .returning('contact_id'),
  );
  return removed.length;
}

/** The campaigns whose audience the segment is (a segment they point at cannot go), by title. */
export function campaignsUsing(s: SqlSession, tenantId: string, segmentId: string) {
  return rows(
    s,
    typed
      .selectFrom('campaigns')
      .select(['id', 'title'])
      .where('tenant_id', '=', tenantId)
      .where('segment_id', '=', segmentId)
      .orderBy('title'),
  );
}

/** Deletes the segment and its memberships (the contacts stay); false when the tenant has no such segment. */
export async function deleteSegment(s: SqlSession, tenantId: string, id: string): Promise<boolean> {
  await rows(s, typed.deleteFrom('segment_members').where('tenant_id', '=', tenantId).where('segment_id', '=', id));
  const deleted = await rows(
    s,
    typed.deleteFrom('segments').where('tenant_id', '=', tenantId).where('id', '=', id).returning('id'),
  );
  return deleted.length > 0;
}
