// The Actions tab: the ledger of every decision the engine made, newest first, filtered by type,
// status and campaign, with approve/dismiss for suggestions (one, or the selected ones at once),
// rollback for executed changes, and the filtered ledger as CSV.
// While a change is on its way to an ad platform (applying), the list is read again until the
// platform has answered, so the row turns executed (or failed) without a reload.
import { useState } from 'react';
import { ACTION_STATUSES, type ActionStatus } from '../../../src/contract/action-vocabulary.ts';
import type { ActionRecord } from '../../../src/contract/actions.ts';
import { query } from '../api/client.ts';
import { usePolling } from '../api/use-polling.ts';
import { useSession } from '../auth/session-context.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, Spinner } from '../components/status.tsx';
import { useRoute } from '../lib/route.ts';
import { BulkDecisions } from './actions-bulk.tsx';
import { ActionsExport } from './actions-export.tsx';
import { type ActionFilter, ActionFilters, NO_FILTER } from './actions-filters.tsx';
import { type PagedList, usePagedList } from './actions-paged-list.tsx';
import { ActionRow } from './actions-row.tsx';
import './actions.css';

/** The API's order: newest first, the id breaking ties. */
const newerFirst = (a: ActionRecord, b: ActionRecord) =>
  b.created_at.localeCompare(a.created_at) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

const isActionStatus = (word: string | undefined): word is ActionStatus =>
  (ACTION_STATUSES as readonly (string | undefined)[]).includes(word);

export function ActionsPage() {
  const { can } = useSession();
  const { rest } = useRoute();
  // #/actions/<status>[/<campaign id>]: e.g. a campaign's suggestions waiting for approval (the
  // Opportunities tab links there), or what a notification's digest counted (#/actions/failed).
  const [filter, setFilter] = useState<ActionFilter>(() =>
    isActionStatus(rest[0]) ? { ...NO_FILTER, status: rest[0], campaign_id: rest[1] ?? '' } : NO_FILTER,
  );
  const list = usePagedList<ActionRecord>(`/api/actions${query({ ...filter })}`, { newer: newerFirst });
  const filtered = Boolean(filter.action_type || filter.status || filter.campaign_id);
  const applying = list.rows.some((action) => action.status === 'applying');
  usePolling(list.refresh, applying);
  const [selected, setSelected] = useState<string[]>([]);
  // A selection belongs to the rows it was made on: another filter starts afresh.
  const changeFilter = (next: ActionFilter) => {
    setFilter(next);
    setSelected([]);
  };

  return (
    <section className="actions-page" aria-labelledby="actions-title">
      <div className="row spread">
        <h1 id="actions-title">Actions</h1>
        <div className="row">
          <ActionsExport filter={filter} />
          <button type="button" onClick={list.refresh} disabled={list.loading}>
            {list.loading && list.rows.length > 0 && <Spinner label="Refreshing" />}
            Refresh
          </button>
        </div>
      </div>
      <p className="muted">
        Every decision the engine made or suggested, newest first.
        {can('member') && ' Approve or dismiss its suggestions.'}
        {can('admin') && ' Roll back a change that should not have happened.'}
      </p>
      <ActionFilters value={filter} onChange={changeFilter} />
      {can('member') && (
        <BulkDecisions
          selected={selected}
          rows={list.rows}
          onDecided={() => {
            setSelected([]);
            list.refresh();
          }}
        />
      )}
      <Ledger list={list} filtered={filtered} selection={can('member') ? { selected, setSelected } : undefined} />
    </section>
  );
}

interface Selection {
  selected: string[];
  setSelected: (ids: string[]) => void;
}

function Ledger({
  list,
  filtered,
  selection,
}: {
  list: PagedList<ActionRecord>;
  filtered: boolean;
  /** For those who may decide suggestions (members). */
  selection?: Selection;
}) {
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
      {selection && <SelectAllPending rows={list.rows} selection={selection} />}
      <ol className="ledger" aria-label="Actions, newest first">
        {list.rows.map((action) => (
          <ActionRow
            key={action.id}
            action={action}
            selected={selection && action.status === 'pending' ? selection.selected.includes(action.id) : undefined}
            onSelect={(on) =>
              selection?.setSelected(
                on ? [...selection.selected, action.id] : selection.selected.filter((id) => id !== action.id),
              )
            }
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

/** Selects every pending suggestion on screen (the loaded pages), or none. */
function SelectAllPending({ rows, selection }: { rows: ActionRecord[]; selection: Selection }) {
  const pending = rows.filter((row) => row.status === 'pending').map((row) => row.id);
  if (pending.length === 0) return null;
  const all = pending.every((id) => selection.selected.includes(id));
  return (
    <label className="select-all">
      <input type="checkbox" checked={all} onChange={() => selection.setSelected(all ? [] : pending)} />
      Select all {pending.length} pending suggestion{pending.length === 1 ? '' : 's'} shown
    </label>
  );
}
