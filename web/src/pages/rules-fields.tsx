// Labelled inputs for the rule form, each with the API's message for its field right under it.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

/** The API's field messages, reworded where zod's wording is unclear to an operator. */
function readable(message: string): string {
  if (/expected number, received (null|NaN)/.test(message)) return 'Enter a number.';
  if (/expected string to have >=1 characters/.test(message)) return 'Required.';
  if (/expected int/.test(message)) return 'Enter a whole number.';
  if (message === 'already taken') return 'Another rule already has this name.';
  const bound = /^Too (small|big): expected number to be (>=|>|<=|<)(-?[\d.e+]+)$/.exec(message);
  if (bound) {
    const [, , op, n] = bound;
    const words = { '>=': `at least ${n}`, '>': `more than ${n}`, '<=': `at most ${n}`, '<': `less than ${n}` };
    return `Must be ${words[op as keyof typeof words]}.`;
  }
  return message;
}

/**
 * The API's message for `field` (e.g. condition.terms.0.threshold). `exact` for a parent whose
 * children have their own inputs (condition.terms), so a child's error is not shown twice.
 */
export function messageFor(error: Error | undefined, field: string, exact = false): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const message = exact ? error.fields.find((f) => f.field === field)?.message : error.fieldMessage(field);
  return message === undefined ? undefined : readable(message);
}

export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  );
}

interface Common {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

/** An input's id, and its link to the API's message when there is one. */
function describedBy(id: string, error: string | undefined) {
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
}

/** The label, the hint and the API's message around one input. */
function FieldFrame({ id, label, error, hint, className, children }: Common & { children: ReactNode }) {
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="hint">{hint}</span>}
      <FieldMessage id={`${id}-error`} message={error} />
    </div>
  );
}

export function TextField({
  id,
  label,
  error,
  hint,
  className,
  value,
  onChange,
  multiline,
  required,
  type = 'text',
  placeholder,
}: Common & {
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  required?: boolean;
  /** password: a secret the page never shows back (the senders' form). */
  type?: 'text' | 'email' | 'password';
  placeholder?: string;
}) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} className={className}>
      {multiline ? (
        <textarea {...describedBy(id, error)} rows={2} value={value} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...describedBy(id, error)}
          type={type}
          value={value}
          required={required}
          placeholder={placeholder}
          autoComplete={type === 'password' ? 'new-password' : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FieldFrame>
  );
}

export function NumberField({
  id,
  label,
  error,
  hint,
  className,
  value,
  onChange,
  step = 'any',
  placeholder,
}: Common & { value: string; onChange: (value: string) => void; step?: string; placeholder?: string }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} className={className}>
      <input
        {...describedBy(id, error)}
        type="number"
        inputMode="decimal"
        step={step}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    </FieldFrame>
  );
}

export function SelectField<Value extends string>({
  id,
  label,
  error,
  hint,
  className,
  value,
  options,
  onChange,
}: Common & { value: Value; options: readonly { value: Value; label: string }[]; onChange: (value: Value) => void }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} className={className}>
      <select {...describedBy(id, error)} value={value} onChange={(e) => onChange(e.target.value as Value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
