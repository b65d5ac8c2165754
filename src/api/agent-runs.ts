// /api/agent-runs: the tenant's agent runs (the CMO agents and the CMO loop), newest first in
// cursor pages, filtered by agent, status or workspace; and one run with its input and output.
import { z } from 'zod';
import { AGENT_RUN_STATUSES, agentRunHead, agentRunRecord } from '../contract/agent-runs.ts';
import { pageSchema } from '../contract/page.ts';
import { getAgentRun, listAgentRuns } from '../services/agent-runs.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, uuid } from './schemas.ts';

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
        status: z.enum(AGENT_RUN_STATUSES).optional(),
        workspace_id: uuid.optional(),
        ...pageQuery,
      }),
      responses: { 200: { description: 'A page of runs', schema: pageSchema(agentRunHead) } },
    },
    async ({ c, db, principal, query }) => {
      return c.json(toPage(await listAgentRuns(db, principal.tenantId, query), query.limit));
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
      responses: { 200: { description: 'The run', schema: agentRunRecord }, 404: { description: 'No such run' } },
    },
    async ({ c, db, principal, params }) => {
      return c.json(await getAgentRun(db, principal.tenantId, params.id));
    },
  );
}
