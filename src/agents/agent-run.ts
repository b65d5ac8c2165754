// The audit trail of the CMO loop and the agents: one agent_runs row per run, written 'running'
// in a transaction of its own before the work starts, so that a run that dies half-way is still
// there to see, then completed or failed with its output counts, error and duration.
import type { Database, SqlSession } from '../db/port.ts';

export interface AgentRunStart {
  agent: string;
  mode: string | null;
  input: Record<string, unknown>;
  provider: string | null;
  model: string | null;
  workspaceId?: string | null;
  createdBy?: string | null;
}

export interface AgentRunEnd {
  status: 'completed' | 'failed';
  output: Record<string, unknown>;
  error: string | null;
}

export async function startAgentRun(db: Database, tenantId: string, run: AgentRunStart): Promise<string> {
  const [row] = await db.transaction((s) =>
    s.query<{ id: string }>(
      `INSERT INTO agent_runs (tenant_id, workspace_id, agent, mode, status, input, provider, model, created_by)
       VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8) RETURNING id`,
      [
        tenantId,
        run.workspaceId ?? null,
        run.agent,
        run.mode,
        JSON.stringify(run.input),
        run.provider,
        run.model,
        run.createdBy ?? null,
      ],
    ),
  );
  return row!.id;
}

/** Closes the run; duration_ms is measured by the database from the row's own created_at. */
export async function finishAgentRun(db: Database, tenantId: string, runId: string, end: AgentRunEnd): Promise<void> {
  await db.transaction((s) => finishAgentRunIn(s, tenantId, runId, end));
}

/** finishAgentRun inside the caller's transaction, so the run completes with what it stored. */
export async function finishAgentRunIn(
  s: SqlSession,
  tenantId: string,
  runId: string,
  end: AgentRunEnd,
): Promise<void> {
  await s.query(
    `UPDATE agent_runs
        SET status = $3, output = $4, error = $5, completed_at = clock_timestamp(),
            duration_ms = greatest(0, round(extract(epoch FROM clock_timestamp() - created_at) * 1000))::int
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, runId, end.status, JSON.stringify(end.output), end.error],
  );
}
