// Contacts as the API reads and writes them, and the bulk import as two set-based statements.
// Every statement names its tenant (row-level security checks it again). Contacts are never
// deleted: other tables (segment members, campaign recipients) point at them.
import type { ContactImportRow } from '../../domain/contact-import.ts';
import { CONTACT_TEXT_COLUMNS, type ContactTextColumn } from '../../domain/contacts.ts';
import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

/** The writable fields, as the API validated them (column name → value). */
export type ContactFields = Partial<Record<ContactTextColumn, string | null>> & {
  status?: string;
  /** On insert, the attributes; on update, a merge patch (a key set to null is removed). */
  attributes?: Record<string, unknown>;
};

const WRITABLE = [...CONTACT_TEXT_COLUMNS, 'status'] as const satisfies readonly (keyof ContactFields)[];

const SELECT = `
  SELECT c.id, c.email, c.phone, c.first_name, c.last_name, c.company, c.job_title, c.timezone,
         c.attributes, c.status, c.created_at, c.updated_at, c.created_at::text AS sort_key
    FROM contacts c`;

export interface ContactRow {
  id: string;
  email: string | null;
  phone: string | null;
  status: string;
  attributes: Record<string, unknown>;
  sort_key: string;
  [column: string]: unknown;
}

export interface ContactFilter {
  status?: string;
  /** Matched case-insensitively anywhere in the email, first or last or full name, or company. */
  q?: string;
  segment_id?: string;
  limit: number;
  cursor?: Keyset;
}

/** `q` as a LIKE pattern matching it anywhere, its own wildcards taken literally. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export async function listContacts(s: SqlSession, tenantId: string, filter: ContactFilter): Promise<ContactRow[]> {
  return s.query<ContactRow>(
    `${SELECT}
      WHERE c.tenant_id = $1
        AND ($2::text IS NULL OR c.status = $2)
        AND ($3::text IS NULL OR c.email ILIKE $3 OR c.first_name ILIKE $3 OR c.last_name ILIKE $3
             OR concat_ws(' ', c.first_name, c.last_name) ILIKE $3 OR c.company ILIKE $3)
        AND ($4::uuid IS NULL OR EXISTS (
              SELECT 1 FROM segment_members m
               WHERE m.tenant_id = $1 AND m.segment_id = $4 AND m.contact_id = c.id))
        AND ($5::timestamptz IS NULL OR (c.created_at, c.id) < ($5::timestamptz, $6::uuid))
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT $7`,
    [
      tenantId,
      filter.status ?? null,
      filter.q === undefined ? null : containing(filter.q),
      filter.segment_id ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
  );
}

export async function getContact(s: SqlSession, tenantId: string, id: string): Promise<ContactRow | undefined> {
  const [row] = await s.query<ContactRow>(`${SELECT} WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, id]);
  return row;
}

/** The contact holding `email` (compared case-insensitively, as the unique index does). */
export async function contactIdByEmail(s: SqlSession, tenantId: string, email: string): Promise<string | undefined> {
  const [row] = await s.query<{ id: string }>(
    'SELECT id FROM contacts WHERE tenant_id = $1 AND email IS NOT NULL AND lower(email) = lower($2)',
    [tenantId, email],
  );
  return row?.id;
}

function columnsOf(fields: ContactFields) {
  const columns = WRITABLE.filter((column) => fields[column] !== undefined);
  return { columns, values: columns.map((column) => fields[column]) };
}

