// The caller's tenant, its workspaces and its API keys, as the API reads and writes them (the
// tenants by id or slug, as the command line names them: ./tenant-refs.ts).
import { sql } from 'kysely';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

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

const TENANT_COLUMNS = [
  'id',
  'slug',
  'name',
  'currency',
  'timezone',
  'autonomous_enabled',
  'settings',
  'created_at',
  'updated_at',
] as const;

export async function getTenant(s: SqlSession, tenantId: string) {
  const [row] = await rows(s, typed.selectFrom('tenants').select(TENANT_COLUMNS).where('id', '=', tenantId));
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

/** Changes the fields given (Kysely leaves a field that is undefined out of the SET). */
export async function updateTenant(s: SqlSession, tenantId: string, changes: TenantChanges) {
  const { guardrails, cmo_loop } = changes;
  const [row] = await rows(
    s,
    typed
      .updateTable('tenants')
      .set({
        name: changes.name,
        currency: changes.currency,
        timezone: changes.timezone,
        autonomous_enabled: changes.autonomous_enabled,
        // Replaces only the sections given (JSON.stringify leaves an undefined one out); a null inside
        // a section is a value (max_daily_budget_increase: null is "no cap") and is kept.
        settings: sql`settings || ${JSON.stringify({ guardrails, cmo_loop })}::jsonb`,
        updated_at: sql`now()`,
      })
      .where('id', '=', tenantId)
      .returning(TENANT_COLUMNS),
  );
  return row;
}

const WORKSPACE_COLUMNS = ['id', 'slug', 'name', 'created_at', 'updated_at'] as const;

export function listWorkspaces(s: SqlSession, tenantId: string) {
  return rows(
    s,
    typed
      .selectFrom('workspaces')
      .select(WORKSPACE_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id'),
  );
}

export async function getWorkspace(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed.selectFrom('workspaces').select(WORKSPACE_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return row;
}

export async function insertWorkspace(s: SqlSession, tenantId: string, fields: { slug: string; name: string }) {
  const [row] = await rows(
    s,
    typed
      .insertInto('workspaces')
      .values({ tenant_id: tenantId, slug: fields.slug, name: fields.name })
      .returning(WORKSPACE_COLUMNS),
  );
  return row!;
}

/** Changes the fields given (Kysely leaves a field that is undefined out of the SET). */
export async function updateWorkspace(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: { slug?: string; name?: string },
) {
  const [row] = await rows(
    s,
    typed
      .updateTable('workspaces')
      .set({ slug: fields.slug, name: fields.name, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning(WORKSPACE_COLUMNS),
  );
  return row;
}

const API_KEY_COLUMNS = [
  'id',
  'name',
  'key_prefix',
  'role',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
] as const;

export function listApiKeys(s: SqlSession, tenantId: string) {
  return rows(
    s,
    typed
      .selectFrom('api_keys')
      .select(API_KEY_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id'),
  );
}

export async function getApiKey(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed.selectFrom('api_keys').select(API_KEY_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return row;
}

/** Revokes a key (kept for the record); revoking twice keeps the first time. */
export async function revokeApiKey(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', sql<Date>`now()`) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning(API_KEY_COLUMNS),
  );
  return row;
}
