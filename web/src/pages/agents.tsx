// #/agents: run a CMO agent and watch its answer stream (members and admins), and the past runs
// with what each produced. The runs list reloads when a run ends.
import type { AgentRunHead } from '../../../src/contract/agent-runs.ts';
import { useSession } from '../auth/session-context.tsx';
import { AgentRunner } from './agents-runner.tsx';
import { AGENT_RUNS_PATH, AgentRuns } from './agents-runs.tsx';
import { usePagedList } from './campaigns-paged.tsx';
import './campaigns.css';
import './agents.css';

export function AgentsPage() {
  const { can } = useSession();
  const runs = usePagedList<AgentRunHead>(AGENT_RUNS_PATH);
  return (
    <>
      <h1>CMO agents</h1>
      {can('member') && <AgentRunner onRunEnded={runs.first.reload} />}
      <AgentRuns list={runs} />
    </>
  );
}
