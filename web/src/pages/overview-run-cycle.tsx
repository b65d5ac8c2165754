// "Run Cycle": runs the autonomous cycle now (admins only, as POST /api/cycles requires) and shows
// what it did — the counts, and the campaigns a guardrail held back.
import { useState } from 'react';
import type { CycleResult } from '../../../src/contract/cycles.ts';
import type { OverviewFigures } from '../../../src/contract/overview.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { clockTime, dateTime } from '../lib/format.ts';
import { OverviewCycleResult } from './overview-cycle-result.tsx';

export function RunCycle({ figures, onFinished }: { figures: OverviewFigures | undefined; onFinished: () => void }) {
  const { can } = useSession();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CycleResult>();
  const [error, setError] = useState<Error>();

  async function run() {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await request<CycleResult>('/api/cycles', { method: 'POST' }));
      onFinished();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  // The cycle just run is newer than the figures until they reload.
  const lastRun = result?.timestamp ?? figures?.last_cycle_at ?? null;
  const status = result ? 'completed' : figures?.last_cycle_status;
  return (
    <section className="panel overview-cycle" aria-labelledby="overview-cycle-heading">
      <div className="row spread">
        <div>
          <h2 id="overview-cycle-heading">Autonomous cycle</h2>
          <p className="muted small" title={lastRun ? dateTime(lastRun) : undefined} data-testid="last-run">
            Last run: {lastRun ? clockTime(new Date(lastRun)) : figures ? 'never' : '—'}
            {status && status !== 'completed' && (
              <>
                {' '}
                <Badge value={status} />
              </>
            )}
          </p>
        </div>
        {can('admin') && (
          <button type="button" className="primary" disabled={busy} aria-busy={busy} onClick={() => void run()}>
            {busy && <Spinner label="Running the cycle" />}
            Run Cycle
          </button>
        )}
      </div>
      {error && <ErrorNotice error={error} />}
      {result && <OverviewCycleResult result={result} />}
    </section>
  );
}
