// "Backtest the rules" (members and admins): what the pause and scale rules would have done over
// the last days with autopilot on, and the money of it (POST /api/cycles/backtest), per rule and
// in total; the switched-off rules too when asked, replayed as if on (they stay off).
import { type FormEvent, useState } from 'react';
import type { BacktestResult as Backtest } from '../../../src/contract/backtest.ts';
import { request } from '../api/client.ts';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { money } from '../lib/format.ts';
import { BacktestResult } from './rules-backtest.tsx';

const DAYS = [7, 14, 30, 90] as const;

export function RulesBacktest({ currency }: { currency: string }) {
  const [days, setDays] = useState<number>(30);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ backtest: Backtest; inactive: boolean }>();
  const [error, setError] = useState<Error>();

  async function run(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { days, include_inactive: includeInactive };
      setResult({
        backtest: await request<Backtest>('/api/cycles/backtest', { method: 'POST', body }),
        inactive: includeInactive,
      });
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel rules-backtest-all" aria-labelledby="rules-backtest-title">
      <h2 id="rules-backtest-title">Backtest the rules</h2>
      <form className="row" onSubmit={run}>
        <label htmlFor="backtest-days">Over the last</label>
        <select id="backtest-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {DAYS.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          Include inactive rules
        </label>
        <button type="submit" disabled={busy}>
          {busy && <Spinner label="Backtesting" />}
          Backtest
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
      {result && (
        <>
          <BacktestResult backtest={result.backtest} currency={currency} />
          <p className="backtest-total" data-testid="backtest-total">
            <strong>All {result.inactive ? 'rules, inactive ones as if on' : 'active rules'}:</strong> net{' '}
            {money(result.backtest.total.net, currency)} ({result.backtest.total.campaigns_paused} paused,{' '}
            {result.backtest.total.campaigns_scaled} scaled)
          </p>
        </>
      )}
    </section>
  );
}
