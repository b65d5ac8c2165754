// #/contacts/segments: the tenant's segments, newest first, each with its member count and linked
// to its page; members create one above the list.
import type { SegmentRecord } from '../../../src/contract/segments.ts';
import { useSession } from '../auth/session-context.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { count, dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { usePagedList } from './campaigns-paged.tsx';
import { SegmentForm } from './segment-form.tsx';

const PAGE_SIZE = 50;

export function SegmentList() {
  const { can } = useSession();
  const list = usePagedList<SegmentRecord>(`/api/segments?limit=${PAGE_SIZE}`);

  return (
    <section aria-labelledby="segments-title">
      <h2 id="segments-title">Segments</h2>
      <p className="muted small">
        Lists of contacts a campaign sends to (its audience). Open one to see its members, add or remove them.
      </p>
      {can('member') && (
        <SegmentForm
          onSaved={(saved) => {
            window.location.hash = href('contacts', 'segments', saved.id);
          }}
        />
      )}
      <PagedTable
        list={list}
        what="the segments"
        empty="No segments yet."
        className="segments-table"
        head={
          <>
            <th>Name</th>
            <th>Members</th>
            <th>Created</th>
          </>
        }
      >
        {(s) => (
          <tr key={s.id} data-testid="segment-row" data-id={s.id}>
            <td>
              <a href={href('contacts', 'segments', s.id)}>{s.name}</a>
              {s.description && <div className="muted small">{s.description}</div>}
            </td>
            <td className="nowrap">{count(s.member_count)}</td>
            <td className="nowrap">{dateTime(s.created_at)}</td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}
