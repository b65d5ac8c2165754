// The caller as /api/me answers it, and the token /api/me/token mints to switch tenant.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';
import { ROLES } from './role-vocabulary.ts';

const role = z.enum(ROLES);

export const meRecord = z.object({
  tenant: z.object({ id: uuid, slug: z.string(), name: z.string(), currency: z.string() }),
  role: role.describe('The caller’s role in this tenant'),
  user: z
    .object({
      id: uuid,
      email: z.string().nullable().describe('null only if the person’s user row is gone'),
    })
    .nullable()
    .describe('The person behind the token; null for an API key'),
  memberships: z
    .array(z.object({ tenant_id: uuid, slug: z.string(), name: z.string(), role }))
    .describe('Every tenant the person is a member of (by name); empty for an API key'),
});

export const tenantToken = z.object({
  token: z.string().describe('A bearer token for the tenant'),
  tenant_id: uuid,
  role,
  expires_at: timestamp,
});

export type Me = z.infer<typeof meRecord>;
export type TenantToken = z.infer<typeof tenantToken>;
