// On a fresh `npm start`, the demo workspace gets what the CMO agents would give it: a 90-day
// plan, a funnel and recommendations, made by the offline provider (labelled so) through the same
// runs a user starts, so the agent screens and the agent_runs history are not empty.
import { AGENT_INPUTS, type AgentInput, type AgentMode } from '../agents/agent-inputs.ts';
import { runAgent } from '../agents/run-agent.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';

const DEMO_REQUESTS: [AgentMode, Record<string, unknown>][] = [
  [
    'strategy',
    { primaryGoal: 'Book 60 qualified meetings with RevOps leaders', budget: 15000, targetMetrics: { meetings: 60 } },
  ],
  ['funnels', { funnelType: 'demo_request' }],
  ['optimization', { period: '30d' }],
];

export async function runDemoAgents(system: Database, tenantId: string, ownerId: string): Promise<void> {
  const db = tenantScoped(system, tenantId);
  const [workspace] = await db.session((s) =>
    s.query<{ id: string; name: string }>(
      'SELECT id, name FROM workspaces WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1',
      [tenantId],
    ),
  );
  if (!workspace) return;
  for (const [mode, fields] of DEMO_REQUESTS) {
    const input = AGENT_INPUTS[mode].parse({ ...fields, workspaceId: workspace.id }) as AgentInput<AgentMode>;
    const run = runAgent(
      { db, model: null },
      { mode, input, tenantId, workspace, userId: ownerId, signal: new AbortController().signal },
    );
    for await (const _event of run) {
      // Drained for its effect: the run stores its answer when it completes.
    }
  }
}
