// The tenant's API keys, for /api/api-keys: created (the key shown once), listed without the keys
// themselves, and revoked.
import { createApiKey as mintApiKey } from '../auth/api-keys.ts';
import type { Database } from '../db/port.ts';
import * as tenants from '../db/repositories/tenants.ts';
import { NotFoundError } from '../domain/errors.ts';

export function listApiKeys(db: Database, tenantId: string) {
  return db.session((s) => tenants.listApiKeys(s, tenantId));
}

/** The key's record with the key itself, which is stored as a hash only and never shown again. */
export async function createApiKey(db: Database, tenantId: string, fields: Parameters<typeof mintApiKey>[2]) {
  const { id, key } = await mintApiKey(db, tenantId, fields);
  const row = await db.session((s) => tenants.getApiKey(s, tenantId, id));
  return { id, record: { ...row, key } };
}

export async function revokeApiKey(db: Database, tenantId: string, id: string) {
  const row = await db.transaction((s) => tenants.revokeApiKey(s, tenantId, id));
  if (!row) throw new NotFoundError(`no API key ${id}`);
  return row;
}
