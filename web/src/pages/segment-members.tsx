// A segment's members (GET /api/segments/{id}/members), searched and in pages; members remove one
// (DELETE …/members) or add contacts found by e-mail, name or phone (POST …/members). Each change
// says what it did, and the list and the count are read again.
import { useState } from 'react';
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import type { SegmentMembersAdded, SegmentMembersRemoved, SegmentRecord } from '../../../src/contract/segments.ts';
import { query, request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { ErrorNotice } from '../components/status.tsx';
import { usePagedList } from './campaigns-paged.tsx';
import { ContactLink } from './contact-link.tsx';
import { SearchBox } from './search-box.tsx';
import { SegmentAddMembers } from './segment-add-members.tsx';

const PAGE_SIZE = 50;

export function SegmentMembers({ segment, onChanged }: { segment: SegmentRecord; onChanged: () => void }) {
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [outcome, setOutcome] = useState<string>();
  const [failure, setFailure] = useState<Error>();
  const path = `/api/segments/${encodeURIComponent(segment.id)}/members`;
  const list = usePagedList<ContactRecord>(`${path}${query({ q, limit: PAGE_SIZE })}`);

  /** Runs a change of the membership, then says what it did and reads the list and the count again. */
  async function change<Answer>(method: 'POST' | 'DELETE', contact: ContactRecord, words: (a: Answer) => string) {
    setFailure(undefined);
    setOutcome(undefined);
    try {
      const answer = await request<Answer>(path, { method, body: { contact_ids: [contact.id] } });
      setOutcome(words(answer));
      list.first.reload();
      onChanged();
    } catch (error) {
      setFailure(error as Error);
    }
  }
  const who = (c: ContactRecord) => c.email ?? c.phone ?? c.id;
  const add = (c: ContactRecord) =>
    change<SegmentMembersAdded>('POST', c, (a) =>
      a.added > 0 ? `${who(c)} is now a member.` : `${who(c)} was a member already.`,
    );
  const remove = (c: ContactRecord) =>
    change<SegmentMembersRemoved>('DELETE', c, (a) =>
      a.removed > 0 ? `${who(c)} is no longer a member.` : `${who(c)} was not a member.`,
    );

  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title">Members</h3>
      {can('member') && <SegmentAddMembers onAdd={(c) => void add(c)} />}
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      {failure && <ErrorNotice error={failure} />}
      <div className="filters">
        <SearchBox label="Find a member" placeholder="E-mail, name or phone" onSearch={setQ} />
      </div>
      <PagedTable
        list={list}
        what="the members"
        empty={q ? `No member matches “${q}”.` : 'No members yet.'}
        className="members-table"
        head={
          <>
            <th>Contact</th>
            <th>Status</th>
            {can('member') && (
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            )}
          </>
        }
      >
        {(c) => (
          <tr key={c.id} data-testid="member-row" data-id={c.id}>
            <td>
              <ContactLink contact={c} />
            </td>
            <td>
              <Badge value={c.status} />
            </td>
            {can('member') && (
              <td>
                <button type="button" onClick={() => void remove(c)}>
                  Remove
                </button>
              </td>
            )}
          </tr>
        )}
      </PagedTable>
    </section>
  );
}
