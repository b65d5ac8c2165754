// The tenant as the tenants API answers it (its settings read with the defaults filled in), and
// its API keys as the api-keys API answers them (never the key itself, but once at creation).
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';
import { guardrailSettingsSchema, loopSettingsSchema } from './tenant-settings.ts';

export const tenantRecord = z.object({
  id: uuid,
  slug: z.string(),
  name: z.string(),
  currency: z.string(),
  timezone: z.string(),
  autonomous_enabled: z.boolean(),
  guardrails: guardrailSettingsSchema.describe('The guardrail settings in force (defaults filled in)'),
  cmo_loop: loopSettingsSchema.describe('The CMO loop’s thresholds in force (defaults filled in; docs/cmo-loop.md)'),
  created_at: timestamp,
  updated_at: timestamp,
});
/** The tenants the caller can see: its own. */
export const tenantList = z.object({ data: z.array(tenantRecord) });

export const apiKeyRecord = z.object({
  id: uuid,
  name: z.string(),
  key_prefix: z.string(),
  role: z.string(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  expires_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});
export const apiKeyList = z.object({ data: z.array(apiKeyRecord) });
/** A new key's record with the key itself, shown this once. */
export const createdApiKey = apiKeyRecord.extend({ key: z.string() });

export type TenantRecord = z.infer<typeof tenantRecord>;
export type TenantList = z.infer<typeof tenantList>;
export type ApiKeyRecord = z.infer<typeof apiKeyRecord>;
export type ApiKeyList = z.infer<typeof apiKeyList>;
export type CreatedApiKey = z.infer<typeof createdApiKey>;
