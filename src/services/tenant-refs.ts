// A tenant as a person names it on the command line: by its id or its slug.
import type { Database } from '../db/port.ts';
import { findTenantRef, listTenantRefs, type TenantRef } from '../db/repositories/tenant-refs.ts';
import { NotFoundError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';

/** The tenant a UUID names by id, or anything else by slug; a NotFoundError that repeats the name when none. */
export async function resolveTenant(db: Database, slugOrId: string): Promise<TenantRef> {
  const by = isUuid(slugOrId) ? { id: slugOrId } : { slug: slugOrId };
  const tenant = await db.session((s) => findTenantRef(s, by));
  if (!tenant) throw new NotFoundError(`no tenant with ${'id' in by ? 'id' : 'slug'} ${JSON.stringify(slugOrId)}`);
  return tenant;
}

/** Every tenant, oldest first (the order the cycle runs them in) or by slug (to show them). */
export function listTenants(db: Database, order: 'oldest' | 'slug' = 'oldest'): Promise<TenantRef[]> {
  return db.session((s) => listTenantRefs(s, order));
}
