// A contact's status, changed by members (PATCH /api/contacts/{id} with `status`): contacts are
// never deleted, so "unsubscribed" is how one stops being reached. A viewer sees the badge only.
import { useState } from 'react';
import { CONTACT_STATUSES, type ContactStatus as Status } from '../../../src/contract/contact-vocabulary.ts';
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';

export function ContactStatus({ contact, onChanged }: { contact: ContactRecord; onChanged: () => void }) {
  const { can } = useSession();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function change(status: Status) {
    setBusy(true);
    setOutcome(undefined);
    setFailure(undefined);
    try {
      await request<ContactRecord>(`/api/contacts/${encodeURIComponent(contact.id)}`, {
        method: 'PATCH',
        body: { status },
      });
      setOutcome(`The status is now ${status}.`);
      onChanged();
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!can('member'))
    return (
      <p>
        Status: <Badge value={contact.status} />
      </p>
    );
  return (
    <div className="field">
      <label htmlFor="contact-status">Status</label>
      <select
        id="contact-status"
        value={contact.status}
        disabled={busy}
        onChange={(e) => void change(e.target.value as Status)}
      >
        {CONTACT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <span className="hint">Unless it is active, no campaign sends to this contact.</span>
      {outcome && (
        <span role="status" className="muted small">
          {outcome}
        </span>
      )}
      {failure && (
        <span className="field-error" role="alert">
          {failure}
        </span>
      )}
    </div>
  );
}
