// A signed-in person's tenants, for /api/me and switching tenant. These reads cross tenants on
// purpose (one person may belong to several), so they run on the unscoped system database; every
// statement is confined to the one user by an explicit `user_id` condition, never anyone else's rows.
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** Every tenant the user is a member of, with their role there, by tenant name. */
export function listMemberships(s: SqlSession, userId: string) {
  return rows(
    s,
    typed
      .selectFrom('tenant_members as m')
      .innerJoin('tenants as t', 't.id', 'm.tenant_id')
      .select(['m.tenant_id', 't.slug', 't.name', 'm.role'])
      .where('m.user_id', '=', userId)
      .orderBy('t.name')
      .orderBy('t.id'),
  );
}

/** The user's role in the tenant; undefined when they are not a member (or the tenant does not exist). */
export async function membershipRole(s: SqlSession, userId: string, tenantId: string): Promise<string | undefined> {
  const [row] = await rows(
    s,
    typed.selectFrom('tenant_members').select('role').where('user_id', '=', userId).where('tenant_id', '=', tenantId),
  );
  return row?.role;
}

/** The user's e-mail; undefined when the token names a person the database does not know. */
export async function userEmail(s: SqlSession, userId: string): Promise<string | undefined> {
  const [row] = await rows(s, typed.selectFrom('users').select('email').where('id', '=', userId));
  return row?.email;
}
