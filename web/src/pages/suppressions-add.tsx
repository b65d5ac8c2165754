// Putting an address on the suppression list by hand (POST /api/suppressions, admins): the API
// checks the address fits the channel and names the field when it does not; an address already on
// the list keeps its entry, and the page says so.
import { type FormEvent, useState } from 'react';
import type { SuppressionRecord } from '../../../src/contract/delivery.ts';
import { send } from '../api/client.ts';
import { dateTime } from '../lib/format.ts';
import { messageFor, SelectField, TextField } from './rules-fields.tsx';

type Channel = SuppressionRecord['channel'];
const CHANNELS = [
  { value: 'email', label: 'E-mail' },
  { value: 'sms', label: 'SMS' },
] as const;

export function AddSuppression({ onAdded }: { onAdded: () => void }) {
  const [channel, setChannel] = useState<Channel>('email');
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<Error>();
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setOutcome(undefined);
    try {
      const response = await send('/api/suppressions', {
        method: 'POST',
        body: { channel, address, ...(note.trim() ? { note } : {}) },
      });
      const entry = (await response.json()) as SuppressionRecord;
      setOutcome(
        response.status === 201
          ? `${entry.address} is on the suppression list.`
          : `${entry.address} was on the list already (${entry.reason.replaceAll('_', ' ')}, since ${dateTime(entry.created_at)}).`,
      );
      setAddress('');
      setNote('');
      onAdded();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const general = error && !messageFor(error, 'address') && !messageFor(error, 'note') ? error.message : undefined;
  return (
    <form className="panel" aria-label="Add an address to the suppression list" onSubmit={(e) => void add(e)}>
      <h3>Add an address</h3>
      <SelectField id="suppress-channel" label="Channel" value={channel} options={CHANNELS} onChange={setChannel} />
      <TextField
        id="suppress-address"
        label="Address"
        value={address}
        required
        placeholder={channel === 'email' ? 'name@example.com' : '+14155550100'}
        error={messageFor(error, 'address')}
        onChange={setAddress}
      />
      <TextField
        id="suppress-note"
        label="Note (optional)"
        value={note}
        error={messageFor(error, 'note')}
        onChange={setNote}
      />
      <div className="row full">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add to the list'}
        </button>
        {outcome && (
          <span role="status" className="muted">
            {outcome}
          </span>
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
