// Contacts as the API reads and writes them, and the bulk import as two set-based statements.
// Every statement names its tenant (row-level security checks it again). Contacts are never
// deleted: other tables (segment members, campaign recipients) point at them.
import { type InferResult, sql } from 'kysely';
import type { ContactImportRow } from '../../domain/contact-import.ts';
import { CONTACT_TEXT_COLUMNS, type ContactTextColumn } from '../../domain/contacts.ts';
import type { Keyset } from '../../domain/keyset.ts';
import type { Json } from '../generated/schema.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** The writable fields, as the API validated them (column name → value). */
export type ContactFields = Partial<Record<ContactTextColumn, string | null>> & {
  status?: string;
  /** On insert, the attributes; on update, a merge patch (a key set to null is removed). */
  attributes?: Record<string, unknown>;
};

/** The columns `fields` writes besides the attributes (the builder leaves out a field that is undefined). */
const written = (f: ContactFields) => ({
  email: f.email,
  phone: f.phone,
  first_name: f.first_name,
  last_name: f.last_name,
  company: f.company,
  job_title: f.job_title,
  timezone: f.timezone,
  status: f.status,
});

const selectContacts = () =>
  typed
    .selectFrom('contacts as c')
    .select((eb) => [
      'c.id',
      'c.email',
      'c.phone',
      'c.first_name',
      'c.last_name',
      'c.company',
      'c.job_title',
      'c.timezone',
      'c.attributes',
      'c.status',
      'c.created_at',
      'c.updated_at',
      eb.cast<string>('c.created_at', 'text').as('sort_key'),
    ]);

export type ContactRow = InferResult<ReturnType<typeof selectContacts>>[number];

export interface ContactFilter {
  status?: string;
  /**
   * Matched case-insensitively anywhere in the email, first or last or full name, company or phone;
   * a term that reads as a phone number also matches a phone by its digits alone.
   */
  q?: string;
  segment_id?: string;
  limit: number;
  cursor?: Keyset;
}

/** `q` as a LIKE pattern matching it anywhere, its own wildcards taken literally. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

/** The digits of a term typed as a phone number ("+1 (555) 010"), none for any other term. */
const phoneDigits = (q: string) => {
  const digits = q.replace(/[^0-9]/g, '');
  return /^[+0-9\s().-]+$/.test(q) && digits.length >= 3 ? [digits] : [];
};

export function listContacts(s: SqlSession, tenantId: string, filter: ContactFilter) {
  const { status, q, segment_id } = filter;
  let query = selectContacts().where('c.tenant_id', '=', tenantId);
  if (status !== undefined) query = query.where('c.status', '=', status);
  if (q !== undefined) {
    const pattern = containing(q);
    query = query.where((eb) =>
      eb.or([
        eb('c.email', 'ilike', pattern),
        eb('c.first_name', 'ilike', pattern),
        eb('c.last_name', 'ilike', pattern),
        eb(eb.fn<string>('concat_ws', [sql.lit(' '), 'c.first_name', 'c.last_name']), 'ilike', pattern),
        eb('c.company', 'ilike', pattern),
        eb('c.phone', 'ilike', pattern),
        ...phoneDigits(q).map((digits) =>
          eb(sql<string>`regexp_replace(c.phone, '[^0-9]', '', 'g')`, 'like', `%${digits}%`),
        ),
      ]),
    );
  }
  if (segment_id !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('segment_members as m')
          .select(sql.lit(1).as('one'))
          .where('m.tenant_id', '=', tenantId)
          .where('m.segment_id', '=', segment_id)
          .whereRef('m.contact_id', '=', 'c.id'),
      ),
    );
  }
  return rows(s, newestFirstPage(query, { at: 'c.created_at', id: 'c.id' }, filter));
}

export async function getContact(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectContacts().where('c.tenant_id', '=', tenantId).where('c.id', '=', id));
  return row;
}

/** The contact holding `email` (compared case-insensitively, as the unique index does). */
export async function contactIdByEmail(s: SqlSession, tenantId: string, email: string): Promise<string | undefined> {
  const [row] = await rows(
    s,
    typed
      .selectFrom('contacts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('email', 'is not', null)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', eb.fn('lower', [eb.val(email)]))),
  );
  return row?.id;
}

export async function insertContact(s: SqlSession, tenantId: string, fields: ContactFields): Promise<string> {
  const [row] = await rows(
    s,
    typed
      .insertInto('contacts')
      .values({ tenant_id: tenantId, attributes: JSON.stringify(fields.attributes ?? {}), ...written(fields) })
      .returning('id'),
  );
  return row!.id;
}

/** The contact's attributes merged with the patch `patch`: keys set to null are removed. */
const mergePatch = (patch: Record<string, unknown>) =>
  sql<Json>`(SELECT coalesce(jsonb_object_agg(a.key, a.value), '{}'::jsonb)
               FROM jsonb_each(attributes || ${JSON.stringify(patch)}::jsonb) AS a WHERE a.value <> 'null'::jsonb)`;

/** Applies `fields`; false when the tenant has no such contact. */
export async function updateContact(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: ContactFields,
): Promise<boolean> {
  const updated = await rows(
    s,
    typed
      .updateTable('contacts')
      .set({
        ...written(fields),
        attributes: fields.attributes === undefined ? undefined : mergePatch(fields.attributes),
        updated_at: sql<Date>`now()`,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
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
 * row's attributes, and keeps its status (an import never resubscribes anyone). Set-based (bulk
 * updates and upserts from jsonb_to_recordset), so visible SQL rather than the builder.
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
