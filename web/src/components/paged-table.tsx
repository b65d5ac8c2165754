// A cursor-paged list shown as a table: loading and error states until the first page is in, a
// notice when there are no rows, the rows under their column heads, and "Load more" below.
import type { ReactNode } from 'react';
import type { Loaded } from '../api/use-api.ts';
import { LoadMore, type MorePages } from './load-more.tsx';
import { Async, Empty } from './status.tsx';

/** What the table needs from a paged list (usePagedList provides it). */
export interface PagedRows<Row> extends MorePages {
  first: Loaded<unknown>;
  rows: Row[];
}

export function PagedTable<Row>({
  list,
  what,
  empty,
  head,
  className,
  order,
  children,
}: {
  list: PagedRows<Row>;
  /** Names the rows in the loading and error states. */
  what: string;
  empty: ReactNode;
  /** The header cells. */
  head: ReactNode;
  className?: string;
  /** Rows in another order than the API's. */
  order?: (a: Row, b: Row) => number;
  /** The table rows for one row of the list, with their keys. */
  children: (row: Row) => ReactNode;
}) {
  return (
    <Async loaded={list.first} what={what}>
      {() =>
        list.rows.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className={className}>
                <thead>
                  <tr>{head}</tr>
                </thead>
                <tbody>{(order ? [...list.rows].sort(order) : list.rows).map(children)}</tbody>
              </table>
            </div>
            <LoadMore list={list} />
          </>
        )
      }
    </Async>
  );
}
