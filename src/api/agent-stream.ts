// An agent run as an HTTP answer. The answer streams as server-sent events in the shape the
// seed's clients read from the gateway itself: `data: {"choices":[{"delta":{"content":"..."}}]}`
// per piece of text, then `data: [DONE]`. Named events carry the rest: `run` (its id, provider,
// model), `repair` (the first answer did not fit; a corrected one follows), `result` (the
// validated output and the rows stored) and `error`. Each event's data is the contract's
// (src/contract/agent-stream.ts), which the dashboard reads it as.
//
// The status is decided before the first byte: the route pulls the run until its first text. A
// failure before then is a plain JSON answer with the seed's status and body (429 "Rate limits
// exceeded", 402 "Payment required", anything else 500 with a generic message, logged). A failure
// after it is an `error` event. A client that goes away aborts the gateway call; the run is closed
// as failed either way.
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { GatewayError } from '../agents/gateway-model.ts';
import { type AgentEvent, AgentRunFailed } from '../agents/run-agent.ts';
import type { AgentRefusal, AgentStreamEvents } from '../contract/agent-stream.ts';
import type { Logger } from '../log.ts';

interface FailureAnswer {
  status: 429 | 402 | 500;
  body: AgentRefusal;
}

const GENERIC_FAILURE = 'The AI gateway failed to answer; the failure is logged with the agent run';

function failureAnswer(failure: AgentRunFailed): FailureAnswer {
  const cause = failure.cause;
  if (cause instanceof GatewayError && cause.kind === 'rate_limited')
    return { status: 429, body: { error: 'Rate limits exceeded' } };
  if (cause instanceof GatewayError && cause.kind === 'payment_required')
    return { status: 402, body: { error: 'Payment required' } };
  return { status: 500, body: { error: GENERIC_FAILURE } };
}

function logFailure(log: Logger, failure: AgentRunFailed, reqId: string | undefined) {
  const answer = failureAnswer(failure);
  // The cause's message names the kind of failure and the gateway's status; never a credential.
  const entry = { reqId, runId: failure.runId, reason: failure.message };
  if (failure.cause instanceof GatewayError && failure.cause.kind === 'aborted') log.info(entry, 'agent run abandoned');
  else if (answer.status === 500) log.error(entry, 'agent run failed');
  else log.warn(entry, 'agent run refused by the gateway');
}

/** Writes one event with its data as the contract has it; `message` is written unnamed. */
function send<Name extends keyof AgentStreamEvents>(
  stream: SSEStreamingApi,
  name: Name,
  data: AgentStreamEvents[Name],
) {
  const json = JSON.stringify(data);
  return stream.writeSSE(name === 'message' ? { data: json } : { event: name, data: json });
}

async function writeEvent(stream: SSEStreamingApi, event: AgentEvent) {
  switch (event.type) {
    case 'started': {
      const { runId, agent, provider, model } = event;
      return send(stream, 'run', { type: 'started', runId, agent, provider, model });
    }
    case 'delta':
      return send(stream, 'message', { choices: [{ index: 0, delta: { content: event.text } }] });
    case 'repair':
      return send(stream, 'repair', { problems: event.problems });
    case 'completed':
      return send(stream, 'result', {
        run_id: event.runId,
        status: 'completed',
        output: event.output,
        records: event.records,
      });
  }
}

/**
 * Streams `run` to the client. `abort` is aborted when the client goes away (the run's signal).
 * Errors other than a failed run (a bad reference, found while loading the context: a 422)
 * propagate to the app's error handler before anything is sent.
 */
export async function agentStreamResponse(
  c: Context,
  run: AsyncGenerator<AgentEvent, void, undefined>,
  abort: AbortController,
  log: Logger,
): Promise<Response> {
  const reqId = c.get('requestId') as string | undefined;
  const head: AgentEvent[] = [];
  try {
    for (;;) {
      const next = await run.next();
      if (next.done) break;
      head.push(next.value);
      if (next.value.type === 'delta') break;
    }
  } catch (error) {
    if (!(error instanceof AgentRunFailed)) throw error;
    logFailure(log, error, reqId);
    const answer = failureAnswer(error);
    return c.json(answer.body, answer.status, { 'x-agent-run-id': error.runId });
  }
  const runId = head.find((e) => e.type === 'started')?.runId;
  if (runId) c.header('x-agent-run-id', runId);
  return streamSSE(
    c,
    async (stream) => {
      stream.onAbort(() => abort.abort());
      try {
        for (const event of head) await writeEvent(stream, event);
        for await (const event of run) await writeEvent(stream, event);
      } catch (error) {
        if (!(error instanceof AgentRunFailed)) throw error;
        logFailure(log, error, reqId);
        await send(stream, 'error', { ...failureAnswer(error).body, run_id: error.runId });
      }
      await stream.writeSSE({ data: '[DONE]' });
    },
    async (error, stream) => {
      // Not a failed run but a fault of ours (the run's own row is already closed by runAgent).
      log.error({ err: error, reqId }, 'agent stream failed');
      await send(stream, 'error', { error: GENERIC_FAILURE });
    },
  );
}
