// The data of each server-sent event of a CMO agent's stream (POST /functions/v1/cmo-kernel and
// the agents' own paths; docs/cmo-agents.md): `run` first, the answer's text as unnamed events in
// the gateway's own shape, `repair` when a first answer did not fit, then `result` or `error`, and
// the unnamed `data: [DONE]`. The server writes each event's data as these types
// (src/api/agent-stream.ts) and the dashboard reads them as such. OpenAPI 3.1 describes the stream
// only as text, so the events are not in /openapi.json: test/api-cmo-agents-offline.test.ts reads
// a stream's events with them instead.
import { z } from 'zod';
import { uuid } from './fields.ts';

/**
 * Not an event: the plain JSON answer of a run refused before its first text, in the seed's shape
 * (402 payment required, 429 rate limited, 500 the gateway failed). This one is in the document.
 */
export const agentRefusal = z.object({ error: z.string() });

/** `event: run`: the run has started, with who answers it. */
export const agentRunStarted = z.strictObject({
  type: z.literal('started'),
  runId: uuid,
  agent: z.string().describe('The agent’s function name, e.g. cmo-plan-90day'),
  provider: z.string().describe('gateway or offline: who answers'),
  model: z.string().nullable(),
});

/** An unnamed event: a piece of the answer's text, as an OpenAI-compatible gateway streams it. */
export const agentTextDelta = z.strictObject({
  choices: z.array(z.strictObject({ index: z.number().int(), delta: z.strictObject({ content: z.string() }) })),
});

/** `event: repair`: the first answer did not fit its schema; a corrected one streams after. */
export const agentRepair = z.strictObject({ problems: z.string() });

/** `event: result`: the validated output and the rows it stored. */
export const agentRunResult = z.strictObject({
  run_id: uuid,
  status: z.literal('completed'),
  output: z.unknown(),
  records: z.array(z.strictObject({ table: z.string(), id: uuid })),
});

/** `event: error`: the run failed after it started streaming (run_id absent for a fault of the server's own). */
export const agentRunError = z.strictObject({ error: z.string(), run_id: uuid.optional() });

export type AgentRefusal = z.infer<typeof agentRefusal>;
export type AgentRunStarted = z.infer<typeof agentRunStarted>;
export type AgentTextDelta = z.infer<typeof agentTextDelta>;
export type AgentRepair = z.infer<typeof agentRepair>;
export type AgentRunResult = z.infer<typeof agentRunResult>;
export type AgentRunError = z.infer<typeof agentRunError>;

/** Each event's schema by the event's name (`message`: the unnamed events of text). */
export const agentStreamEvents = {
  run: agentRunStarted,
  message: agentTextDelta,
  repair: agentRepair,
  result: agentRunResult,
  error: agentRunError,
};

/** Each event's data by the event's name. */
export type AgentStreamEvents = { [Name in keyof typeof agentStreamEvents]: z.infer<(typeof agentStreamEvents)[Name]> };
