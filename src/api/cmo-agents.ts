// The CMO agents over HTTP (seed 004): the kernel `POST /functions/v1/cmo-kernel` routes a
// `{mode, ...}` body to the agent of that mode, and each agent has its own path too
// (`/functions/v1/cmo-brand-intake`, ...). The answer streams (agent-stream.ts). Before any
// work, the workspace must be one of the caller's tenant: otherwise 403, and nothing is read or
// written beyond that one lookup.
import type { Context } from 'hono';
import { z } from 'zod';
import { AGENT_FUNCTIONS, AGENT_INPUTS, AGENT_MODES, type AgentInput, type AgentMode } from '../agents/agent-inputs.ts';
import type { TextStreamModel } from '../agents/gateway-model.ts';
import { runAgent } from '../agents/run-agent.ts';
import { agentRefusal } from '../contract/agent-stream.ts';
import type { Database } from '../db/port.ts';
import type { Logger } from '../log.ts';
import type { Principal } from '../server/authenticate.ts';
import { agentWorkspace } from '../services/workspaces.ts';
import { agentStreamResponse } from './agent-stream.ts';
import type { ApiRouter, ResponseSpec } from './router.ts';

export interface AgentRouteDeps {
  log: Logger;
  /** The gateway; null runs the offline provider. */
  agentModel: TextStreamModel | null;
}

const TAG = 'CMO agents';

const kernelBody = z.discriminatedUnion(
  'mode',
  AGENT_MODES.map((mode) => AGENT_INPUTS[mode].extend({ mode: z.literal(mode) })) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
);

const AGENT_RESPONSES: Record<number, ResponseSpec> = {
  200: {
    description:
      'Server-sent events: `run`, then the answer as `data: {"choices":[{"delta":{"content":…}}]}` pieces (the ' +
      'gateway’s own shape), `repair` if the first answer did not fit, `result` (output and stored rows) or ' +
      '`error`, and `data: [DONE]`. The agent run’s id is in the x-agent-run-id header.',
    mediaType: 'text/event-stream',
    schema: z.string(),
  },
  402: { description: 'The gateway wants payment', schema: agentRefusal },
  403: { description: 'The workspace is not one of the caller’s tenant' },
  422: { description: 'A field is wrong, or names a plan, funnel or campaign not in the workspace' },
  429: { description: 'The gateway’s rate limit', schema: agentRefusal },
  500: { description: 'The gateway failed (logged; the agent run holds the reason)', schema: agentRefusal },
};

async function startAgent<M extends AgentMode>(
  deps: AgentRouteDeps,
  c: Context,
  db: Database,
  principal: Principal,
  mode: M,
  input: AgentInput<M>,
): Promise<Response> {
  const workspace = await agentWorkspace(db, principal.tenantId, AGENT_FUNCTIONS[mode], input.workspaceId);
  const abort = new AbortController();
  // Fires when the client goes away before the stream starts; the stream's own onAbort after.
  c.req.raw.signal.addEventListener('abort', () => abort.abort(), { once: true });
  const run = runAgent(
    { db, model: deps.agentModel },
    { mode, input, tenantId: principal.tenantId, workspace, userId: principal.userId, signal: abort.signal },
  );
  return agentStreamResponse(c, run, abort, deps.log);
}

export function agentRoutes(api: ApiRouter, deps: AgentRouteDeps): void {
  api.tenant(
    {
      method: 'post',
      path: '/functions/v1/cmo-kernel',
      tag: TAG,
      summary: 'Run the CMO agent of a mode (setup, strategy, funnels, campaigns, content, optimization)',
      access: 'member',
      body: kernelBody,
      responses: AGENT_RESPONSES,
    },
    ({ c, db, principal, body }) => {
      const { mode, ...input } = body as { mode: AgentMode } & Record<string, unknown>;
      return startAgent(deps, c, db, principal, mode, input as AgentInput<AgentMode>);
    },
  );
  for (const mode of AGENT_MODES) {
    api.tenant(
      {
        method: 'post',
        path: `/functions/v1/${AGENT_FUNCTIONS[mode]}`,
        tag: TAG,
        summary: `Run the ${AGENT_FUNCTIONS[mode]} agent (mode ${mode})`,
        access: 'member',
        body: AGENT_INPUTS[mode],
        responses: AGENT_RESPONSES,
      },
      ({ c, db, principal, body }) => startAgent(deps, c, db, principal, mode, body as AgentInput<AgentMode>),
    );
  }
}
