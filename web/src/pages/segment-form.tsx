// A segment's name and description: a new segment (POST /api/segments) or a change to one
// (PATCH /api/segments/{id}), members only. The API's message shows under the field it names (a
// name taken in the workspace is a 409 naming `name`); nothing changes until it is accepted.
import { type FormEvent, useState } from 'react';
import type { SegmentRecord } from '../../../src/contract/segments.ts';
import { request } from '../api/client.ts';
import { messageFor, TextField } from './rules-fields.tsx';

export function SegmentForm({
  segment,
  onSaved,
  onCancel,
}: {
  /** The segment to change; a new one without it. */
  segment?: SegmentRecord;
  onSaved: (saved: SegmentRecord) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { name, description: description.trim() ? description : null };
      const saved = await request<SegmentRecord>(
        segment ? `/api/segments/${encodeURIComponent(segment.id)}` : '/api/segments',
        { method: segment ? 'PATCH' : 'POST', body },
      );
      if (!segment) {
        setName('');
        setDescription('');
      }
      onSaved(saved);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const what = segment ? 'Change the segment' : 'New segment';
  const general = error && !messageFor(error, 'name') && !messageFor(error, 'description') ? error.message : undefined;
  return (
    <form className="panel" aria-label={what} onSubmit={(e) => void save(e)}>
      <h3>{what}</h3>
      <TextField
        id={segment ? 'segment-edit-name' : 'segment-new-name'}
        label="Name"
        value={name}
        required
        error={messageFor(error, 'name')}
        onChange={setName}
      />
      <TextField
        id={segment ? 'segment-edit-description' : 'segment-new-description'}
        label="Description (optional)"
        value={description}
        multiline
        error={messageFor(error, 'description')}
        onChange={setDescription}
      />
      <div className="row full">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : segment ? 'Save' : 'Create segment'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {general && (
          <span className="field-error" role="alert">
            {general}
          </span>
        )}
      </div>
    </form>
  );
}
