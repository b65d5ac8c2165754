// The tenants as the command line and the scheduled jobs name them: id, slug and name. Plain SQL,
// not the typed builder: the commands that only name tenants (cycle, loop, backtest…) load no
// query builder for it (about 0.1 s of their start). The tenant rows themselves are written by
// ./tenants.ts.
import type { SqlSession } from '../port.ts';

/** A tenant as the command line names it: by id or by slug. */
export interface TenantRef {
  id: string;
  slug: string;
  /** What people call it: the command line's headings. */
  name: string;
}

export async function findTenantRef(s: SqlSession, by: { id: string } | { slug: string }) {
  const [row] = await s.query<TenantRef>(
    `SELECT id, slug, name FROM tenants WHERE ${'id' in by ? 'id = $1' : 'slug = $1'}`,
    ['id' in by ? by.id : by.slug],
  );
  return row;
}

/** Every tenant, oldest first or by slug. */
export function listTenantRefs(s: SqlSession, order: 'oldest' | 'slug'): Promise<TenantRef[]> {
  return s.query<TenantRef>(
    `SELECT id, slug, name FROM tenants ORDER BY ${order === 'slug' ? 'slug' : 'created_at, id'}`,
  );
}
