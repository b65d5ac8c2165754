// The contacts table: found by e-mail, name or phone (GET /api/contacts?q=), newest first, in
// cursor pages; each row's status, its name linked to its page, and for members a button that
// shows its suppression entries.
import { Fragment, useState } from 'react';
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import { query } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { href } from '../lib/route.ts';
import { usePagedList } from './campaigns-paged.tsx';
import { nameOf } from './contact-link.tsx';
import { ContactSuppressions } from './contacts-suppressions.tsx';
import { SearchBox } from './search-box.tsx';

const PAGE_SIZE = 25;

export function ContactList() {
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string>();
  const list = usePagedList<ContactRecord>(`/api/contacts${query({ q, limit: PAGE_SIZE })}`);
  const columns = can('member') ? 5 : 4;

  return (
    <section aria-labelledby="contacts-title">
      <h2 id="contacts-title">People</h2>
      <div className="filters">
        <SearchBox label="Find a contact" placeholder="E-mail, name or phone" onSearch={setQ} />
      </div>
      <PagedTable
        list={list}
        what="contacts"
        empty={q ? `No contact matches “${q}”.` : 'No contacts yet.'}
        className="contacts-table"
        head={
          <>
            <th>Name</th>
            <th>E-mail</th>
            <th>Phone</th>
            <th>Status</th>
            {can('member') && (
              <th>
                <span className="visually-hidden">Suppressions</span>
              </th>
            )}
          </>
        }
      >
        {(c) => (
          <Fragment key={c.id}>
            <tr data-testid="contact-row" data-id={c.id}>
              <td>
                <a href={href('contacts', c.id)}>{nameOf(c) || 'Unnamed'}</a>
                {c.company && <div className="muted small">{c.company}</div>}
              </td>
              <td>{c.email ?? '—'}</td>
              <td className="nowrap">{c.phone ?? '—'}</td>
              <td>
                <Badge value={c.status} />
              </td>
              {can('member') && (
                <td>
                  <button
                    type="button"
                    aria-expanded={open === c.id}
                    onClick={() => setOpen(open === c.id ? undefined : c.id)}
                  >
                    Suppressions
                  </button>
                </td>
              )}
            </tr>
            {open === c.id && (
              <tr className="contact-suppressions">
                <td colSpan={columns}>
                  <ContactSuppressions contact={c} />
                </td>
              </tr>
            )}
          </Fragment>
        )}
      </PagedTable>
    </section>
  );
}
