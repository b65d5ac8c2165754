// /api/agent-runs: the tenant's agent runs (the CMO agents and the CMO loop), newest first in
// cursor pages, filtered by agent, status or workspace; and one run with its input and output.
import { z } from 'zod';
import type { SqlSession } from '../db/port.ts';
import type { Keyset } from '../db/repositories/keyset.ts';
import { ProblemError } from '../server/problem.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, timestamp, uuid } from './schemas.ts';

const STATUSES = ['running', 'completed', 'failed'] as const;

const runHead = z.object({
  id: uuid,
  agent: z.string(),
  mode: z.string().nullable(),
  status: z.enum(STATUSES),
  workspace_id: uuid.nullable(),
  provider: z.string().nullable().describe('gateway, offline, builtin: who answered'),
  model: z.string().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  created_by: uuid.nullable(),
  created_at: timestamp,
  completed_at: timestamp.nullable(),
});
const runDetail = runHead.extend({
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()).nullable(),
});

const HEAD_COLUMNS = `id, agent, mode, status, workspace_id, provider, model, error, duration_ms, created_by,
  created_at, completed_at`;

interface RunFilter {
  agent?: string;
  status?: string;
  workspace_id?: string;
  limit: number;
  cursor?: Keyset;
}

function listRuns(s: SqlSession, tenantId: string, filter: RunFilter) {
  return s.query<z.output<typeof runHead> & { sort_key: string }>(
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

export function agentRunRoutes(api: ApiRouter): void {
  const tag = 'CMO agents';
  api.tenant(
    {
      method: 'get',
      path: '/api/agent-runs',
      tag,
      summary: 'List agent runs, newest first',
      access: 'viewer',
      query: z.strictObject({
        agent: z.string().max(100).optional().describe('e.g. cmo-plan-90day or cmo_orchestrator_cron'),
        status: z.enum(STATUSES).optional(),
        workspace_id: uuid.optional(),
        ...pageQuery,
      }),
      responses: { 200: { description: 'A page of runs', schema: pageSchema(runHead) } },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listRuns(s, principal.tenantId, query));
      return c.json(toPage(rows, query.limit));
    },
  );
  api.tenant(
    {
      method: 'get',
      path: '/api/agent-runs/{id}',
      tag,
      summary: 'One agent run with its input and output',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The run', schema: runDetail }, 404: { description: 'No such run' } },
    },
    async ({ c, db, principal, params }) => {
      const [row] = await db.session((s) =>
        s.query(`SELECT ${HEAD_COLUMNS}, input, output FROM agent_runs WHERE tenant_id = $1 AND id = $2`, [
          principal.tenantId,
          params.id,
        ]),
      );
      if (!row) throw new ProblemError(404, `no agent run ${params.id}`);
      return c.json(row);
    },
  );
}
