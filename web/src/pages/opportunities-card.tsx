// One finding of a campaign: how bad, what kind, what was seen and what to do about it, and moving
// it along (member): open → in progress → resolved, or dismissed (with a note saying why) from
// open or in progress; a dismissal can be undone.
import { useId, useState } from 'react';
import type { OpportunityRecord } from '../../../src/contract/opportunities.ts';
import { ApiError, request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { confidence, fieldLabel, showValue } from './actions-state-diff.tsx';

export type Finding = Omit<OpportunityRecord, 'campaign_title'>;

export const typeLabel = (type: string) => {
  const words = type.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

type Move = 'start' | 'resolve' | 'dismiss' | 'reopen';
/** The API's transitions (src/engine/opportunity-status.ts): where each move may start from. */
const MOVES: { move: Move; label: string; from: string[]; busy: string; done: string }[] = [
  { move: 'start', label: 'Start', from: ['open'], busy: 'Starting', done: 'Started: now in progress.' },
  { move: 'resolve', label: 'Resolve', from: ['open', 'in_progress'], busy: 'Resolving', done: 'Resolved.' },
  {
    move: 'dismiss',
    label: 'Dismiss',
    from: ['open', 'in_progress'],
    busy: 'Dismissing',
    done: 'Dismissed: not flagged again for 30 days.',
  },
  { move: 'reopen', label: 'Undo dismissal', from: ['dismissed'], busy: 'Reopening', done: 'Open again.' },
];

export function OpportunityFinding({
  finding: o,
  onChanged,
}: {
  finding: Finding;
  onChanged: (finding: Finding) => void;
}) {
  const { can, currency } = useSession();
  const noteId = useId();
  const [busy, setBusy] = useState<Move>();
  const [error, setError] = useState<ApiError | Error>();
  const [outcome, setOutcome] = useState<string>();
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState('');
  const moves = can('member') ? MOVES.filter((m) => m.from.includes(o.status)) : [];
  const evidence = Object.entries(o.evidence);

  async function move(m: (typeof MOVES)[number]) {
    setBusy(m.move);
    setError(undefined);
    setOutcome(undefined);
    try {
      const body = m.move === 'dismiss' && note.trim() ? { note: note.trim() } : undefined;
      onChanged(await request<Finding>(`/api/opportunities/${o.id}/${m.move}`, { method: 'POST', body }));
      setOutcome(m.done);
      setNoting(false);
      setNote('');
    } catch (failure) {
      setError(failure as Error);
      // Someone else moved it first: show where it is now.
      if (failure instanceof ApiError && failure.status === 409)
        request<Finding>(`/api/opportunities/${o.id}`).then(onChanged, () => {});
    } finally {
      setBusy(undefined);
    }
  }

  const noteError = error instanceof ApiError ? error.fieldMessage('note') : undefined;
  return (
    <section
      className={`opportunity-card severity-${o.severity}`}
      data-testid="opportunity-card"
      data-id={o.id}
      aria-labelledby={`opportunity-${o.id}`}
    >
      <div className="row spread">
        <h4 id={`opportunity-${o.id}`}>{typeLabel(o.opportunity_type)}</h4>
        <span className="row">
          <Badge value={o.severity} />
          <Badge value={o.status} />
        </span>
      </div>
      <p>{o.description}</p>
      <div className="suggested">
        <strong>Suggested:</strong> {o.suggested_action}
      </div>
      {o.status === 'dismissed' && (
        <p className="small" data-testid="dismissal-note">
          {o.dismissal_note ? <>Dismissed: “{o.dismissal_note}”</> : 'Dismissed without a note.'}
        </p>
      )}
      {evidence.length > 0 && (
        <details className="small">
          <summary>Evidence</summary>
          <dl>
            {evidence.map(([key, value]) => (
              <div key={key}>
                <dt>{fieldLabel(key)}</dt>
                <dd>{showValue(key, value, currency)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <p className="small muted">
        Confidence {confidence(o.confidence_score)} · detected{' '}
        <time dateTime={o.detected_at}>{dateTime(o.detected_at)}</time>
        {o.resolved_at && <> · resolved {dateTime(o.resolved_at)}</>}
      </p>
      {noting ? (
        <form
          className="dismiss-note"
          onSubmit={(e) => {
            e.preventDefault();
            void move(MOVES.find((m) => m.move === 'dismiss')!);
          }}
        >
          <label htmlFor={noteId}>Why dismiss it? (optional, shown on the card)</label>
          <textarea
            id={noteId}
            value={note}
            maxLength={1000}
            rows={2}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={noteError ? true : undefined}
          />
          {noteError && <p className="field-error">{noteError}</p>}
          <div className="row">
            <button type="submit" className="primary" disabled={busy !== undefined}>
              {busy === 'dismiss' && <Spinner label="Dismissing" />}
              Dismiss
            </button>
            <button type="button" onClick={() => setNoting(false)} disabled={busy !== undefined}>
              Cancel
            </button>
          </div>
          <p className="small muted">Not flagged again for 30 days; you can undo it.</p>
        </form>
      ) : (
        moves.length > 0 && (
          <div className="row opportunity-moves">
            {moves.map((m) => (
              <button
                key={m.move}
                type="button"
                className={m.move === 'start' ? 'primary' : undefined}
                disabled={busy !== undefined}
                onClick={() => (m.move === 'dismiss' ? setNoting(true) : void move(m))}
              >
                {busy === m.move && <Spinner label={m.busy} />}
                {m.label}
              </button>
            ))}
          </div>
        )
      )}
      {outcome && (
        <p className="small tone-good" role="status">
          {outcome}
        </p>
      )}
      {error && !noteError && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
