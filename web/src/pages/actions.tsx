// The Actions tab: the ledger of every decision the engine made, newest first, filtered by type,
// status and campaign, with approve/dismiss for suggestions and rollback for executed changes.
// While a change is on its way to an ad platform (applying), the list is read again until the
// platform has answered, so the row turns executed (or failed) without a reload.
import { useState } from 'react';
import type { ActionRecord } from '../../../src/contract/actions.ts';
import { query } from '../api/client.ts';
import { usePolling } from '../api/use-polling.ts';
import { useSession } from '../auth/session-context.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, Spinner } from '../components/status.tsx';
import { type ActionFilter, ActionFilters, NO_FILTER } from './actions-filters.tsx';
import { type PagedList, usePagedList } from './actions-paged-list.tsx';
import { ActionRow } from './actions-row.tsx';
import './actions.css';

/** The API's order: newest first, the id breaking ties. */
const newerFirst = (a: ActionRecord, b: ActionRecord) =>
  b.created_at.localeCompare(a.created_at) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

export function ActionsPage() {
  const { can } = useSession();
  const [filter, setFilter] = useState<ActionFilter>(NO_FILTER);
  const list = usePagedList<ActionRecord>(`/api/actions${query({ ...filter })}`, { newer: newerFirst });
  const filtered = Boolean(filter.action_type || filter.status || filter.campaign_id);
  const applying = list.rows.some((action) => action.status === 'applying');
  usePolling(list.refresh, applying);

  return (
    <section className="actions-page" aria-labelledby="actions-title">
      <div className="row spread">
        <h1 id="actions-title">Actions</h1>
        <button type="button" onClick={list.refresh} disabled={list.loading}>
          {list.loading && list.rows.length > 0 && <Spinner label="Refreshing" />}
          Refresh
        </button>
      </div>
      <p className="muted">
        Every decision the engine made or suggested, newest first.
        {can('member') && ' Approve or dismiss its suggestions.'}
        {can('admin') && ' Roll back a change that should not have happened.'}
      </p>
      <ActionFilters value={filter} onChange={setFilter} />
      <Ledger list={list} filtered={filtered} />
    </section>
  );
}

function Ledger({ list, filtered }: { list: PagedList<ActionRecord>; filtered: boolean }) {
  if (list.rows.length === 0) {
    if (list.loading) return <Loading what="actions" />;
    if (list.error) return <ErrorNotice error={list.error} retry={list.retry} />;
    return (
      <Empty>
        {filtered
          ? 'No actions match these filters.'
          : 'No actions yet. Each cycle records here what it paused, scaled, posted or suggests.'}
      </Empty>
    );
  }
  return (
    <>
      {list.error && <ErrorNotice error={list.error} retry={list.refresh} />}
      <ol className="ledger" aria-label="Actions, newest first">
        {list.rows.map((action) => (
          <ActionRow
            key={action.id}
            action={action}
            onChanged={(updated) => {
              list.put(updated);
              // A rollback adds its own ledger row; approvals change the campaign: fetch again.
              list.refresh();
            }}
            onRefused={list.refresh}
          />
        ))}
      </ol>
      <LoadMore list={list} what="actions" />
    </>
  );
}
