// `nightshift agent <mode> --workspace ID [--input JSON]`: runs one CMO agent for a workspace and
// streams its answer to the terminal as it arrives (stdout), with the run's id, provider and what
// was stored on stderr. The gateway when NIGHTSHIFT_AI_BASE_URL is set, the offline provider
// otherwise. Ctrl-C stops the gateway call and closes the run as failed.
import { AGENT_FUNCTIONS, AGENT_INPUTS, AGENT_MODES, type AgentInput, type AgentMode } from '../agents/agent-inputs.ts';
import { gatewayModelFromConfig } from '../agents/gateway-model.ts';
import { AgentRunFailed, runAgent } from '../agents/run-agent.ts';
import type { AgentRunResult } from '../contract/agent-stream.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { workspaceById } from '../services/workspaces.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export interface AgentCommandOptions {
  workspace: string;
  input?: string;
  json?: boolean;
}

function parseInput(mode: AgentMode, workspaceId: string, text: string | undefined): AgentInput<AgentMode> {
  let fields: unknown = {};
  if (text !== undefined) {
    try {
      fields = JSON.parse(text);
    } catch {
      throw new UsageError('--input must be a JSON object, e.g. \'{"budget": 9000}\'');
    }
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new UsageError('--input must be a JSON object');
  const parsed = AGENT_INPUTS[mode].safeParse({ ...fields, workspaceId });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // The workspace comes from --workspace, not --input: say so rather than blame --input.
    if (issue.path[0] === 'workspaceId')
      throw new UsageError(`--workspace must be a workspace id (a UUID); got ${JSON.stringify(workspaceId)}`);
    throw new UsageError(`--input: ${issue.path.join('.') || '(object)'}: ${issue.message}`);
  }
  return parsed.data as AgentInput<AgentMode>;
}

export async function agentCommand(modeName: string, options: AgentCommandOptions): Promise<void> {
  const mode = AGENT_MODES.find((m) => m === modeName || AGENT_FUNCTIONS[m] === modeName);
  if (!mode) throw new UsageError(`<mode> must be one of ${AGENT_MODES.join(', ')}; got ${JSON.stringify(modeName)}`);
  const { config } = commandConfig();
  const input = parseInput(mode, options.workspace, options.input);
  const model = gatewayModelFromConfig(config.ai);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    await withDatabase(config, async (system) => {
      const workspace = await workspaceById(system, options.workspace);
      const run = runAgent(
        { db: tenantScoped(system, workspace.tenant_id), model },
        { mode, input, tenantId: workspace.tenant_id, workspace, userId: null, signal: abort.signal },
      );
      try {
        for await (const event of run) {
          if (event.type === 'started' && !options.json) {
            process.stderr.write(
              `${event.agent} (${event.provider}${event.model ? ` ${event.model}` : ''}) run ${event.runId}\n`,
            );
          } else if (event.type === 'delta' && !options.json) {
            process.stdout.write(event.text);
          } else if (event.type === 'repair' && !options.json) {
            process.stderr.write(`\nthe answer did not fit; asking for a corrected one:\n${event.problems}\n`);
          } else if (event.type === 'completed') {
            if (options.json) {
              // The stream's `result`, as the HTTP route sends it.
              const result: AgentRunResult = {
                run_id: event.runId,
                status: 'completed',
                output: event.output,
                records: event.records,
              };
              process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
            } else {
              const stored = event.records.map((r) => `${r.table} ${r.id}`).join(', ') || 'nothing';
              process.stdout.write('\n');
              process.stderr.write(`run ${event.runId} completed; stored: ${stored}\n`);
            }
          }
        }
      } catch (error) {
        if (!(error instanceof AgentRunFailed)) throw error;
        if (!options.json) process.stdout.write('\n');
        throw new Error(`run ${error.runId} failed: ${error.message}`);
      }
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
}
