// A list the API pages by offset ({ data, next_offset }: the suppression list): the first page
// through useApi (loading, error, reload), later pages appended by "Load more". A new path (a
// changed search) or a reload starts again from the first page.
import { useState } from 'react';
import { query, request } from './client.ts';
import { useApi } from './use-api.ts';

interface OffsetPage<Row> {
  data: Row[];
  next_offset: number | null;
}

type Params = Record<string, string | number | undefined>;

export function useOffsetList<Row>(path: string, params: Params, pageSize: number) {
  const at = (offset: number) => `${path}${query({ ...params, limit: pageSize, offset })}`;
  const first = useApi<OffsetPage<Row>>(at(0));
  const [later, setLater] = useState<{ after: OffsetPage<Row>; pages: OffsetPage<Row>[] }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();

  const base = first.data;
  // Pages loaded after another first page (before a reload or a new search) are dropped.
  const pages = base && later?.after === base ? later.pages : [];
  const next = (pages.at(-1) ?? base)?.next_offset ?? null;

  function loadMore() {
    if (!base || next === null || loadingMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    request<OffsetPage<Row>>(at(next))
      .then((page) => setLater({ after: base, pages: [...pages, page] }), setMoreError)
      .finally(() => setLoadingMore(false));
  }

  const rows = [base, ...pages].flatMap((page) => page?.data ?? []);
  return { first, rows, hasMore: next !== null, loadingMore, moreError, loadMore };
}
