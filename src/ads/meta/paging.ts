// A list read to its end by following `paging.next`, one call per page. Each page is one attempt:
// a failure on page 7 fails the list, and the caller retries it from the start.
import { MetaRejectedError } from './errors.ts';
import { type CallOptions, graphCall, type MetaAnswer, type MetaSettings } from './http.ts';
import type { MetaUsage } from './usage.ts';
import { dataOf, nextOf, type WireRecord } from './wire.ts';

/** Rows per page unless said: Graph's default of 25 costs a call per 25 rows. */
export const DEFAULT_PAGE_SIZE = 500;

export interface ListOptions extends CallOptions {
  /** Rows a page asks for (Graph's `limit`). */
  pageSize?: number;
  /**
   * Awaited after each page with its usage, before the next is asked for: where a caller slows
   * down (or aborts through `signal`) as the usage nears the limit.
   */
  onPage?: (page: { index: number; rows: number; usage: MetaUsage }) => void | Promise<void>;
}

/** Every row of a list edge, each parsed by `parse`; the usage is the last page's (the most recent). */
export async function readAllPages<T>(
  settings: MetaSettings,
  path: string,
  params: Record<string, string>,
  what: string,
  parse: (row: WireRecord) => T,
  options: ListOptions = {},
): Promise<MetaAnswer<T[]>> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new MetaRejectedError(`a page size of ${pageSize} rows`);
  const rows: T[] = [];
  const seen = new Set<string>();
  let request: { path: string; params?: Record<string, string> } = {
    path,
    params: { ...params, limit: String(pageSize) },
  };
  for (let index = 0; ; index += 1) {
    const answer = await graphCall(settings, { method: 'GET', ...request, signal: options.signal });
    const page = dataOf(answer.value, what);
    for (const row of page) rows.push(parse(row));
    await options.onPage?.({ index, rows: page.length, usage: answer.usage });
    const next = nextOf(answer.value);
    if (!next || page.length === 0) return { value: rows, usage: answer.usage };
    if (seen.has(next)) throw new MetaRejectedError(`answered a paging link already followed while listing ${what}`);
    seen.add(next);
    request = { path: next };
  }
}
