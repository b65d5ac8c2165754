// A labelled filter select. The label is the control's whole name ("Status", "Autopilot"): a
// wrapping label would add the chosen option's text to it.
import { useId } from 'react';

export function FilterSelect({
  label,
  value,
  onChange,
  anyLabel,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The first choice: no filter. */
  anyLabel: string;
  options: readonly (string | { value: string; label: string })[];
}) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {options.map((option) => {
          const { value: v, label: text } = typeof option === 'string' ? { value: option, label: option } : option;
          return (
            <option key={v} value={v}>
              {text.replaceAll('_', ' ')}
            </option>
          );
        })}
      </select>
    </div>
  );
}
