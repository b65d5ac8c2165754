// /api/contacts: list (filtered, cursor pages), read, create, change, and the bulk import (JSON
// or CSV, up to 10,000 rows, a row-level report). Contacts are never deleted: other records point
// at them, so a contact leaves by becoming unsubscribed.
import type { Context } from 'hono';
import { z } from 'zod';
import { analyzeAfterBulk } from '../db/analyze-after-bulk.ts';
import type { SqlSession } from '../db/port.ts';
import {
  type ContactRow,
  contactIdByEmail,
  getContact,
  importContacts,
  insertContact,
  listContacts,
  updateContact,
} from '../db/repositories/contacts.ts';
import { addMembers, segmentExists } from '../db/repositories/segments.ts';
import type { AuthEnv } from '../server/authenticate.ts';
import { invalid, ProblemError } from '../server/problem.ts';
import {
  attributes,
  attributesPatch,
  CONTACT_STATUSES,
  contactFields,
  importCsvBody,
  importJsonBody,
  planImport,
  reachable,
  rowsFromCsv,
  rowsFromJson,
  unreachableIssue,
} from './contact-import.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, timestamp, uuid } from './schemas.ts';

const createBody = z
  .strictObject({ ...contactFields, attributes: attributes.optional(), status: z.enum(CONTACT_STATUSES).optional() })
  .refine(reachable, unreachableIssue);

const updateBody = z
  .strictObject({
    ...contactFields,
    attributes: attributesPatch.optional(),
    status: z.enum(CONTACT_STATUSES).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'names no field to change' });

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(CONTACT_STATUSES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  segment_id: uuid.optional(),
});

const importQuery = z.strictObject({
  segment_id: uuid.optional(),
  on_error: z.enum(['abort', 'skip']).default('abort'),
});

/** A contact as the API shows it. */
export const contactSchema = z.object({
  id: uuid,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  company: z.string().nullable(),
  job_title: z.string().nullable(),
  timezone: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  status: z.enum(CONTACT_STATUSES),
  created_at: timestamp,
  updated_at: timestamp,
});

const importReport = z.object({
  imported: z.number().int().describe('Contacts created'),
  updated: z.number().int().describe('Existing contacts matched (by email, or by phone for a row without email)'),
  rejected: z.array(
    z.object({
      row: z.number().int().describe('1-based data row (a CSV header is not counted)'),
      field: z.string(),
      message: z.string(),
    }),
  ),
  segment_id: uuid.optional(),
  added_to_segment: z.number().int().describe('Contacts that became members of segment_id (not members before)'),
});

function show({ sort_key: _, ...row }: ContactRow) {
  return row;
}

async function mustGet(s: SqlSession, tenantId: string, id: string): Promise<ContactRow> {
  const row = await getContact(s, tenantId, id);
  if (!row) throw new ProblemError(404, `no contact ${id}`);
  return row;
}

/** 409 when another of the tenant's contacts holds the email. */
async function assertEmailFree(s: SqlSession, tenantId: string, email: string, self?: string): Promise<void> {
  const holder = await contactIdByEmail(s, tenantId, email);
  if (holder && holder !== self) {
    throw new ProblemError(409, `the email ${email} belongs to contact ${holder}`, {
      errors: [{ field: 'email', in: 'body', message: `already taken by contact ${holder}` }],
    });
  }
}

const mediaType = (c: Context<AuthEnv>) => c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();

