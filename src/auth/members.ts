// Looks up a user's membership in a tenant, for minting tokens on the command line.
import type { Database } from '../db/port.ts';

export interface Membership {
  userId: string;
  tenantId: string;
  slug: string;
}

/** The member with this e-mail in the tenant with this slug, or in their oldest tenant. */
export async function findMembership(db: Database, email: string, slug?: string): Promise<Membership | undefined> {
  let query = db.kysely
    .selectFrom('tenant_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .select(['u.id as userId', 't.id as tenantId', 't.slug'])
    .where('u.email', '=', email);
  if (slug !== undefined) query = query.where('t.slug', '=', slug);
  return query.orderBy('t.created_at').limit(1).executeTakeFirst();
}
