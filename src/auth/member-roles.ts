// A person's role in a tenant, read from tenant_members for every bearer token: a token's own
// role claim is only a ceiling, so removing a member or lowering their role takes effect for
// every token already issued. The answer (a role, or "not a member") is remembered for a few
// seconds: a client sends a request after another, and this saves a round trip on each.
import type { Role } from '../contract/role-vocabulary.ts';
import type { Database } from '../db/port.ts';
import { membershipRole } from '../db/repositories/memberships.ts';

/** How long a membership read is taken on trust: a removal or demotion made in SQL shows within this. */
export const MEMBERSHIP_TRUSTED_MS = 5_000;
/** Memberships remembered at most; the oldest is forgotten first. */
const REMEMBERED_MEMBERSHIPS = 10_000;

export type MemberRoles = (tenantId: string, userId: string) => Promise<Role | undefined>;

export function createMemberRoles(db: Database, now: () => number = Date.now): MemberRoles {
  const remembered = new Map<string, { role: Role | undefined; until: number }>();
  return async (tenantId, userId) => {
    const key = `${tenantId}/${userId}`;
    const known = remembered.get(key);
    if (known && known.until > now()) return known.role;
    remembered.delete(key);
    const role = (await db.session((s) => membershipRole(s, userId, tenantId))) as Role | undefined;
    if (remembered.size >= REMEMBERED_MEMBERSHIPS) remembered.delete(remembered.keys().next().value as string);
    remembered.set(key, { role, until: now() + MEMBERSHIP_TRUSTED_MS });
    return role;
  };
}
