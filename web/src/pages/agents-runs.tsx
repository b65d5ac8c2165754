// Past agent runs (GET /api/agent-runs, newest first); choosing one shows what it produced, as
// documents (GET /api/agent-runs/{id}), in a row under it, with its input and raw answer folded.
import { Fragment, useState } from 'react';
import type { AgentRunHead, AgentRunRecord } from '../../../src/contract/agent-runs.ts';
import type { AgentRunResult } from '../../../src/contract/agent-stream.ts';
import type { Page } from '../../../src/contract/page.ts';
import { query } from '../api/client.ts';
import { type Loaded, useApi } from '../api/use-api.ts';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { Async, Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { StoredDocuments } from './agents-stored.tsx';
import type { PagedList } from './campaigns-paged.tsx';

export const AGENT_RUNS_PATH = `/api/agent-runs${query({ limit: 20 })}`;

function seconds(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function AgentRuns({ list }: { list: PagedList<AgentRunHead> }) {
  const [open, setOpen] = useState<string>();
  return (
    <section aria-labelledby="agent-runs-title">
      <div className="row spread">
        <h2 id="agent-runs-title">Past agent runs</h2>
        <RefreshButton loaded={list.first} />
      </div>
      <PagedTable
        list={list}
        what="agent runs"
        empty="No agent has run yet."
        head={
          <>
            <th>Agent</th>
            <th>Mode</th>
            <th>Status</th>
            <th>Provider</th>
            <th className="num">Duration</th>
            <th>Created</th>
          </>
        }
      >
        {(r) => (
          <Fragment key={r.id}>
            <tr data-testid="agent-run-row" data-id={r.id} className={open === r.id ? 'selected' : undefined}>
              <td>
                <button
                  type="button"
                  className="link run-name"
                  aria-expanded={open === r.id}
                  onClick={() => setOpen(open === r.id ? undefined : r.id)}
                >
                  {r.agent}
                </button>
              </td>
              <td>{r.mode ?? '—'}</td>
              <td>
                <Badge value={r.status} />
              </td>
              <td>
                {r.provider ?? '—'}
                {r.model && <div className="muted small">{r.model}</div>}
              </td>
              <td className="num">{seconds(r.duration_ms)}</td>
              <td className="nowrap">{dateTime(r.created_at)}</td>
            </tr>
            {open === r.id && (
              <tr className="run-detail-row">
                <td colSpan={6}>
                  <RunDetail id={r.id} />
                </td>
              </tr>
            )}
          </Fragment>
        )}
      </PagedTable>
    </section>
  );
}

function RefreshButton({ loaded }: { loaded: Loaded<Page<AgentRunHead>> }) {
  return (
    <button type="button" onClick={loaded.reload} disabled={loaded.loading}>
      {loaded.loading && loaded.data && <Spinner label="Refreshing" />}
      Refresh
    </button>
  );
}

function RunDetail({ id }: { id: string }) {
  const loaded = useApi<AgentRunRecord>(`/api/agent-runs/${encodeURIComponent(id)}`);
  return (
    <Async loaded={loaded} what="the run">
      {(run) => (
        <div className="run-detail">
          {run.error && (
            <p className="notice error" role="alert">
              {run.error}
            </p>
          )}
          <p className="muted small">
            Run {run.id} · finished {dateTime(run.completed_at)}
          </p>
          {run.status === 'completed' && <RunProduced runId={run.id} output={run.output} />}
          <details>
            <summary>Answer as sent (JSON)</summary>
            <pre className="json">{run.output ? JSON.stringify(run.output, null, 2) : 'No output.'}</pre>
          </details>
          <details>
            <summary>Input (JSON)</summary>
            <pre className="json">{JSON.stringify(run.input, null, 2)}</pre>
          </details>
        </div>
      )}
    </Async>
  );
}

/** A CMO agent's run keeps `{result, records}`; the CMO loop's runs keep other shapes, shown raw only. */
function RunProduced({ runId, output }: { runId: string; output: AgentRunRecord['output'] }) {
  const records = output?.records;
  if (!Array.isArray(records)) return null;
  return <StoredDocuments runId={runId} output={output?.result} records={records as AgentRunResult['records']} />;
}
