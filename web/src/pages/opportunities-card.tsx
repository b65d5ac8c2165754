// One opportunity: how bad, what kind, which campaign, what was seen and what to do about it, and
// moving it along (member): open → in progress → resolved, or dismissed from open or in progress.
import { useState } from 'react';
import type { OpportunityRecord } from '../../../src/contract/opportunities.ts';
import { ApiError, request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { confidence, fieldLabel, showValue } from './actions-state-diff.tsx';

export const typeLabel = (type: string) => {
  const words = type.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

type Move = 'start' | 'resolve' | 'dismiss';
/** The API's transitions (src/engine/opportunity-status.ts): where each move may start from. */
const MOVES: { move: Move; label: string; from: string[]; busy: string; done: string; hint?: string }[] = [
  { move: 'start', label: 'Start', from: ['open'], busy: 'Starting', done: 'Started: now in progress.' },
  { move: 'resolve', label: 'Resolve', from: ['open', 'in_progress'], busy: 'Resolving', done: 'Resolved.' },
  {
    move: 'dismiss',
    label: 'Dismiss',
    from: ['open', 'in_progress'],
    busy: 'Dismissing',
    done: 'Dismissed: not flagged again for 30 days.',
    hint: 'Not flagged again for 30 days',
  },
];

export function OpportunityCard({
  opportunity: o,
  onChanged,
}: {
  opportunity: OpportunityRecord;
  onChanged: (opportunity: OpportunityRecord) => void;
}) {
  const { can, currency } = useSession();
  const [busy, setBusy] = useState<Move>();
  const [error, setError] = useState<Error>();
  const [outcome, setOutcome] = useState<string>();
  const moves = can('member') ? MOVES.filter((m) => m.from.includes(o.status)) : [];
  const evidence = Object.entries(o.evidence);

  async function move(m: (typeof MOVES)[number]) {
    setBusy(m.move);
    setError(undefined);
    setOutcome(undefined);
    try {
      onChanged(await request<OpportunityRecord>(`/api/opportunities/${o.id}/${m.move}`, { method: 'POST' }));
      setOutcome(m.done);
    } catch (failure) {
      setError(failure as Error);
      // Someone else moved it first: show where it is now.
      if (failure instanceof ApiError && failure.status === 409)
        request<OpportunityRecord>(`/api/opportunities/${o.id}`).then(onChanged, () => {});
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <article
      className={`card opportunity-card severity-${o.severity}`}
      data-testid="opportunity-card"
      data-id={o.id}
      aria-labelledby={`opportunity-${o.id}`}
    >
      <div className="row spread">
        <span className="row">
          <Badge value={o.severity} />
          <Badge value={o.status} />
        </span>
        <span className="small muted">Confidence {confidence(o.confidence_score)}</span>
      </div>
      <h3 id={`opportunity-${o.id}`}>{typeLabel(o.opportunity_type)}</h3>
      <a className="campaign" href={href('campaigns', o.campaign_id)}>
        {o.campaign_title}
      </a>
      <p>{o.description}</p>
      <div className="suggested">
        <strong>Suggested:</strong> {o.suggested_action}
      </div>
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
        Detected <time dateTime={o.detected_at}>{dateTime(o.detected_at)}</time>
        {o.resolved_at && <> · resolved {dateTime(o.resolved_at)}</>}
      </p>
      {moves.length > 0 && (
        <div className="row opportunity-moves">
          {moves.map((m) => (
            <button
              key={m.move}
              type="button"
              className={m.move === 'start' ? 'primary' : undefined}
              title={m.hint}
              disabled={busy !== undefined}
              onClick={() => move(m)}
            >
              {busy === m.move && <Spinner label={m.busy} />}
              {m.label}
            </button>
          ))}
        </div>
      )}
      {outcome && (
        <p className="small tone-good" role="status">
          {outcome}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </article>
  );
}
