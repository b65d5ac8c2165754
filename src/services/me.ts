// The caller as /api/me shows them, and switching tenant. Memberships cross tenants on purpose,
// so they are read on the unscoped system database, always for the caller's own user id only.
import { hasRole, lowerRole } from '../auth/roles.ts';
import { expiryOf, mintToken, TOKEN_HOURS } from '../auth/tokens.ts';
import type { Role } from '../contract/role-vocabulary.ts';
import type { Database } from '../db/port.ts';
import { listMemberships, membershipRole, userEmail } from '../db/repositories/memberships.ts';
import { getTenant } from '../db/repositories/tenants.ts';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';

interface Caller {
  tenantId: string;
  role: Role;
  /** The person behind a token; null for an API key, which has no memberships. */
  userId: string | null;
}

/** The caller's tenant (read through `db`, the tenant's scope), role, person and memberships (through `system`). */
export async function describeCaller(db: Database, system: Database, caller: Caller) {
  const tenant = await db.session((s) => getTenant(s, caller.tenantId));
  if (!tenant) throw new NotFoundError(`no tenant ${caller.tenantId}`);
  const { userId } = caller;
  const person = userId
    ? await system.session(async (s) => ({
        email: (await userEmail(s, userId)) ?? null,
        memberships: await listMemberships(s, userId),
      }))
    : undefined;
  return {
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, currency: tenant.currency },
    role: caller.role,
    user: userId && person ? { id: userId, email: person.email } : null,
    memberships: person?.memberships ?? [],
  };
}

/**
 * A token for `tenantId`, signed with `secret`, if the person is an admin or owner there: with the
 * lower of the caller's role and theirs there, so a token never mints a role above its own.
 */
export async function switchTenantToken(
  system: Database,
  secret: string,
  caller: { userId: string; role: Role },
  tenantId: string,
) {
  // Read now, not through the authentication's short trust: this grants a new token.
  const found = (await system.session((s) => membershipRole(s, caller.userId, tenantId))) as Role | undefined;
  if (!found || !hasRole(found, 'admin')) throw new ForbiddenError(`the caller is not an admin of tenant ${tenantId}`);
  const role = lowerRole(caller.role, found);
  const token = await mintToken(secret, { userId: caller.userId, tenantId, role }, `${TOKEN_HOURS}h`);
  return { token, tenant_id: tenantId, role, expires_at: expiryOf(token).toISOString() };
}