export function contactRoutes(api: ApiRouter): void {
  const tag = 'Contacts';
  const one = { description: 'The contact', schema: contactSchema };

  api.tenant(
    {
      method: 'get',
      path: '/api/contacts',
      tag,
      summary: 'List contacts, newest first',
      description:
        '`q` matches email, first, last or full name, or company, case-insensitively; `segment_id` lists that segment’s members.',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of contacts', schema: pageSchema(contactSchema) } },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listContacts(s, principal.tenantId, query));
      return c.json(toPage(rows, query.limit));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/contacts/{id}',
      tag,
      summary: 'Read a contact',
      access: 'viewer',
      params: idParams,
      responses: { 200: one },
    },
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => mustGet(s, principal.tenantId, params.id));
      return c.json(show(row));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/contacts',
      tag,
      summary: 'Create a contact',
      description: 'A contact needs an email or a phone. An email is unique in the tenant, whatever its case (409).',
      access: 'member',
      body: createBody,
      responses: { 201: one },
    },
    async ({ c, db, principal, body }) => {
      const row = await db.transaction(async (s) => {
        if (body.email) await assertEmailFree(s, principal.tenantId, body.email);
        const id = await insertContact(s, principal.tenantId, body);
        return mustGet(s, principal.tenantId, id);
      });
      return c.json(show(row), 201, { location: `/api/contacts/${row.id}` });
    },
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/contacts/{id}',
      tag,
      summary: 'Change a contact',
      description:
        'Fields given are set (null clears one); `attributes` is merged in, a key set to null is removed. ' +
        'The contact must keep an email or a phone. Contacts are not deleted: set `status` to `unsubscribed` ' +
        'to stop reaching one.',
      access: 'member',
      params: idParams,
      body: updateBody,
      responses: { 200: one },
    },
    async ({ c, db, principal, params, body }) => {
      const row = await db.transaction(async (s) => {
        const current = await mustGet(s, principal.tenantId, params.id);
        const email = body.email === undefined ? current.email : body.email;
        const phone = body.phone === undefined ? current.phone : body.phone;
        if (!reachable({ email, phone })) {
          throw invalid([{ field: 'email', in: 'body', message: `${unreachableIssue.message} (phone too is empty)` }]);
        }
        if (body.email) await assertEmailFree(s, principal.tenantId, body.email, params.id);
        await updateContact(s, principal.tenantId, params.id, body);
        return mustGet(s, principal.tenantId, params.id);
      });
      return c.json(show(row));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/contacts/import',
      tag,
      summary: 'Import contacts in bulk (JSON or CSV)',
      description:
        'Up to 10,000 rows, as JSON `{ "contacts": [...] }` or as `Content-Type: text/csv` with a header row ' +
        '(unknown columns go into attributes). A row whose email (case-insensitively) belongs to a contact ' +
        'updates it, as does a row without email whose phone does; an empty field keeps the stored value, ' +
        'attributes are merged, and the status never changes. Every row is validated on its own. With ' +
        '`on_error=abort` (the default) any bad row fails the import with 422 naming each bad row and field, ' +
        'and nothing is written; with `on_error=skip` the good rows are written and the report lists the bad ' +
        'ones. A repeated email (or phone, without email) is an error of the later row. With `segment_id`, ' +
        'every imported contact is also added to that segment. All in one transaction.',
      access: 'member',
      query: importQuery,
      body: importJsonBody,
      alternateBodies: { 'text/csv': importCsvBody },
      responses: { 200: { description: 'The row-level report', schema: importReport } },
    },
    async ({ c, db, principal, query, body }) => {
      const csv = mediaType(c) === 'text/csv';
      const rows = csv ? rowsFromCsv(await c.req.text()) : rowsFromJson(body.contacts);
      const plan = planImport(rows, csv ? 'csv' : 'json');
      const report = await db.transaction(async (s) => {
        const segmentId = query.segment_id;
        if (segmentId && !(await segmentExists(s, principal.tenantId, segmentId))) {
          throw invalid([{ field: 'segment_id', in: 'query', message: 'names no segment of this tenant' }]);
        }
        if (plan.rejected.length > 0 && query.on_error === 'abort') {
          const badRows = new Set(plan.rejected.map((r) => r.row)).size;
          throw new ProblemError(
            422,
            `${badRows} of ${rows.length} rows are invalid; nothing was imported (on_error=skip imports the others)`,
            { errors: plan.errors },
          );
        }
        const outcome = await importContacts(s, principal.tenantId, plan.accepted);
        const added =
          segmentId && outcome.contactIds.length > 0
            ? (await addMembers(s, principal.tenantId, segmentId, outcome.contactIds, [])).added
            : 0;
        await analyzeAfterBulk(s, { contacts: outcome.imported + outcome.updated, segment_members: added });
        return {
          imported: outcome.imported,
          updated: outcome.updated,
          rejected: plan.rejected,
          ...(segmentId ? { segment_id: segmentId } : {}),
          added_to_segment: added,
        };
      });
      return c.json(report);
    },
  );
}
