// Deciding the selected suggestions at once (POST /api/actions/bulk): "Approve 12 suggestions?"
// first, then what happened to each: how many were carried out, sent to an ad platform (not done
// until it confirms), already decided, refused or in conflict with a campaign that changed since,
// each refusal with its campaign and the API's words.
import { useState } from 'react';
import type { BulkDecisionResult } from '../../../src/contract/action-bulk.ts';
import type { ActionRecord } from '../../../src/contract/actions.ts';
import { request } from '../api/client.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { count } from '../lib/format.ts';

type Decision = BulkDecisionResult['decision'];

const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** The outcome in a sentence: what was done first, then what was not. */
function summary(result: BulkDecisionResult): string {
  const done = result.results.filter((r) => r.outcome === 'done');
  const applying = done.filter((r) => r.status === 'applying').length;
  const verb = result.decision === 'approve' ? 'approved' : 'dismissed';
  const parts = [`${plural(done.length - applying, 'suggestion')} ${verb}`];
  if (applying > 0) parts.push(`${count(applying)} sent to the ad platform, applied once it confirms`);
  const { unchanged, refused, conflict, not_found, failed } = result.counts;
  if (unchanged > 0) parts.push(`${count(unchanged)} already decided`);
  if (conflict > 0) parts.push(`${count(conflict)} not: the campaign changed since`);
  if (refused > 0) parts.push(`${count(refused)} not: no longer pending`);
  if (not_found + failed > 0) parts.push(`${count(not_found + failed)} could not be decided`);
  return `${parts.join('; ')}.`;
}

export function BulkDecisions({
  selected,
  rows,
  onDecided,
}: {
  /** The ids of the pending suggestions selected on screen. */
  selected: string[];
  rows: ActionRecord[];
  /** After the request: the list is read again and the selection cleared. */
  onDecided: () => void;
}) {
  const [busy, setBusy] = useState<Decision>();
  const [result, setResult] = useState<BulkDecisionResult>();
  const [error, setError] = useState<Error>();
  const titleOf = (id: string) => rows.find((row) => row.id === id)?.campaign_title ?? id;

  async function decide(decision: Decision) {
    setBusy(decision);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(
        await request<BulkDecisionResult>('/api/actions/bulk', { method: 'POST', body: { decision, ids: selected } }),
      );
      onDecided();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(undefined);
    }
  }

  const n = selected.length;
  const notDone = result?.results.filter((r) => r.outcome !== 'done' && r.outcome !== 'unchanged') ?? [];
  return (
    <div className="bulk-decisions" data-testid="bulk-decisions">
      {n > 0 && (
        <div className="row bulk-bar">
          <span>{plural(n, 'suggestion')} selected</span>
          {busy && <Spinner label={busy === 'approve' ? 'Approving' : 'Dismissing'} />}
          <ConfirmButton
            label={`Approve ${count(n)}`}
            className="primary"
            title={`Approve ${plural(n, 'suggestion')}?`}
            confirmLabel="Approve"
            disabled={busy !== undefined}
            onConfirm={() => void decide('approve')}
          >
            <p>
              Each is carried out now if its campaign still holds the state it was suggested for; one that changed since
              is left pending and listed. A change to a campaign linked to an ad platform is sent there and applied once
              the platform confirms.
            </p>
          </ConfirmButton>
          <ConfirmButton
            label={`Dismiss ${count(n)}`}
            title={`Dismiss ${plural(n, 'suggestion')}?`}
            confirmLabel="Dismiss"
            disabled={busy !== undefined}
            onConfirm={() => void decide('dismiss')}
          >
            <p>Nothing changes on the campaigns. A rule does not suggest the same again for the dismissal respite.</p>
          </ConfirmButton>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {result && (
        <div className="bulk-outcome" role="status">
          <p className={notDone.length > 0 ? 'tone-warn' : 'tone-good'}>{summary(result)}</p>
          {notDone.length > 0 && (
            <ul className="small">
              {notDone.map((r) => (
                <li key={r.id}>
                  {titleOf(r.id)}: {r.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
