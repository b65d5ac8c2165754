// Looks up a user's membership in a tenant, for minting tokens on the command line.
import type { Role } from '../contract/role-vocabulary.ts';
import type { Database } from '../db/port.ts';
import { rows, typed } from '../db/typed.ts';

export interface Membership {
  userId: string;
  tenantId: string;
  slug: string;
  /** Their role there: the highest a token minted for them may carry. */
  role: Role;
}

/** The member with this e-mail in the tenant with this slug, or in their oldest tenant. */
export async function findMembership(db: Database, email: string, slug?: string): Promise<Membership | undefined> {
  let query = typed
    .selectFrom('tenant_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .select(['u.id as userId', 't.id as tenantId', 't.slug', 'm.role'])
    .where('u.email', '=', email);
  if (slug !== undefined) query = query.where('t.slug', '=', slug);
  const [member] = await db.session((s) => rows(s, query.orderBy('t.created_at').limit(1)));
  return member as Membership | undefined;
}
