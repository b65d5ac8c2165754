// The end of a settings form (a sender, a notification destination): the save button, "Saved", and
// the API's answer when it names no field.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import type { SenderForm } from './senders-form.tsx';

export function SenderFormFoot({
  form,
  saveLabel,
  what = 'sender',
  children,
}: {
  form: Pick<SenderForm, 'error' | 'busy' | 'saved'>;
  saveLabel: string;
  /** What is saved, in "The sender was not saved". */
  what?: string;
  /** More buttons after the save button (Cancel). */
  children?: ReactNode;
}) {
  const { error, busy, saved } = form;
  const named = error instanceof ApiError && error.fields.length > 0;
  return (
    <div className="row full">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : saveLabel}
      </button>
      {children}
      {saved && (
        <span role="status" className="muted">
          Saved.
        </span>
      )}
      {error && (
        <span className="field-error" role="alert">
          {named ? `The ${what} was not saved: see the fields marked above.` : error.message}
        </span>
      )}
    </div>
  );
}
