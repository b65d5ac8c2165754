// The Opportunities tab: what the cycle found worth a person's attention, one card per campaign
// with its findings together, the most severe campaigns first and, among equals, the ones with the
// most money spent; by default the findings still to work on (open and in progress).
import { useId, useState } from 'react';
import type { OpportunityGroups } from '../../../src/contract/opportunities.ts';
import { OPPORTUNITY_SEVERITIES, OPPORTUNITY_TYPES } from '../../../src/contract/opportunity-vocabulary.ts';
import { query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { Empty, ErrorNotice, Loading, Spinner } from '../components/status.tsx';
import { type Finding, typeLabel } from './opportunities-card.tsx';
import { OpportunityGroupCard } from './opportunities-group.tsx';
import './opportunities.css';

const ACTIVE = 'active';
const STATUSES = [
  [ACTIVE, 'Open & in progress'],
  ['open', 'Open'],
  ['in_progress', 'In progress'],
  ['resolved', 'Resolved'],
  ['dismissed', 'Dismissed'],
] as const;
/** Campaigns per request, and the API's most. */
const STEP = 50;
const MOST = 200;

export function OpportunitiesPage() {
  const id = useId();
  const [status, setStatus] = useState<string>(ACTIVE);
  const [severity, setSeverity] = useState('');
  const [type, setType] = useState('');
  const [limit, setLimit] = useState(STEP);
  const loaded = useApi<OpportunityGroups>(
    `/api/opportunities/by-campaign${query({ status, severity, opportunity_type: type, limit })}`,
  );
  // Findings changed here, shown as the server answered until the next load: a dismissed finding
  // stays on its card (with its undo) rather than vanishing under the cursor.
  const [changed, setChanged] = useState<Record<string, Finding>>({});
  const filter = (set: (value: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setLimit(STEP);
    setChanged({});
  };
  const groups = loaded.data?.data.map((g) => ({ ...g, findings: g.findings.map((f) => changed[f.id] ?? f) }));

  return (
    <section className="opportunities-page" aria-labelledby="opportunities-title">
      <div className="row spread">
        <h1 id="opportunities-title">Opportunities</h1>
        <button
          type="button"
          onClick={() => {
            setChanged({});
            loaded.reload();
          }}
          disabled={loaded.loading}
        >
          {loaded.loading && loaded.data && <Spinner label="Refreshing" />}
          Refresh
        </button>
      </div>
      <p className="muted">
        What the cycle found worth a look, one card per campaign: the most severe first, then the most spent on.
      </p>
      <search className="filters" aria-label="Filter opportunities">
        <label htmlFor={`${id}-status`}>
          Status
          <select id={`${id}-status`} value={status} onChange={filter(setStatus)}>
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-severity`}>
          Severity
          <select id={`${id}-severity`} value={severity} onChange={filter(setSeverity)}>
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
          <select id={`${id}-type`} value={type} onChange={filter(setType)}>
            <option value="">All types</option>
            {OPPORTUNITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
      </search>
      {!groups ? (
        loaded.error ? (
          <ErrorNotice error={loaded.error} retry={loaded.reload} />
        ) : (
          <Loading what="opportunities" />
        )
      ) : groups.length === 0 ? (
        <Empty>
          {status !== ACTIVE || severity || type
            ? 'No opportunities match these filters.'
            : 'Nothing open. Each cycle flags campaigns that convert poorly, decline, or waste budget here.'}
        </Empty>
      ) : (
        <>
          {loaded.error && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
          <div className="grid opportunity-grid">
            {groups.map((group) => (
              <OpportunityGroupCard
                key={group.campaign_id}
                group={group}
                onChanged={(finding) => setChanged((now) => ({ ...now, [finding.id]: finding }))}
              />
            ))}
          </div>
          {loaded.data && loaded.data.total_campaigns > groups.length && (
            <div className="load-more">
              <p className="small muted">
                {groups.length} of {loaded.data.total_campaigns} campaigns
              </p>
              {limit < MOST && (
                <button type="button" onClick={() => setLimit(Math.min(MOST, limit + STEP))} disabled={loaded.loading}>
                  {loaded.loading && <Spinner label="Loading more campaigns" />}
                  Show more campaigns
                </button>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
