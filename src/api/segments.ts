// /api/segments: list (cursor pages), read, create, change, delete, and the stored membership: list the
// members, add contacts by id or email (idempotent, unknown ones reported), remove them.
import { z } from 'zod';
import { contactRecord } from '../contract/contacts.ts';
import { pageSchema } from '../contract/page.ts';
import { segmentRecord as segment, segmentMembersAdded, segmentMembersRemoved } from '../contract/segments.ts';
import { CONTACT_STATUSES } from '../domain/contacts.ts';
import {
  addMembers,
  createSegment,
  deleteSegment,
  getSegment,
  listMembers,
  listSegments,
  removeMembers,
  updateSegment,
} from '../services/segments.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, shortText, uuid } from './schemas.ts';

const MAX_MEMBERS_PER_REQUEST = 10_000;

const editable = {
  name: shortText(200),
  description: z.string().max(5000).nullable(),
  definition: z.record(z.string(), z.json()).describe('How members were chosen (kept as given)'),
};

const createBody = z
  .strictObject(editable)
  .partial()
  .required({ name: true })
  .extend({ workspace_id: uuid.optional() });

const updateBody = z
  .strictObject(editable)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'names no field to change' });

const listQuery = z.strictObject({ ...pageQuery, workspace_id: uuid.optional() });

const membersQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(CONTACT_STATUSES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

const tooMany = { message: `at most ${MAX_MEMBERS_PER_REQUEST} contacts per request` };

const addBody = z
  .strictObject({
    contact_ids: z.array(uuid).max(MAX_MEMBERS_PER_REQUEST).optional(),
    emails: z.array(z.string().trim().min(1).max(320)).max(MAX_MEMBERS_PER_REQUEST).optional(),
  })
  .refine((body) => (body.contact_ids?.length ?? 0) + (body.emails?.length ?? 0) > 0, {
    message: 'names no contact: give contact_ids or emails',
    path: ['contact_ids'],
  })
  .refine((body) => (body.contact_ids?.length ?? 0) + (body.emails?.length ?? 0) <= MAX_MEMBERS_PER_REQUEST, {
    ...tooMany,
    path: ['contact_ids'],
  });

const removeBody = z.strictObject({ contact_ids: z.array(uuid).min(1).max(MAX_MEMBERS_PER_REQUEST) });

function show<Row extends { sort_key: string }>({ sort_key: _, ...row }: Row) {
  return row;
}

export function segmentRoutes(api: ApiRouter): void {
  const tag = 'Segments';
  const one = { description: 'The segment, with its member count', schema: segment };

  api.tenant(
    {
      method: 'get',
      path: '/api/segments',
      tag,
      summary: 'List segments, newest first',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of segments', schema: pageSchema(segment) } },
    },
    async ({ c, db, principal, query }) => {
      return c.json(toPage(await listSegments(db, principal.tenantId, query), query.limit));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/segments/{id}',
      tag,
      summary: 'Read a segment',
      access: 'viewer',
      params: idParams,
      responses: { 200: one },
    },
    async ({ c, db, principal, params }) => {
      return c.json(show(await getSegment(db, principal.tenantId, params.id)));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/segments',
      tag,
      summary: 'Create a segment',
      description:
        'Without workspace_id the segment goes to the tenant’s first workspace. A name is unique in its workspace (409).',
      access: 'member',
      body: createBody,
      responses: { 201: one },
    },
    async ({ c, db, principal, body }) => {
      const row = await createSegment(db, principal.tenantId, body);
      return c.json(show(row), 201, { location: `/api/segments/${row.id}` });
    },
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/segments/{id}',
      tag,
      summary: 'Change a segment',
      description: 'Fields given are set; a name is unique in its workspace (409).',
      access: 'member',
      params: idParams,
      body: updateBody,
      responses: { 200: one },
    },
    async ({ c, db, principal, params, body }) => {
      return c.json(show(await updateSegment(db, principal.tenantId, params.id, body)));
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/segments/{id}',
      tag,
      summary: 'Delete a segment',
      description:
        'The segment and its memberships go; the contacts stay. A segment that is a campaign’s audience ' +
        'cannot be deleted (409 naming the campaigns).',
      access: 'member',
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ c, db, principal, params }) => {
      await deleteSegment(db, principal.tenantId, params.id);
      return c.body(null, 204);
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/segments/{id}/members',
      tag,
      summary: 'List the segment’s members (contacts), newest contact first',
      access: 'viewer',
      params: idParams,
      query: membersQuery,
      responses: { 200: { description: 'A page of contacts', schema: pageSchema(contactRecord) } },
    },
    async ({ c, db, principal, params, query }) => {
      return c.json(toPage(await listMembers(db, principal.tenantId, params.id, query), query.limit));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/segments/{id}/members',
      tag,
      summary: 'Add contacts to the segment, by id or by email',
      description:
        `Up to ${MAX_MEMBERS_PER_REQUEST} ids and emails together (emails compared case-insensitively). ` +
        'Adding a member again changes nothing; ids and emails naming no contact are listed in `not_found` ' +
        'and the others are added all the same.',
      access: 'member',
      params: idParams,
      body: addBody,
      responses: { 200: { description: 'What changed', schema: segmentMembersAdded } },
    },
    async ({ c, db, principal, params, body }) => {
      return c.json(await addMembers(db, principal.tenantId, params.id, body.contact_ids ?? [], body.emails ?? []));
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/segments/{id}/members',
      tag,
      summary: 'Remove contacts from the segment',
      description: 'The contacts themselves stay; ids that are not members are ignored.',
      access: 'member',
      params: idParams,
      body: removeBody,
      responses: { 200: { description: 'What changed', schema: segmentMembersRemoved } },
    },
    async ({ c, db, principal, params, body }) => {
      return c.json(await removeMembers(db, principal.tenantId, params.id, body.contact_ids));
    },
  );
}
