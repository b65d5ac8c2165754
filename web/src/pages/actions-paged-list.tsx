// A cursor-paged list that grows with "Load more", for the ledger and the opportunities. Rows a
// person changed here stay on screen with the server's answer, even when a refresh or the filter
// would drop them: the row they just acted on should not vanish under their cursor.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../../src/contract/page.ts';
import { request } from '../api/client.ts';

const MAX_PAGE = 200;
/** Pages fetched in a row while none of their rows passes `keep` (a filter the API lacks). */
const MAX_SKIPPED_PAGES = 5;

interface Row {
  id: string;
}

export interface PagedList<T extends Row> {
  /** The loaded rows that pass `keep`, and every row changed here. */
  rows: T[];
  /** The last fetch of the first page (or a refresh) failed. */
  error: Error | undefined;
  /** The first page (or a refresh) is on its way. */
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: Error | undefined;
  loadMore: () => void;
  /** The server's answer after a change to `row`: shown in its place, and kept across refreshes. */
  put: (row: T) => void;
  /** Fetches the rows on screen again (as many as are loaded), keeping the rows changed here. */
  refresh: () => void;
  /** Starts over from the first page. */
  retry: () => void;
}

interface State<T> {
  rows: T[];
  next: string | null;
  loading: boolean;
  error?: Error;
  loadingMore: boolean;
  moreError?: Error;
}

function withParams(path: string, limit: number, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return `${path}${path.includes('?') ? '&' : '?'}${params}`;
}

/** One page, or more while a page has nothing that passes `keep`. */
async function fetchPages<T>(path: string, limit: number, cursor: string | null, keep: (row: T) => boolean) {
  const rows: T[] = [];
  let next = cursor;
  for (let page = 0; page < MAX_SKIPPED_PAGES; page++) {
    const answer = await request<Page<T>>(withParams(path, limit, next));
    rows.push(...answer.data);
    next = answer.next_cursor;
    if (!next || answer.data.some(keep)) break;
  }
  return { rows, next };
}

/** Fresh rows, with the rows changed here put back where they belong when the answer left them out. */
function merge<T extends Row>(fresh: T[], changed: Map<string, T>, newer: (a: T, b: T) => number): T[] {
  const missing = [...changed.values()].filter((row) => !fresh.some((f) => f.id === row.id));
  for (const row of fresh) if (changed.has(row.id)) changed.set(row.id, row);
  return missing.length === 0 ? fresh : [...fresh, ...missing].sort(newer);
}

export function usePagedList<T extends Row>(
  path: string,
  {
    pageSize = 50,
    keep = () => true,
    newer,
  }: { pageSize?: number; keep?: (row: T) => boolean; newer: (a: T, b: T) => number },
): PagedList<T> {
  const [state, setState] = useState<State<T>>({ rows: [], next: null, loading: true, loadingMore: false });
  const changed = useRef(new Map<string, T>());
  // Each first-page fetch takes a ticket; answers to an older ticket are dropped.
  const ticket = useRef(0);
  const loaded = useRef(0);
  loaded.current = state.rows.length;
  // The callers pass fresh closures each render; the latest ones are used.
  const keepRef = useRef(keep);
  keepRef.current = keep;
  const newerRef = useRef(newer);
  newerRef.current = newer;

  const load = useCallback(
    (fresh: boolean) => {
      const mine = ++ticket.current;
      if (fresh) changed.current = new Map();
      const limit = fresh ? pageSize : Math.min(MAX_PAGE, Math.max(pageSize, loaded.current));
      setState((s) =>
        fresh ? { rows: [], next: null, loading: true, loadingMore: false } : { ...s, loading: true, error: undefined },
      );
      fetchPages(path, limit, null, keepRef.current).then(
        ({ rows, next }) => {
          if (mine !== ticket.current) return;
          setState({ rows: merge(rows, changed.current, newerRef.current), next, loading: false, loadingMore: false });
        },
        (error: Error) => {
          if (mine !== ticket.current) return;
          setState((s) => ({ ...s, loading: false, error }));
        },
      );
    },
    [path, pageSize],
  );

  useEffect(() => {
    load(true);
    return () => {
      ticket.current++;
    };
  }, [load]);

  const loadMore = useCallback(() => {
    const mine = ticket.current;
    setState((s) => ({ ...s, loadingMore: true, moreError: undefined }));
    fetchPages(path, pageSize, state.next, keepRef.current).then(
      ({ rows, next }) => {
        if (mine !== ticket.current) return;
        setState((s) => {
          const known = new Set(s.rows.map((r) => r.id));
          return { ...s, rows: [...s.rows, ...rows.filter((r) => !known.has(r.id))], next, loadingMore: false };
        });
      },
      (moreError: Error) => {
        if (mine !== ticket.current) return;
        setState((s) => ({ ...s, loadingMore: false, moreError }));
      },
    );
  }, [path, pageSize, state.next]);

  const put = useCallback((row: T) => {
    changed.current.set(row.id, row);
    setState((s) => ({ ...s, rows: s.rows.map((r) => (r.id === row.id ? row : r)) }));
  }, []);

  const refresh = useCallback(() => load(false), [load]);
  const retry = useCallback(() => load(true), [load]);

  return {
    rows: state.rows.filter((row) => keep(row) || changed.current.has(row.id)),
    error: state.error,
    loading: state.loading,
    hasMore: state.next !== null,
    loadingMore: state.loadingMore,
    moreError: state.moreError,
    loadMore,
    put,
    refresh,
    retry,
  };
}
