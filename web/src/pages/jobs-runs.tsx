// One schedule's run history for this tenant (GET /api/schedules/{name}/runs), newest first.
import type { RunList } from '../../../src/contract/schedules.ts';
import { useApi } from '../api/use-api.ts';
import { Async, Empty } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { resultLines } from '../lib/job-result.ts';

const RUN_TONES: Record<string, string> = {
  succeeded: 'green',
  failed: 'red',
  running: 'blue',
  queued: 'blue',
  retrying: 'yellow',
  skipped: 'grey',
};

export function RunStatus({ status }: { status: string }) {
  return <span className={`badge ${RUN_TONES[status] ?? 'grey'}`}>{status}</span>;
}

/** "1.2 s", "3 min 4 s": how long a run took; "—" while it has not finished. */
export function duration(from: string | null, to: string | null): string {
  if (!from || !to) return '—';
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function JobRuns({ name, onClose }: { name: string; onClose: () => void }) {
  const loaded = useApi<RunList>(`/api/schedules/${encodeURIComponent(name)}/runs?limit=50`);
  return (
    <section className="panel job-runs" aria-labelledby="job-runs-title">
      <div className="row spread">
        <h2 id="job-runs-title">Runs of {name}</h2>
        <div className="row">
          <button type="button" onClick={loaded.reload} disabled={loaded.loading}>
            Refresh
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <Async loaded={loaded} what={`the runs of ${name}`}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty>This schedule has not run for this tenant yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Tick</th>
                    <th>Status</th>
                    <th>Started</th>
                    <th>Finished</th>
                    <th className="num">Duration</th>
                    <th className="num">Attempts</th>
                    <th>Result or error</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((r) => (
                    <tr key={r.id} data-testid="job-run-row" data-id={r.id}>
                      <td className="nowrap">{dateTime(r.tick_at)}</td>
                      <td>
                        <RunStatus status={r.status} />
                      </td>
                      <td className="nowrap">{dateTime(r.started_at)}</td>
                      <td className="nowrap">{dateTime(r.finished_at)}</td>
                      <td className="num">{duration(r.started_at, r.finished_at)}</td>
                      <td className="num">{r.attempts}</td>
                      <td className="run-outcome">
                        {r.error ? (
                          <span className="field-error">{r.error}</span>
                        ) : r.result ? (
                          <RunResult result={r.result} />
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </section>
  );
}

function RunResult({ result }: { result: Record<string, unknown> }) {
  const lines = resultLines(result);
  if (lines.length === 0) return <span className="muted">nothing to report</span>;
  return (
    <ul className="run-result">
      {lines.map((line) => (
        <li key={line.label}>
          {line.label}: <strong>{line.value}</strong>
          {line.details && (
            <ul>
              {line.details.map((detail, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the details are a fixed list, shown once
                <li key={i}>{detail}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
