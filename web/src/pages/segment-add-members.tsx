// Adding members to a segment: find contacts by e-mail, name or phone (GET /api/contacts?q=), the
// first ten shown (the page says when more match), each with an Add button.
import { useState } from 'react';
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import type { Page } from '../../../src/contract/page.ts';
import { query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { Async, Empty } from '../components/status.tsx';
import { ContactLink } from './contact-link.tsx';
import { SearchBox } from './search-box.tsx';

const SHOWN = 10;

export function SegmentAddMembers({ onAdd }: { onAdd: (contact: ContactRecord) => void }) {
  const [q, setQ] = useState('');
  const found = useApi<Page<ContactRecord>>(q ? `/api/contacts${query({ q, limit: SHOWN })}` : null);
  return (
    <div className="panel add-members">
      <SearchBox label="Find contacts to add" placeholder="E-mail, name or phone" onSearch={setQ} />
      {q && (
        <Async loaded={found} what="the contacts">
          {(page) =>
            page.data.length === 0 ? (
              <Empty>No contact matches “{q}”.</Empty>
            ) : (
              <>
                <ul className="found-contacts">
                  {page.data.map((c) => (
                    <li key={c.id} data-testid="found-contact" className="row spread">
                      <span>
                        <ContactLink contact={c} />
                      </span>
                      <button type="button" onClick={() => onAdd(c)}>
                        Add
                      </button>
                    </li>
                  ))}
                </ul>
                {page.next_cursor && (
                  <p className="muted small">
                    More contacts match: the first {SHOWN} are shown, search for more of the name or address.
                  </p>
                )}
              </>
            )
          }
        </Async>
      )}
    </div>
  );
}
