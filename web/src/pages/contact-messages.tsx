// A contact's history (GET /api/contacts/{id}/messages): every message campaigns sent it, newest
// first, each with its campaign (linked), step and variant, channel, status and what became of it
// (sent, delivered, opened, clicked, replied, bounced, unsubscribed, complained, with the times).
import type { ContactMessageRecord } from '../../../src/contract/contact-messages.ts';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { usePagedList } from './campaigns-paged.tsx';

const PAGE_SIZE = 25;
const CHANNEL = { email: 'E-mail', sms: 'SMS' } as const;

/** The moments of a message after it went out, in the order they happen. */
const MOMENTS = [
  ['delivered_at', 'Delivered'],
  ['opened_at', 'Opened'],
  ['clicked_at', 'Clicked'],
  ['replied_at', 'Replied'],
  ['bounced_at', 'Bounced'],
  ['unsubscribed_at', 'Unsubscribed'],
  ['complained_at', 'Complained'],
] as const;

export function ContactMessages({ contactId }: { contactId: string }) {
  const list = usePagedList<ContactMessageRecord>(
    `/api/contacts/${encodeURIComponent(contactId)}/messages?limit=${PAGE_SIZE}`,
  );
  return (
    <section aria-labelledby="history-title">
      <h3 id="history-title">Messages</h3>
      <PagedTable
        list={list}
        what="the contact’s messages"
        empty="No campaign has sent this contact a message yet."
        className="contact-messages"
        head={
          <>
            <th>Campaign</th>
            <th>Step</th>
            <th>Status</th>
            <th>Sent</th>
            <th>Since</th>
          </>
        }
      >
        {(m) => (
          <tr key={m.id} data-testid="message-row" data-id={m.id}>
            <td>
              <a href={href('campaigns', m.campaign_id)}>{m.campaign_title}</a>
              <div className="muted small">
                {CHANNEL[m.channel]} to {m.to_address}
              </div>
            </td>
            <td>
              {m.step_index + 1}. {m.step_name}
              <div className="muted small">Variant {m.variant_label}</div>
            </td>
            <td>
              <Badge value={m.status} />
              {m.error && <div className="muted small">{m.error}</div>}
            </td>
            <td className="nowrap">{m.sent_at ? dateTime(m.sent_at) : '—'}</td>
            <td>
              <Moments message={m} />
            </td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}

function Moments({ message }: { message: ContactMessageRecord }) {
  const happened = MOMENTS.filter(([field]) => message[field] !== null);
  if (happened.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="moments small">
      {happened.map(([field, label]) => (
        <li key={field}>
          {label} {dateTime(message[field])}
        </li>
      ))}
    </ul>
  );
}
