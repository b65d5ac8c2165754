// The tenant's workspaces, for /api/workspaces; where a new campaign, segment or content asset
// goes when the request names no workspace; and the workspace a CMO agent works in.
import { findWorkspace } from '../agents/workspace-context.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { defaultWorkspace } from '../db/repositories/campaigns.ts';
import * as tenants from '../db/repositories/tenants.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.ts';

/** `workspaceId` if given, else the tenant's first workspace; an InvalidInputError when it has none. */
export async function workspaceOrDefault(s: SqlSession, tenantId: string, workspaceId?: string): Promise<string> {
  const workspace = workspaceId ?? (await defaultWorkspace(s, tenantId));
  if (!workspace) {
    throw new InvalidInputError([{ field: 'workspace_id', in: 'body', message: 'the tenant has no workspace yet' }]);
  }
  return workspace;
}

export function listWorkspaces(db: Database, tenantId: string) {
  return db.session((s) => tenants.listWorkspaces(s, tenantId));
}

export async function getWorkspace(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => tenants.getWorkspace(s, tenantId, id));
  if (!row) throw new NotFoundError(`no workspace ${id}`);
  return row;
}

/** A slug taken in the tenant is the database's unique-key conflict. */
export function createWorkspace(db: Database, tenantId: string, fields: { slug: string; name: string }) {
  return db.transaction((s) => tenants.insertWorkspace(s, tenantId, fields));
}

export async function updateWorkspace(
  db: Database,
  tenantId: string,
  id: string,
  fields: { slug?: string; name?: string },
) {
  const row = await db.transaction((s) => tenants.updateWorkspace(s, tenantId, id, fields));
  if (!row) throw new NotFoundError(`no workspace ${id}`);
  return row;
}

/** A workspace named by its id alone, as the command line names it (system work: any tenant's). */
export async function workspaceById(db: Database, id: string) {
  const row = await db.session((s) => tenants.findWorkspaceById(s, id));
  if (!row) throw new NotFoundError(`no workspace ${JSON.stringify(id)}`);
  return row;
}

/**
 * The workspace `agent` works in: the one named, which must be the tenant's (forbidden otherwise,
 * before anything else is read), or the tenant's first.
 */
export async function agentWorkspace(db: Database, tenantId: string, agent: string, workspaceId: string | undefined) {
  const id = workspaceId ?? (await db.session((s) => defaultWorkspace(s, tenantId)));
  if (id === undefined) {
    throw new InvalidInputError(
      [{ field: 'workspaceId', in: 'body', message: 'the tenant has no workspace' }],
      `workspaceId: the tenant has no workspace for the ${agent} agent`,
    );
  }
  const workspace = await db.session((s) => findWorkspace(s, tenantId, id));
  if (!workspace) throw new ForbiddenError(`no access to workspace ${id}`);
  return workspace;
}
