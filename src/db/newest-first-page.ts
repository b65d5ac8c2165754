// One page of a list, newest first, by keyset: the rows strictly before the cursor's (time, id), in
// that order, and one more than the page so the caller can tell whether another follows
// (src/api/pagination.ts). Every list of the API pages this way; the row comparison is what lets
// the planner walk the (tenant_id, time, id) indexes from the cursor on.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Keyset } from '../domain/keyset.ts';

export function newestFirstPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  keys: { at: string; id: string },
  page: { limit: number; cursor?: Keyset | undefined },
): SelectQueryBuilder<DB, TB, O> {
  const at = sql.ref(keys.at);
  const id = sql.ref(keys.id);
  const { cursor } = page;
  const after = cursor
    ? query.where(sql<boolean>`(${at}, ${id}) < (${cursor.after}::timestamptz, ${cursor.id}::uuid)`)
    : query;
  return after
    .orderBy(at, 'desc')
    .orderBy(id, 'desc')
    .limit(page.limit + 1);
}
