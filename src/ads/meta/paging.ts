// A list read by following `paging.next`, one call per page: to its end at once, or a page at a time
// as the pages arrive. Each page is one attempt: a failure on page 7 fails the list, and the caller
// retries it from the start.
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

/**
 * A list edge a page at a time, each row parsed by `parse`, as the pages arrive: a caller can store
 * one page's rows while the next is on its way (the stats sync does). Each page carries its own
 * usage. The page size is checked before the first call.
 */
export function listPages<T>(
  settings: MetaSettings,
  path: string,
  params: Record<string, string>,
  what: string,
  parse: (row: WireRecord) => T,
  options: ListOptions = {},
): AsyncGenerator<MetaAnswer<T[]>> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new MetaRejectedError(`a page size of ${pageSize} rows`);
  return pages(settings, { path, params: { ...params, limit: String(pageSize) } }, what, parse, options);
}

async function* pages<T>(
  settings: MetaSettings,
  first: { path: string; params: Record<string, string> },
  what: string,
  parse: (row: WireRecord) => T,
  options: ListOptions,
): AsyncGenerator<MetaAnswer<T[]>> {
  const seen = new Set<string>();
  let request: { path: string; params?: Record<string, string> } = first;
  for (let index = 0; ; index += 1) {
    const answer = await graphCall(settings, { method: 'GET', ...request, signal: options.signal });
    const page = dataOf(answer.value, what);
    const rows = page.map((row) => parse(row));
    await options.onPage?.({ index, rows: page.length, usage: answer.usage });
    yield { value: rows, usage: answer.usage };
    const next = nextOf(answer.value);
    if (!next || page.length === 0) return;
    if (seen.has(next)) throw new MetaRejectedError(`answered a paging link already followed while listing ${what}`);
    seen.add(next);
    request = { path: next };
  }
}

/** Every row of a list's pages (listPages) at once; the usage is the last page's (the most recent). */
export async function readAllPages<T>(pages: AsyncIterable<MetaAnswer<T[]>>): Promise<MetaAnswer<T[]>> {
  const rows: T[] = [];
  let usage: MetaUsage | undefined;
  for await (const page of pages) {
    for (const row of page.value) rows.push(row);
    usage = page.usage;
  }
  // A list answers one page at least (an empty last page included).
  return { value: rows, usage: usage! };
}
