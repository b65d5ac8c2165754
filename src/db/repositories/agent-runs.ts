// The tenant's agent runs as the API reads them: newest first in keyset pages, and one run with
// its input and output. Writing them is the runs' own (src/agents/agent-run.ts). Every statement
// names its tenant (row-level security checks it again).

import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

const HEAD_COLUMNS = `id, agent, mode, status, workspace_id, provider, model, error, duration_ms, created_by,
  created_at, completed_at`;

export interface AgentRunHead {
  id: string;
  agent: string;
  mode: string | null;
  status: 'running' | 'completed' | 'failed';
  workspace_id: string | null;
  provider: string | null;
  model: string | null;
  error: string | null;
  duration_ms: number | null;
  created_by: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface AgentRunDetail extends AgentRunHead {
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
}

export interface AgentRunFilter {
  agent?: string;
  status?: string;
  workspace_id?: string;
  limit: number;
  cursor?: Keyset;
}

/** One row more than `limit`, each with its sort key: the page tells from it whether another follows. */
export function listAgentRuns(s: SqlSession, tenantId: string, filter: AgentRunFilter) {
  return s.query<AgentRunHead & { sort_key: string }>(
    `SELECT ${HEAD_COLUMNS}, created_at::text AS sort_key
       FROM agent_runs
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR agent = $2) AND ($3::text IS NULL OR status = $3)
        AND ($4::uuid IS NULL OR workspace_id = $4)
        AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $7`,
    [
      tenantId,
      filter.agent ?? null,
      filter.status ?? null,
      filter.workspace_id ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
  );
}

export async function getAgentRun(s: SqlSession, tenantId: string, id: string): Promise<AgentRunDetail | undefined> {
  const [row] = await s.query<AgentRunDetail>(
    `SELECT ${HEAD_COLUMNS}, input, output FROM agent_runs WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return row;
}
