// The ledger's filters: type, status and campaign, as the list's query parameters.
import { useId } from 'react';
import { ACTION_STATUSES } from '../../../src/contract/action-vocabulary.ts';
import type { Page } from '../../../src/contract/page.ts';
import { useApi } from '../api/use-api.ts';
import { ACTION_TYPE_LABELS } from './actions-row.tsx';

export interface ActionFilter {
  action_type: string;
  status: string;
  campaign_id: string;
}

export const NO_FILTER: ActionFilter = { action_type: '', status: '', campaign_id: '' };

export function ActionFilters({ value, onChange }: { value: ActionFilter; onChange: (next: ActionFilter) => void }) {
  const id = useId();
  const campaigns = useApi<Page<{ id: string; title: string }>>('/api/campaigns?limit=200');
  const set = (key: keyof ActionFilter) => (e: { target: { value: string } }) =>
    onChange({ ...value, [key]: e.target.value });
  const filtered = value.action_type || value.status || value.campaign_id;

  return (
    <search className="filters" aria-label="Filter actions">
      <label htmlFor={`${id}-type`}>
        Type
        <select id={`${id}-type`} value={value.action_type} onChange={set('action_type')}>
          <option value="">All types</option>
          {Object.entries(ACTION_TYPE_LABELS).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-status`}>
        Status
        <select id={`${id}-status`} value={value.status} onChange={set('status')}>
          <option value="">All statuses</option>
          {ACTION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-campaign`}>
        Campaign
        <select
          id={`${id}-campaign`}
          className="campaign-filter"
          value={value.campaign_id}
          onChange={set('campaign_id')}
          disabled={!campaigns.data && !value.campaign_id}
        >
          <option value="">{campaigns.loading && !campaigns.data ? 'Loading campaigns…' : 'All campaigns'}</option>
          {campaigns.data?.data.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
      {campaigns.error && (
        <span className="field-error" role="alert">
          Campaigns could not be loaded: {campaigns.error.message}
        </span>
      )}
      {filtered && (
        <button type="button" className="link" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      )}
    </search>
  );
}
