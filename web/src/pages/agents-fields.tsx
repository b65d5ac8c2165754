// One input of an agent mode as a labelled form control, with the API's error for it underneath.
import type { ReactNode } from 'react';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import type { CmoFunnelHead, CmoPlanHead } from '../../../src/contract/cmo-documents.ts';
import { query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { dayRange, words } from '../lib/format.ts';
import type { InputField } from './agents-inputs.tsx';

interface FieldProps {
  field: InputField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  /** The workspace the run is for: plans and funnels are chosen from its own. */
  workspaceId: string;
}

const idOf = (path: string) => `agent-input-${path.replaceAll('.', '-')}`;

export function AgentField({ field, value, error, onChange, workspaceId }: FieldProps) {
  const id = idOf(field.path);
  const described = [field.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
    'aria-required': field.required ? true : undefined,
  };
  const label = (
    <>
      {field.label}
      {field.required && <span className="muted"> (required)</span>}
    </>
  );
  const below = (
    <>
      {field.hint && (
        <span className="muted small field-hint" id={`${id}-hint`}>
          {field.hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  );

  if (field.kind === 'checks') {
    const chosen = new Set(value.split(',').filter(Boolean));
    const toggle = (option: string, on: boolean) => {
      const next = new Set(chosen);
      if (on) next.add(option);
      else next.delete(option);
      onChange(field.options!.filter((o) => next.has(o)).join(','));
    };
    return (
      <fieldset className="agent-field checks" aria-describedby={described} aria-invalid={error ? true : undefined}>
        <legend>{label}</legend>
        <div className="row">
          {field.options!.map((option) => (
            <label key={option} className="check">
              <input type="checkbox" checked={chosen.has(option)} onChange={(e) => toggle(option, e.target.checked)} />
              {option.replaceAll('_', ' ')}
            </label>
          ))}
        </div>
        {below}
      </fieldset>
    );
  }

  const choice = { common, value, onChange };
  let control: ReactNode;
  switch (field.kind) {
    case 'textarea':
      control = <textarea {...common} rows={3} value={value} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'select':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          {!field.initial && <option value="">{field.required ? 'Choose…' : 'Any'}</option>}
          {field.options!.map((option) => (
            <option key={option} value={option}>
              {option.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      );
      break;
    case 'campaign':
      // The content engine writes for one campaign, chosen from the tenant's.
      control = (
        <RecordSelect<CampaignRecord>
          {...choice}
          path="/api/campaigns?limit=200"
          what="Campaigns"
          none="Choose…"
          nameOf={(c) => c.title}
        />
      );
      break;
    case 'plan':
      // Left empty, the agent reads the workspace's newest plan.
      control = (
        <RecordSelect<CmoPlanHead>
          {...choice}
          path={`/api/cmo-plans${query({ workspace_id: workspaceId, limit: 100 })}`}
          what="Plans"
          none="The newest plan"
          nameOf={(p) => `${p.name} (${dayRange(p.start_date, p.end_date)})`}
        />
      );
      break;
    case 'funnel':
      control = (
        <RecordSelect<CmoFunnelHead>
          {...choice}
          path={`/api/cmo-funnels${query({ workspace_id: workspaceId, limit: 100 })}`}
          what="Funnels"
          none="The newest funnel"
          nameOf={(f) => (f.funnel_type ? `${f.name} (${words(f.funnel_type)})` : f.name)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type={field.kind === 'number' ? 'number' : field.kind === 'date' ? 'date' : 'text'}
          min={field.kind === 'number' ? 0 : undefined}
          step={field.kind === 'number' ? 'any' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
  return (
    <div className="agent-field">
      <label htmlFor={id}>{label}</label>
      {control}
      {below}
    </div>
  );
}

/** A choice among the tenant's rows of one kind, each named for a person; the first option is `none`. */
function RecordSelect<Row extends { id: string }>({
  common,
  value,
  onChange,
  path,
  what,
  none,
  nameOf,
}: {
  common: Record<string, unknown>;
  value: string;
  onChange: (value: string) => void;
  path: string;
  what: string;
  none: string;
  nameOf: (row: Row) => string;
}) {
  const loaded = useApi<{ data: Row[] }>(path);
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)} disabled={!loaded.data}>
      <option value="">
        {loaded.error ? `${what} could not load: ${loaded.error.message}` : loaded.data ? none : 'Loading…'}
      </option>
      {loaded.data?.data.map((row) => (
        <option key={row.id} value={row.id}>
          {nameOf(row)}
        </option>
      ))}
    </select>
  );
}
