// /api/contacts: list (filtered, cursor pages), read, create, change, and the bulk import (JSON
// or CSV, up to 10,000 rows, a row-level report). Contacts are never deleted: other records point
// at them, so a contact leaves by becoming unsubscribed.
import type { Context } from 'hono';
import { z } from 'zod';
import { contactImportReport, contactRecord } from '../contract/contacts.ts';
import { pageSchema } from '../contract/page.ts';
import { rowsFromCsv, rowsFromJson } from '../domain/contact-import.ts';
import {
  attributes,
  attributesPatch,
  CONTACT_STATUSES,
  contactFields,
  reachable,
  unreachableIssue,
} from '../domain/contacts.ts';
import type { AuthEnv } from '../server/authenticate.ts';
import { createContact, getContact, importContacts, listContacts, updateContact } from '../services/contacts.ts';
import { importCsvBody, importJsonBody } from './contact-import.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, uuid } from './schemas.ts';

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

function show<Row extends { sort_key: string }>({ sort_key: _, ...row }: Row) {
  return row;
}

const mediaType = (c: Context<AuthEnv>) => c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();

export function contactRoutes(api: ApiRouter): void {
  const tag = 'Contacts';
  const one = { description: 'The contact', schema: contactRecord };

  api.tenant(
    {
      method: 'get',
      path: '/api/contacts',
      tag,
      summary: 'List contacts, newest first',
      description:
        '`q` matches email, first, last or full name, company or phone, case-insensitively (a phone also by its digits: `555 0100` finds +15550100); `segment_id` lists that segment’s members.',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of contacts', schema: pageSchema(contactRecord) } },
    },
    async ({ c, db, principal, query }) => {
      return c.json(toPage(await listContacts(db, principal.tenantId, query), query.limit));
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
      return c.json(show(await getContact(db, principal.tenantId, params.id)));
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
      const row = await createContact(db, principal.tenantId, body);
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
      return c.json(show(await updateContact(db, principal.tenantId, params.id, body)));
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
      responses: { 200: { description: 'The row-level report', schema: contactImportReport } },
    },
    async ({ c, db, principal, query, body }) => {
      const csv = mediaType(c) === 'text/csv';
      const rows = csv ? rowsFromCsv(await c.req.text()) : rowsFromJson(body.contacts);
      const report = await importContacts(db, principal.tenantId, rows, csv ? 'csv' : 'json', {
        segmentId: query.segment_id,
        onError: query.on_error,
      });
      return c.json(report);
    },
  );
}
