// A signed-in person's tenants, for /api/me and switching tenant. These reads cross tenants on
// purpose (one person may belong to several), so they run on the unscoped system database; every
// statement is confined to the one user by an explicit `user_id = $1`, never anyone else's rows.
import type { SqlSession } from '../port.ts';

export interface MembershipRow {
  tenant_id: string;
  slug: string;
  name: string;
  role: string;
}

/** Every tenant the user is a member of, with their role there, by tenant name. */
export function listMemberships(s: SqlSession, userId: string): Promise<MembershipRow[]> {
  return s.query<MembershipRow>(
    `SELECT m.tenant_id, t.slug, t.name, m.role
       FROM tenant_members m
       JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = $1
      ORDER BY t.name, t.id`,
    [userId],
  );
}

/** The user's role in the tenant; undefined when they are not a member (or the tenant does not exist). */
export async function membershipRole(s: SqlSession, userId: string, tenantId: string): Promise<string | undefined> {
  const [row] = await s.query<{ role: string }>(
    'SELECT role FROM tenant_members WHERE user_id = $1 AND tenant_id = $2',
    [userId, tenantId],
  );
  return row?.role;
}

/** The user's e-mail; undefined when the token names a person the database does not know. */
export async function userEmail(s: SqlSession, userId: string): Promise<string | undefined> {
  const [row] = await s.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]);
  return row?.email;
}
