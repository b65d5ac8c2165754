// The caller's tenant (settings, guardrails, the autonomy kill switch), its workspaces, and its
// API keys. A token belongs to one tenant: any other tenant's id answers 404.
import { z } from 'zod';
import { guardrailSettingsSchema, loopSettingsSchema } from '../contract/tenant-settings.ts';
import { apiKeyList, apiKeyRecord, createdApiKey, tenantList, tenantRecord } from '../contract/tenants.ts';
import { workspaceList, workspaceRecord } from '../contract/workspaces.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.ts';
import { getTenantSettings, updateTenantSettings } from '../services/tenants.ts';
import { createWorkspace, getWorkspace, listWorkspaces, updateWorkspace } from '../services/workspaces.ts';
import type { ApiRouter } from './router.ts';
import { currency, idParams, isoDateTime, shortText, slug, timeZone } from './schemas.ts';

export function tenantRoutes(api: ApiRouter): void {
  const tag = 'Tenant';

  api.tenant(
    {
      method: 'get',
      path: '/api/tenants',
      tag,
      summary: 'The tenants the caller can see (its own)',
      access: 'viewer',
      responses: { 200: { description: 'The caller’s tenant', schema: tenantList } },
    },
    async ({ c, db, principal }) => c.json({ data: [await getTenantSettings(db, principal.tenantId)] }),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/tenants/{id}',
      tag,
      summary: 'Read the tenant, with the guardrails in force',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The tenant', schema: tenantRecord } },
    },
    async ({ c, db, principal, params }) => c.json(await getTenantSettings(db, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/tenants/{id}',
      tag,
      summary: 'Change the tenant: name, currency, time zone, autonomy switch, guardrails, CMO loop thresholds',
      description:
        'autonomous_enabled false stops every autonomous action of the tenant (rules then only suggest). guardrails replaces the guardrail settings and cmo_loop the CMO loop’s thresholds; fields left out take their defaults.',
      access: 'admin',
      params: idParams,
      body: z
        .strictObject({
          name: shortText(200),
          currency,
          timezone: timeZone,
          autonomous_enabled: z.boolean(),
          guardrails: guardrailSettingsSchema,
          cmo_loop: loopSettingsSchema,
        })
        .partial()
        .refine((body) => Object.keys(body).length > 0, { message: 'names no field to change' }),
      responses: { 200: { description: 'The tenant', schema: tenantRecord } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(await updateTenantSettings(db, principal.tenantId, params.id, body)),
  );

  const wsTag = 'Workspaces';
  api.tenant(
    {
      method: 'get',
      path: '/api/workspaces',
      tag: wsTag,
      summary: 'List the tenant’s workspaces, oldest first',
      access: 'viewer',
      responses: { 200: { description: 'The workspaces', schema: workspaceList } },
    },
    async ({ c, db, principal }) => c.json({ data: await listWorkspaces(db, principal.tenantId) }),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/workspaces/{id}',
      tag: wsTag,
      summary: 'Read a workspace',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The workspace', schema: workspaceRecord } },
    },
    async ({ c, db, principal, params }) => c.json(await getWorkspace(db, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/workspaces',
      tag: wsTag,
      summary: 'Create a workspace',
      description: 'The slug is unique within the tenant (409 when taken).',
      access: 'admin',
      body: z.strictObject({ slug, name: shortText(200) }),
      responses: { 201: { description: 'The workspace', schema: workspaceRecord } },
    },
    async ({ c, db, principal, body }) => {
      const row = await createWorkspace(db, principal.tenantId, body);
      return c.json(row, 201, { location: `/api/workspaces/${row.id}` });
    },
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/workspaces/{id}',
      tag: wsTag,
      summary: 'Rename a workspace',
      access: 'admin',
      params: idParams,
      body: z
        .strictObject({ slug, name: shortText(200) })
        .partial()
        .refine((body) => Object.keys(body).length > 0, { message: 'names no field to change' }),
      responses: { 200: { description: 'The workspace', schema: workspaceRecord } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(await updateWorkspace(db, principal.tenantId, params.id, body)),
  );

  const keyTag = 'API keys';
  api.tenant(
    {
      method: 'get',
      path: '/api/api-keys',
      tag: keyTag,
      summary: 'List the tenant’s API keys (never the keys themselves)',
      access: 'admin',
      responses: { 200: { description: 'The keys', schema: apiKeyList } },
    },
    async ({ c, db, principal }) => c.json({ data: await listApiKeys(db, principal.tenantId) }),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/api-keys',
      tag: keyTag,
      summary: 'Create an API key for a machine',
      description: 'The key is in this response only: it is stored as a hash and cannot be shown again.',
      access: 'admin',
      body: z.strictObject({
        name: shortText(200),
        role: z.enum(['viewer', 'member', 'admin']),
        expires_at: isoDateTime
          .refine((at) => Date.parse(at) > Date.now(), { message: 'must be in the future' })
          .optional(),
      }),
      responses: { 201: { description: 'The key, shown once', schema: createdApiKey } },
    },
    async ({ c, db, principal, body }) => {
      const { id, record } = await createApiKey(db, principal.tenantId, {
        name: body.name,
        role: body.role,
        createdBy: principal.userId ?? undefined,
        expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
      });
      return c.json(record, 201, { location: `/api/api-keys/${id}` });
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/api-keys/{id}',
      tag: keyTag,
      summary: 'Revoke an API key',
      description: 'The key stops working at once; its record stays, with revoked_at.',
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'The revoked key', schema: apiKeyRecord } },
    },
    async ({ c, db, principal, params }) => c.json(await revokeApiKey(db, principal.tenantId, params.id)),
  );
}
