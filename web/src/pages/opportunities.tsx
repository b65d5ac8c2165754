// The Opportunities tab: what the cycle found worth a person's attention, as cards, newest
// detection first; by default the ones still to work on (open and in progress).
import { useId, useState } from 'react';
import type { OpportunityRecord } from '../../../src/contract/opportunities.ts';
import { OPPORTUNITY_SEVERITIES, OPPORTUNITY_TYPES } from '../../../src/contract/opportunity-vocabulary.ts';
import { query } from '../api/client.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, Spinner } from '../components/status.tsx';
import { type PagedList, usePagedList } from './actions-paged-list.tsx';
import { OpportunityCard, typeLabel } from './opportunities-card.tsx';
import './opportunities.css';

/** The API filters by one status; "active" (open and in progress) is filtered here instead. */
const ACTIVE = 'active';
const STATUSES = [
  [ACTIVE, 'Open & in progress'],
  ['open', 'Open'],
  ['in_progress', 'In progress'],
  ['resolved', 'Resolved'],
  ['dismissed', 'Dismissed'],
  ['', 'All statuses'],
] as const;

const isActive = (o: OpportunityRecord) => o.status === 'open' || o.status === 'in_progress';
const newerFirst = (a: OpportunityRecord, b: OpportunityRecord) =>
  b.detected_at.localeCompare(a.detected_at) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

export function OpportunitiesPage() {
  const id = useId();
  const [status, setStatus] = useState<string>(ACTIVE);
  const [severity, setSeverity] = useState('');
  const [type, setType] = useState('');
  const path = `/api/opportunities${query({
    status: status === ACTIVE ? undefined : status,
    severity,
    opportunity_type: type,
  })}`;
  const list = usePagedList<OpportunityRecord>(path, {
    keep: status === ACTIVE ? isActive : undefined,
    newer: newerFirst,
  });

  return (
    <section className="opportunities-page" aria-labelledby="opportunities-title">
      <div className="row spread">
        <h1 id="opportunities-title">Opportunities</h1>
        <button type="button" onClick={list.retry} disabled={list.loading}>
          {list.loading && list.rows.length > 0 && <Spinner label="Refreshing" />}
          Refresh
        </button>
      </div>
      <p className="muted">What the cycle found worth a look, newest first, with what it suggests doing.</p>
      <search className="filters" aria-label="Filter opportunities">
        <label htmlFor={`${id}-status`}>
          Status
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-severity`}>
          Severity
          <select id={`${id}-severity`} value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">All severities</option>
            {OPPORTUNITY_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {typeLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-type`}>
          Type
          <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {OPPORTUNITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
      </search>
      <Cards list={list} filtered={status !== ACTIVE || Boolean(severity || type)} />
    </section>
  );
}

function Cards({ list, filtered }: { list: PagedList<OpportunityRecord>; filtered: boolean }) {
  if (list.rows.length === 0) {
    if (list.loading) return <Loading what="opportunities" />;
    if (list.error) return <ErrorNotice error={list.error} retry={list.retry} />;
    return (
      <>
        <Empty>
          {filtered
            ? 'No opportunities match these filters.'
            : 'Nothing open. Each cycle flags campaigns that convert poorly, decline, or waste budget here.'}
        </Empty>
        <LoadMore list={list} what="opportunities" />
      </>
    );
  }
  return (
    <>
      {list.error && <ErrorNotice error={list.error} retry={list.retry} />}
      <div className="grid opportunity-grid">
        {list.rows.map((o) => (
          <OpportunityCard key={o.id} opportunity={o} onChanged={list.put} />
        ))}
      </div>
      <LoadMore list={list} what="opportunities" />
    </>
  );
}
