// One input of an agent mode as a labelled form control, with the API's error for it underneath.
import type { ReactNode } from 'react';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import { useApi } from '../api/use-api.ts';
import type { InputField } from './agents-inputs.tsx';

interface FieldProps {
  field: InputField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}

const idOf = (path: string) => `agent-input-${path.replaceAll('.', '-')}`;

export function AgentField({ field, value, error, onChange }: FieldProps) {
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
      control = <CampaignSelect common={common} value={value} onChange={onChange} />;
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

/** The content engine writes for one campaign: chosen from the tenant's campaigns. */
function CampaignSelect({
  common,
  value,
  onChange,
}: {
  common: Record<string, unknown>;
  value: string;
  onChange: (value: string) => void;
}) {
  const loaded = useApi<{ data: CampaignRecord[] }>('/api/campaigns?limit=200');
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)} disabled={!loaded.data}>
      <option value="">
        {loaded.error ? `Campaigns could not load: ${loaded.error.message}` : loaded.data ? 'Choose…' : 'Loading…'}
      </option>
      {loaded.data?.data.map((c) => (
        <option key={c.id} value={c.id}>
          {c.title}
        </option>
      ))}
    </select>
  );
}
