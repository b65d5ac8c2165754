// Cursor-paged lists for the campaigns, social and agents pages: the first page through useApi
// (loading, error, reload), later pages appended by "Load more". A reload (or a new path, e.g. a
// changed filter) starts again from the first page.
import { useState } from 'react';
import type { Page } from '../../../src/contract/page.ts';
import { request } from '../api/client.ts';
import { type Loaded, useApi } from '../api/use-api.ts';

export interface PagedList<Row> {
  /** The first page's loading state, for Async. */
  first: Loaded<Page<Row>>;
  /** Every row loaded so far, first page first. */
  rows: Row[];
  hasMore: boolean;
  loadingMore: boolean;
  moreError: Error | undefined;
  loadMore: () => void;
  /** Puts a changed row (the API's answer to a mutation) in place of the one with its id. */
  replace: (row: Row) => void;
}

interface Appended<Row> {
  /** The first page these rows follow; stale once the first page is fetched again. */
  base: Page<Row>;
  rows: Row[];
  next: string | null;
}

export function withCursor(path: string, cursor: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}

export function usePagedList<Row extends { id: string }>(path: string | null): PagedList<Row> {
  const first = useApi<Page<Row>>(path);
  const [appended, setAppended] = useState<Appended<Row>>();
  const [replaced, setReplaced] = useState<{ base: Page<Row>; rows: Map<string, Row> }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();

  const base = first.data;
  const more = appended && appended.base === base ? appended : undefined;
  const next = more ? more.next : (base?.next_cursor ?? null);
  const changed = replaced && replaced.base === base ? replaced.rows : undefined;
  const rows = [...(base?.data ?? []), ...(more?.rows ?? [])].map((row) => changed?.get(row.id) ?? row);

  function loadMore() {
    if (!path || !base || !next || loadingMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    request<Page<Row>>(withCursor(path, next)).then(
      (page) => {
        setAppended({ base, rows: [...(more?.rows ?? []), ...page.data], next: page.next_cursor });
        setLoadingMore(false);
      },
      (error: Error) => {
        setMoreError(error);
        setLoadingMore(false);
      },
    );
  }

  function replace(row: Row) {
    if (!base) return;
    setReplaced((current) => ({
      base,
      rows: new Map(current?.base === base ? current.rows : undefined).set(row.id, row),
    }));
  }

  return { first, rows, hasMore: next !== null, loadingMore, moreError, loadMore, replace };
}