export async function insertContact(s: SqlSession, tenantId: string, fields: ContactFields): Promise<string> {
  const { columns, values } = columnsOf(fields);
  const placeholders = columns.map((_, i) => `$${i + 3}`);
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO contacts (tenant_id, attributes${columns.map((c) => `, ${c}`).join('')})
     VALUES ($1, $2::jsonb${placeholders.map((p) => `, ${p}`).join('')}) RETURNING id`,
    [tenantId, JSON.stringify(fields.attributes ?? {}), ...values],
  );
  return row!.id;
}

/** `current` merged with the patch `patch` (both jsonb): keys set to null are removed. */
const mergePatch = (current: string, patch: string) =>
  `(SELECT coalesce(jsonb_object_agg(a.key, a.value), '{}'::jsonb)
      FROM jsonb_each(${current} || ${patch}) AS a WHERE a.value <> 'null'::jsonb)`;

/** Applies `fields`; false when the tenant has no such contact. */
export async function updateContact(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: ContactFields,
): Promise<boolean> {
  const { columns, values } = columnsOf(fields);
  const params: unknown[] = [tenantId, id, ...values];
  const assignments = columns.map((column, i) => `${column} = $${i + 3}`);
  if (fields.attributes !== undefined) {
    params.push(JSON.stringify(fields.attributes));
    assignments.push(`attributes = ${mergePatch('attributes', `$${params.length}::jsonb`)}`);
  }
  const updated = await s.query(
    `UPDATE contacts SET ${[...assignments, 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    params,
  );
  return updated.length > 0;
}

export interface ImportOutcome {
  /** Every contact the import created or updated. */
  contactIds: string[];
  imported: number;
  updated: number;
}

const RECORD_COLUMNS = `${CONTACT_TEXT_COLUMNS.map((c) => `${c} text`).join(', ')}, attributes jsonb`;

/** A column of a matched contact: the row's value, or the stored one when the row has none. */
const keep = (column: string, from: string) => `${column} = coalesce(${from}.${column}, c.${column})`;
const KEPT_FIELDS = ['phone', 'first_name', 'last_name', 'company', 'job_title', 'timezone'];

/**
 * Writes the rows (emails unique, case-insensitively, among them) in two statements: a row without
 * an email updates the oldest contact with its phone, if any; every other row is inserted, or
 * updates the contact with its email. A matched contact keeps what a row leaves empty, gains the
 * row's attributes, and keeps its status (an import never resubscribes anyone).
 */
export async function importContacts(
  s: SqlSession,
  tenantId: string,
  rows: ContactImportRow[],
): Promise<ImportOutcome> {
  const byPhone = rows.flatMap((row, ord) => (row.email === null ? [{ ...row, ord }] : []));
  const matched =
    byPhone.length === 0
      ? []
      : await s.query<{ id: string; ord: number }>(
          `WITH i AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS r (ord int, ${RECORD_COLUMNS})),
                m AS (SELECT DISTINCT ON (i.ord) i.ord, c.id
                        FROM i JOIN contacts c ON c.tenant_id = $1 AND c.phone = i.phone
                       ORDER BY i.ord, c.created_at, c.id)
           UPDATE contacts c
              SET ${KEPT_FIELDS.filter((f) => f !== 'phone')
                .map((f) => keep(f, 'i'))
                .join(', ')},
                  attributes = c.attributes || i.attributes, updated_at = now()
             FROM m JOIN i ON i.ord = m.ord
            WHERE c.tenant_id = $1 AND c.id = m.id
           RETURNING c.id, m.ord`,
          [tenantId, JSON.stringify(byPhone)],
        );
  const matchedRows = new Set(matched.map((m) => m.ord));
  const rest = rows.filter((_, ord) => !matchedRows.has(ord));
  const upserted =
    rest.length === 0
      ? []
      : await s.query<{ id: string; inserted: boolean }>(
          `INSERT INTO contacts AS c (tenant_id, ${CONTACT_TEXT_COLUMNS.join(', ')}, attributes)
           SELECT $1, ${CONTACT_TEXT_COLUMNS.map((col) => `i.${col}`).join(', ')}, i.attributes
             FROM jsonb_to_recordset($2::jsonb) AS i (${RECORD_COLUMNS})
           ON CONFLICT (tenant_id, lower(email)) WHERE email IS NOT NULL DO UPDATE
              SET ${KEPT_FIELDS.map((f) => keep(f, 'EXCLUDED')).join(', ')},
                  attributes = c.attributes || EXCLUDED.attributes, updated_at = now()
           RETURNING c.id, (c.xmax = 0) AS inserted`,
          [tenantId, JSON.stringify(rest)],
        );
  const imported = upserted.filter((row) => row.inserted).length;
  return {
    contactIds: [...matched.map((m) => m.id), ...upserted.map((row) => row.id)],
    imported,
    updated: matched.length + upserted.length - imported,
  };
}
