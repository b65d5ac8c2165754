// Reading the tenant's agent runs (the CMO agents and the CMO loop), for /api/agent-runs.
import type { Database } from '../db/port.ts';
import * as runs from '../db/repositories/agent-runs.ts';
import { NotFoundError } from '../domain/errors.ts';

export function listAgentRuns(db: Database, tenantId: string, filter: runs.AgentRunFilter) {
  return db.session((s) => runs.listAgentRuns(s, tenantId, filter));
}

export async function getAgentRun(db: Database, tenantId: string, id: string): Promise<runs.AgentRunDetail> {
  const run = await db.session((s) => runs.getAgentRun(s, tenantId, id));
  if (!run) throw new NotFoundError(`no agent run ${id}`);
  return run;
}
