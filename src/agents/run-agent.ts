// Runs one CMO agent, whatever the transport (HTTP stream, terminal): loads the workspace's
// context, opens its agent_runs row, streams the answer (gateway or offline), validates it (one
// repair turn for a gateway answer that does not fit), stores it and completes the run in one
// transaction. Every way out closes the run: completed, failed with the reason, or failed because
// the consumer stopped listening. Nothing is stored unless the run completes.
//
// It is an async generator so that the consumer pulls: the HTTP route waits for the first text
// before it commits to a 200 (a 429 before any text is still a 429), and a consumer that stops
// iterating (a client that went away) ends the run through `finally`.
import type { Database } from '../db/port.ts';
import { type AgentDefinition, agentDefinition } from './agent-definitions.ts';
import { AGENT_FUNCTIONS, type AgentFunction, type AgentInput, type AgentMode } from './agent-inputs.ts';
import type { AgentOutput } from './agent-outputs.ts';
import { finishAgentRun, finishAgentRunIn, startAgentRun } from './agent-run.ts';
import { askForJson, InvalidAnswerError } from './ask-json.ts';
import { GatewayError, type TextStreamModel } from './gateway-model.ts';
import type { PersistedRecord } from './persist-strategy.ts';
import { agentMessages } from './prompts.ts';
import { loadWorkspaceContext, type WorkspaceContext } from './workspace-context.ts';

export type AgentEvent =
  | { type: 'started'; runId: string; agent: AgentFunction; provider: string; model: string | null }
  | { type: 'delta'; text: string }
  | { type: 'repair'; problems: string }
  | { type: 'completed'; runId: string; output: unknown; records: PersistedRecord[] };

export interface AgentRunDeps {
  /** Confined to the caller's tenant (row-level security), or the system database for the CLI. */
  db: Database;
  /** The gateway; null runs the offline provider. */
  model: TextStreamModel | null;
  /** Today's date (YYYY-MM-DD) for the offline provider's plans. */
  today?: () => string;
}

export interface AgentRunRequest<M extends AgentMode> {
  mode: M;
  input: AgentInput<M>;
  tenantId: string;
  workspace: { id: string; name: string };
  userId: string | null;
  /** Aborted when the consumer goes away; stops the gateway call. */
  signal: AbortSignal;
}

/** A run that ended failed; `cause` says why (GatewayError, InvalidAnswerError or another error). */
export class AgentRunFailed extends Error {
  override name = 'AgentRunFailed';
  readonly runId: string;

  constructor(runId: string, cause: unknown) {
    super(failureText(cause), { cause });
    this.runId = runId;
  }
}

const OFFLINE_CHUNK_CHARACTERS = 80;

export async function* runAgent<M extends AgentMode>(
  deps: AgentRunDeps,
  request: AgentRunRequest<M>,
): AsyncGenerator<AgentEvent, void, undefined> {
  const definition = agentDefinition(request.mode);
  const { db, model } = deps;
  const { tenantId, workspace, input, userId } = request;
  const context = await db.session((s) => loadWorkspaceContext(s, tenantId, workspace, definition.needs(input)));
  const runId = await startAgentRun(db, tenantId, {
    agent: AGENT_FUNCTIONS[request.mode],
    mode: request.mode,
    input: input as Record<string, unknown>,
    provider: model?.provider ?? 'offline',
    model: model?.model ?? null,
    workspaceId: workspace.id,
    createdBy: userId,
  });
  let closed = false;
  try {
    yield {
      type: 'started',
      runId,
      agent: definition.name,
      provider: model?.provider ?? 'offline',
      model: model?.model ?? null,
    };
    const output = model
      ? yield* gatewayAnswer(model, definition, input, context, request.signal)
      : yield* offlineAnswer(definition, input, context, deps.today?.() ?? new Date().toISOString().slice(0, 10));
    const scope = { tenantId, workspaceId: workspace.id, userId, runId };
    const records = await db.transaction(async (s) => {
      const stored = await definition.persist(s, scope, output, input, context);
      await finishAgentRunIn(s, tenantId, runId, {
        status: 'completed',
        output: { result: output, records: stored },
        error: null,
      });
      return stored;
    });
    closed = true;
    yield { type: 'completed', runId, output, records };
  } catch (error) {
    closed = true;
    await finishAgentRun(db, tenantId, runId, { status: 'failed', output: {}, error: failureText(error) });
    throw new AgentRunFailed(runId, error);
  } finally {
    // The consumer stopped iterating (return()) before the run ended: nothing was stored.
    if (!closed) {
      await finishAgentRun(db, tenantId, runId, {
        status: 'failed',
        output: {},
        error: 'the caller went away before the run finished',
      });
    }
  }
}

/** The reason stored with a failed run: what went wrong, never a credential (none reach here). */
function failureText(error: unknown): string {
  if (error instanceof GatewayError) return `${error.kind}: ${error.message}`;
  if (error instanceof InvalidAnswerError) return `invalid_answer: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

function gatewayAnswer<M extends AgentMode>(
  model: TextStreamModel,
  definition: AgentDefinition<M>,
  input: AgentInput<M>,
  context: WorkspaceContext,
  signal: AbortSignal,
): AsyncGenerator<AgentEvent, AgentOutput<M>, undefined> {
  const messages = agentMessages(definition.instructions, definition.output, input, context);
  return askForJson(model, messages, definition.output, (value) => definition.check(value, input, context), signal);
}

/** The offline answer streams like a gateway's, as the JSON text of the validated output. */
async function* offlineAnswer<M extends AgentMode>(
  definition: AgentDefinition<M>,
  input: AgentInput<M>,
  context: WorkspaceContext,
  today: string,
): AsyncGenerator<AgentEvent, AgentOutput<M>, undefined> {
  const output = definition.output.parse(definition.offline(input, context, today));
  const text = JSON.stringify(output, null, 2);
  for (let at = 0; at < text.length; at += OFFLINE_CHUNK_CHARACTERS) {
    yield { type: 'delta', text: text.slice(at, at + OFFLINE_CHUNK_CHARACTERS) };
  }
  return output;
}
