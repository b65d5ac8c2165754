// The end of a sender form: the save button, "Saved", and the API's answer when it names no field.
import { ApiError } from '../api/client.ts';
import type { SenderForm } from './senders-form.tsx';

export function SenderFormFoot({ form, saveLabel }: { form: SenderForm; saveLabel: string }) {
  const { error, busy, saved } = form;
  const named = error instanceof ApiError && error.fields.length > 0;
  return (
    <div className="row full">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : saveLabel}
      </button>
      {saved && (
        <span role="status" className="muted">
          Saved.
        </span>
      )}
      {error && (
        <span className="field-error" role="alert">
          {named ? 'The sender was not saved: see the fields marked above.' : error.message}
        </span>
      )}
    </div>
  );
}
