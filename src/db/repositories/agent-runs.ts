// The tenant's agent runs as the API reads them: newest first in keyset pages, and one run with
// its input and output. Writing them is the runs' own (src/agents/agent-run.ts). Every statement
// names its tenant (row-level security checks it again).

import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

const HEAD_COLUMNS = [
  'id',
  'agent',
  'mode',
  'status',
  'workspace_id',
  'provider',
  'model',
  'error',
  'duration_ms',
  'created_by',
  'created_at',
  'completed_at',
] as const;

export interface AgentRunFilter {
  agent?: string;
  status?: string;
  workspace_id?: string;
  limit: number;
  cursor?: Keyset;
}

/** One row more than `limit`, each with its sort key: the page tells from it whether another follows. */
export function listAgentRuns(s: SqlSession, tenantId: string, filter: AgentRunFilter) {
  let query = typed
    .selectFrom('agent_runs')
    .select((eb) => [...HEAD_COLUMNS, eb.cast<string>('created_at', 'text').as('sort_key')])
    .where('tenant_id', '=', tenantId);
  if (filter.agent !== undefined) query = query.where('agent', '=', filter.agent);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.workspace_id !== undefined) query = query.where('workspace_id', '=', filter.workspace_id);
  return rows(s, newestFirstPage(query, { at: 'created_at', id: 'id' }, filter));
}

export type AgentRunDetail = NonNullable<Awaited<ReturnType<typeof getAgentRun>>>;

export async function getAgentRun(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('agent_runs')
      .select([...HEAD_COLUMNS, 'input', 'output'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id),
  );
  return row;
}
