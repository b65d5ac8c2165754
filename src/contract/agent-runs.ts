// An agent run (the CMO agents and the CMO loop) as the agent-runs API answers it: in a list, its
// head; read alone, also its input and output.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';

export const AGENT_RUN_STATUSES = ['running', 'completed', 'failed'] as const;

export const agentRunHead = z.object({
  id: uuid,
  agent: z.string(),
  mode: z.string().nullable(),
  status: z.enum(AGENT_RUN_STATUSES),
  workspace_id: uuid.nullable(),
  provider: z.string().nullable().describe('gateway, offline, builtin: who answered'),
  model: z.string().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  created_by: uuid.nullable(),
  created_at: timestamp,
  completed_at: timestamp.nullable(),
});
export const agentRunRecord = agentRunHead.extend({
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()).nullable(),
});

export type AgentRunHead = z.infer<typeof agentRunHead>;
export type AgentRunRecord = z.infer<typeof agentRunRecord>;
