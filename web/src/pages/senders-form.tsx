// What the two sender forms share: the values as typed, saving through PUT /api/senders/{channel}
// with the API's field messages, inputs bound to the values, a secret's hint (write-only: set or
// not, never shown), and a setting read back as text.
import { type FormEvent, useState } from 'react';
import type { SenderRecord } from '../../../src/contract/senders.ts';
import { request } from '../api/client.ts';
import { messageFor, NumberField, TextField } from './rules-fields.tsx';

export type Values = Record<string, string>;

/** A saved setting as the text an input holds ('' when unset). */
export const textOf = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** A number typed in, or undefined when the field is left empty (the API's default applies). */
export const numberOf = (text: string | undefined) => (!text || text.trim() === '' ? undefined : Number(text));

/** Only the fields that hold something: an empty one is left out of the body. */
export const filled = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));

/** The hint under a secret's input: whether one is stored, and what leaving it empty does. */
export function secretHint(saved: Pick<SenderRecord, 'secrets_set'> | undefined, name: string): string {
  return saved?.secrets_set.includes(name)
    ? 'Set. Leave empty to keep it, or type a new one to replace it.'
    : 'Not set.';
}

export type SenderForm = ReturnType<typeof useSenderForm>;

/** The form's state; `secrets` are emptied once saved (the page never holds one longer than it must). */
export function useSenderForm(
  channel: SenderRecord['channel'],
  initial: Values,
  secrets: readonly string[],
  onSaved: () => void,
) {
  const [values, setValues] = useState<Values>(initial);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (name: string) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  /** The submit handler, sending what `body` makes of the values. */
  const save = (body: (values: Values) => object) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      await request<SenderRecord>(`/api/senders/${channel}`, { method: 'PUT', body: body(values) });
      setValues((v) => ({ ...v, ...Object.fromEntries(secrets.map((name) => [name, ''])) }));
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return { channel, values, set, error, busy, saved, save };
}

interface Extra {
  type?: 'email' | 'password';
  hint?: string;
  placeholder?: string;
}

/**
 * Inputs bound to the form's values (ids `{channel}-{name}`), each with the API's message for its
 * field: `apiField` names the body's field a value goes to (dkim_domain → dkim.domain).
 */
export function inputsOf(form: SenderForm, apiField: (name: string) => string = (name) => name) {
  const { channel, values, set, error } = form;
  const common = (name: string) => ({
    id: `${channel}-${name}`,
    value: values[name] ?? '',
    error: messageFor(error, apiField(name)),
    onChange: set(name),
  });
  return {
    text: (name: string, label: string, extra: Extra = {}) => <TextField {...common(name)} label={label} {...extra} />,
    number: (name: string, label: string, extra: Pick<Extra, 'placeholder'> = {}) => (
      <NumberField {...common(name)} label={label} step="1" {...extra} />
    ),
  };
}
