// A contact's entries on the suppression list (GET /api/contacts/{id}/suppressions): its e-mail
// address's and its phone's, as the delivery worker compares them before every message.
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import type { ContactSuppressions as Entries } from '../../../src/contract/delivery.ts';
import { useApi } from '../api/use-api.ts';
import { Badge } from '../components/badge.tsx';
import { Async } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';

export function ContactSuppressions({ contact }: { contact: ContactRecord }) {
  const loaded = useApi<Entries>(`/api/contacts/${encodeURIComponent(contact.id)}/suppressions`);
  return (
    <Async loaded={loaded} what="the contact’s suppressions">
      {({ data }) =>
        data.length === 0 ? (
          <p className="muted small" data-testid="contact-suppressions">
            {/* The list is one gate; a contact that is not active is stopped by its status as well. */}
            {contact.status === 'active'
              ? `Not on the suppression list: messages may go to ${contact.email ?? contact.phone}.`
              : `Not on the suppression list, but no message goes to a contact that is ${contact.status}.`}
          </p>
        ) : (
          <ul className="small" data-testid="contact-suppressions">
            {data.map((s) => (
              <li key={`${s.channel}:${s.address}`}>
                {s.channel === 'email' ? 'E-mail' : 'SMS'} to <strong>{s.address}</strong> stopped:{' '}
                <Badge value={s.reason} /> since {dateTime(s.created_at)}
                {s.note && <span className="muted"> — {s.note}</span>}
              </li>
            ))}
          </ul>
        )
      }
    </Async>
  );
}
