// One segment (#/contacts/segments/<id>): its name, description and member count; for members,
// change them, delete the segment (after a confirmation; a campaign's audience is refused, and the
// page says which campaign), and add or remove members.
import { useState } from 'react';
import type { SegmentRecord } from '../../../src/contract/segments.ts';
import { request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Async, ErrorNotice } from '../components/status.tsx';
import { count } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { SegmentForm } from './segment-form.tsx';
import { SegmentMembers } from './segment-members.tsx';

export function SegmentDetail({ id }: { id: string }) {
  const { can } = useSession();
  const loaded = useApi<SegmentRecord>(`/api/segments/${encodeURIComponent(id)}`);
  const [editing, setEditing] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  const [failure, setFailure] = useState<Error>();

  async function remove() {
    setFailure(undefined);
    try {
      await request(`/api/segments/${encodeURIComponent(id)}`, { method: 'DELETE' });
      window.location.hash = href('contacts', 'segments');
    } catch (error) {
      setFailure(error as Error);
    }
  }

  return (
    <section className="segment-detail" aria-labelledby="segment-title">
      <p>
        <a href={href('contacts', 'segments')}>← Back to segments</a>
      </p>
      <Async loaded={loaded} what="the segment">
        {(s) => (
          <>
            <div className="row spread">
              <h2 id="segment-title">{s.name}</h2>
              <span className="muted" data-testid="member-count">
                {count(s.member_count)} {s.member_count === 1 ? 'member' : 'members'}
              </span>
            </div>
            {s.description && <p className="muted">{s.description}</p>}
            {can('member') && !editing && (
              <div className="row">
                <button type="button" onClick={() => setEditing(true)}>
                  Rename or describe
                </button>
                <ConfirmButton
                  label="Delete segment"
                  title={`Delete “${s.name}”?`}
                  confirmLabel="Delete"
                  onConfirm={() => void remove()}
                >
                  The segment and its list of members go; the {count(s.member_count)} contacts themselves stay. A
                  segment that is a campaign’s audience cannot be deleted.
                </ConfirmButton>
              </div>
            )}
            {failure && <ErrorNotice error={failure} />}
            {outcome && (
              <p className="notice" role="status">
                {outcome}
              </p>
            )}
            {editing && (
              <SegmentForm
                segment={s}
                onCancel={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  setOutcome('Saved.');
                  loaded.reload();
                }}
              />
            )}
            <SegmentMembers segment={s} onChanged={loaded.reload} />
          </>
        )}
      </Async>
    </section>
  );
}
