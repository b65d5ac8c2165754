// #/agents: the workspace the page works on; run a CMO agent for it and watch its answer stream
// (members and admins); its plans, funnels and recommendations as documents; and the past runs
// with what each produced. The runs and the documents reload when a run ends.
import { useState } from 'react';
import type { AgentRunHead } from '../../../src/contract/agent-runs.ts';
import type { WorkspaceList } from '../../../src/contract/workspaces.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty } from '../components/status.tsx';
import { AgentLibrary } from './agents-library.tsx';
import { AgentRunner } from './agents-runner.tsx';
import { AGENT_RUNS_PATH, AgentRuns } from './agents-runs.tsx';
import { usePagedList } from './campaigns-paged.tsx';
import './campaigns.css';
import './agents.css';

export function AgentsPage() {
  const { can } = useSession();
  const runs = usePagedList<AgentRunHead>(AGENT_RUNS_PATH);
  const workspaces = useApi<WorkspaceList>('/api/workspaces');
  const [chosen, setChosen] = useState('');
  // A run that ends may have stored a plan, funnel or recommendations: the library is drawn anew.
  const [runsEnded, setRunsEnded] = useState(0);
  const runEnded = () => {
    runs.first.reload();
    setRunsEnded((n) => n + 1);
  };
  return (
    <>
      <h1>CMO agents</h1>
      <Async loaded={workspaces} what="workspaces">
        {({ data }) => {
          const workspaceId = data.some((w) => w.id === chosen) ? chosen : (data[0]?.id ?? '');
          if (!workspaceId) return <Empty>This tenant has no workspace yet: the agents work for one.</Empty>;
          return (
            <>
              <div className="agent-workspace">
                <label htmlFor="agent-workspace">Workspace</label>
                <select id="agent-workspace" value={workspaceId} onChange={(e) => setChosen(e.target.value)}>
                  {data.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name}
                    </option>
                  ))}
                </select>
              </div>
              {can('member') && <AgentRunner workspaceId={workspaceId} onRunEnded={runEnded} />}
              <AgentLibrary key={`${workspaceId}:${runsEnded}`} workspaceId={workspaceId} />
            </>
          );
        }}
      </Async>
      <AgentRuns list={runs} />
    </>
  );
}
