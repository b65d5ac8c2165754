// Where a new campaign, segment or content asset goes when the request names no workspace.
import type { SqlSession } from '../db/port.ts';
import { defaultWorkspace } from '../db/repositories/campaigns.ts';
import { InvalidInputError } from '../domain/errors.ts';

/** `workspaceId` if given, else the tenant's first workspace; an InvalidInputError when it has none. */
export async function workspaceOrDefault(s: SqlSession, tenantId: string, workspaceId?: string): Promise<string> {
  const workspace = workspaceId ?? (await defaultWorkspace(s, tenantId));
  if (!workspace) {
    throw new InvalidInputError([{ field: 'workspace_id', in: 'body', message: 'the tenant has no workspace yet' }]);
  }
  return workspace;
}
