// The weeks that have a summary, newest first, in cursor pages ("Load more" appends the next).
import { useState } from 'react';
import type { Page } from '../../../src/contract/page.ts';
import type { WeeklySummaryHead } from '../../../src/contract/weekly-summary.ts';
import { query, request } from '../api/client.ts';
import type { Loaded } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty, ErrorNotice, Spinner } from '../components/status.tsx';
import { money, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { weekLabel } from './summaries-format.ts';

export const FIRST_PAGE = '/api/weekly-summaries';

export function SummariesList({
  loaded,
  selected,
}: {
  loaded: Loaded<Page<WeeklySummaryHead>>;
  selected: string | undefined;
}) {
  const [more, setMore] = useState<Page<WeeklySummaryHead>[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  async function loadMore(cursor: string) {
    setBusy(true);
    setError(undefined);
    try {
      const page = await request<Page<WeeklySummaryHead>>(`${FIRST_PAGE}${query({ cursor })}`);
      setMore((pages) => [...pages, page]);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <nav className="summaries-list" aria-label="Weeks">
      <Async loaded={loaded} what="the weekly summaries">
        {(first) => {
          const rows = [first, ...more].flatMap((page) => page.data);
          const cursor = (more.at(-1) ?? first).next_cursor;
          if (rows.length === 0)
            return (
              <Empty>
                <span>
                  No weekly summary yet. The CMO loop writes one every Monday for the week before (or run{' '}
                  <code>nightshift loop --mode summarize</code>).
                </span>
              </Empty>
            );
          return (
            <>
              <ul>
                {rows.map((row) => (
                  <WeekItem key={row.id} row={row} current={row.week_start === selected} />
                ))}
              </ul>
              {error && <ErrorNotice error={error} />}
              {cursor && (
                <button type="button" disabled={busy} onClick={() => void loadMore(cursor)}>
                  {busy && <Spinner label="Loading more weeks" />}
                  Load more
                </button>
              )}
            </>
          );
        }}
      </Async>
    </nav>
  );
}

function WeekItem({ row, current }: { row: WeeklySummaryHead; current: boolean }) {
  const { currency } = useSession();
  const roi = row.totals.roi.this_week;
  return (
    <li>
      <a
        href={href('summaries', row.week_start)}
        aria-current={current ? 'page' : undefined}
        data-testid="summary-week"
        data-id={row.id}
      >
        <span className="summaries-week">{weekLabel(row.week_start, row.week_end)}</span>
        <span className="small muted">
          {money(row.totals.spend.this_week, currency)} spent · ROI{' '}
          <span className={`tone-${roiTone(roi)}`}>{ratio(roi)}</span>
        </span>
      </a>
    </li>
  );
}
