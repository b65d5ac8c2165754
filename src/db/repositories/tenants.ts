// The caller's tenant, its workspaces and its API keys, as the API reads and writes them; and the
// tenants by id or slug, as the command line names them.
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** A tenant as the command line names it: by id or by slug. */
export interface TenantRef {
  id: string;
  slug: string;
}

export async function findTenantRef(s: SqlSession, by: { id: string } | { slug: string }) {
  const query = typed.selectFrom('tenants').select(['id', 'slug']);
  const [row] = await rows(s, 'id' in by ? query.where('id', '=', by.id) : query.where('slug', '=', by.slug));
  return row;
}

/** Every tenant, oldest first or by slug. */
export function listTenantRefs(s: SqlSession, order: 'oldest' | 'slug'): Promise<TenantRef[]> {
  const query = typed.selectFrom('tenants').select(['id', 'slug']);
  return rows(s, order === 'slug' ? query.orderBy('slug') : query.orderBy('created_at').orderBy('id'));
}

/** A workspace by its id, whichever tenant's (the command line names a workspace alone); any text may be asked. */
export async function findWorkspaceById(s: SqlSession, id: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('workspaces')
      .select(['id', 'name', 'tenant_id'])
      .where((eb) => eb(eb.cast('id', 'text'), '=', id)),
  );
  return row;
}

const TENANT = `SELECT id, slug, name, currency, timezone, autonomous_enabled, settings, created_at, updated_at FROM tenants`;

export async function getTenant(s: SqlSession, tenantId: string) {
  const [row] = await s.query(`${TENANT} WHERE id = $1`, [tenantId]);
  return row;
}

export interface TenantChanges {
  name?: string;
  currency?: string;
  timezone?: string;
  autonomous_enabled?: boolean;
  /** Replace settings.guardrails and settings.cmo_loop as a whole (validated by the caller). */
  guardrails?: object;
  cmo_loop?: object;
}

export async function updateTenant(s: SqlSession, tenantId: string, changes: TenantChanges) {
  const [row] = await s.query(
    `UPDATE tenants SET name = coalesce($2, name), currency = coalesce($3, currency), timezone = coalesce($4, timezone),
            autonomous_enabled = coalesce($5, autonomous_enabled),
            settings = settings || jsonb_strip_nulls(jsonb_build_object('guardrails', $6::jsonb, 'cmo_loop', $7::jsonb)),
            updated_at = now()
      WHERE id = $1
      RETURNING id, slug, name, currency, timezone, autonomous_enabled, settings, created_at, updated_at`,
    [
      tenantId,
      changes.name ?? null,
      changes.currency ?? null,
      changes.timezone ?? null,
      changes.autonomous_enabled ?? null,
      changes.guardrails ? JSON.stringify(changes.guardrails) : null,
      changes.cmo_loop ? JSON.stringify(changes.cmo_loop) : null,
    ],
  );
  return row;
}

const WORKSPACE = 'SELECT id, slug, name, created_at, updated_at FROM workspaces';

export function listWorkspaces(s: SqlSession, tenantId: string) {
  return s.query(`${WORKSPACE} WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
}

export async function getWorkspace(s: SqlSession, tenantId: string, id: string) {
  const [row] = await s.query(`${WORKSPACE} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return row;
}

export async function insertWorkspace(s: SqlSession, tenantId: string, fields: { slug: string; name: string }) {
  const [row] = await s.query(
    'INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, $2, $3) RETURNING id, slug, name, created_at, updated_at',
    [tenantId, fields.slug, fields.name],
  );
  return row!;
}

export async function updateWorkspace(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: { slug?: string; name?: string },
) {
  const [row] = await s.query(
    `UPDATE workspaces SET slug = coalesce($3, slug), name = coalesce($4, name), updated_at = now()
      WHERE tenant_id = $1 AND id = $2 RETURNING id, slug, name, created_at, updated_at`,
    [tenantId, id, fields.slug ?? null, fields.name ?? null],
  );
  return row;
}

const API_KEY = 'SELECT id, name, key_prefix, role, created_at, last_used_at, expires_at, revoked_at FROM api_keys';

export function listApiKeys(s: SqlSession, tenantId: string) {
  return s.query(`${API_KEY} WHERE tenant_id = $1 ORDER BY created_at DESC, id`, [tenantId]);
}

export async function getApiKey(s: SqlSession, tenantId: string, id: string) {
  const [row] = await s.query(`${API_KEY} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return row;
}

/** Revokes a key (kept for the record); revoking twice keeps the first time. */
export async function revokeApiKey(s: SqlSession, tenantId: string, id: string) {
  const [row] = await s.query(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2
     RETURNING id, name, key_prefix, role, created_at, last_used_at, expires_at, revoked_at`,
    [tenantId, id],
  );
  return row;
}
