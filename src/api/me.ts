// /api/me: who the caller is (tenant, role, person) and the tenants the person belongs to; and
// /api/me/token: switching tenant, a fresh bearer token for another tenant where the person is an
// admin. Memberships cross tenants on purpose, so they are read on the unscoped database, always
// for the caller's own user id only. An API key belongs to its tenant: it has no memberships and
// cannot switch.
//
// A token only mints tokens of its own role or lower: the new one carries the lower of the
// caller's role now (its token's, capped by its membership) and the person's role in the target
// tenant. Switching stays an admin's tool, as it was: both must be admin or owner. So a viewer
// token of a tenant's owner mints nothing, not even for its own tenant.
import { z } from 'zod';
import { TOKEN_HOURS } from '../auth/tokens.ts';
import { meRecord, tenantToken } from '../contract/me.ts';
import type { Database } from '../db/port.ts';
import { ProblemError } from '../server/problem.ts';
import { describeCaller, switchTenantToken } from '../services/me.ts';
import type { ApiRouter } from './router.ts';
import { uuid } from './schemas.ts';

export interface MeDeps {
  /** The unscoped database: memberships span tenants. */
  db: Database;
  /** The HS256 secret tokens are minted with; absent when tokens come from a JWKS only. */
  jwtSecret?: string;
}

export function meRoutes(api: ApiRouter, deps: MeDeps): void {
  const tag = 'Me';

  api.tenant(
    {
      method: 'get',
      path: '/api/me',
      tag,
      summary: 'The caller: tenant, role, person, and the tenants the person belongs to',
      access: 'viewer',
      responses: { 200: { description: 'The caller', schema: meRecord } },
    },
    async ({ c, db, principal }) => c.json(await describeCaller(db, deps.db, principal)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/me/token',
      tag,
      summary: 'Switch tenant: a fresh token for another tenant where the caller is an admin',
      description: `For a bearer-token caller acting as admin or owner, who is an admin or owner of the tenant: a token for it, valid ${TOKEN_HOURS} h, with the lower of the caller's current role and their role there (a token never mints a role above its own: an admin token gets admin where the person is owner). A caller below admin is a 403; so is a tenant where the person is below admin, or not a member, with the same message whether or not the tenant exists; an API key cannot switch (403). An instance verifying tokens against a JWKS only mints none (501).`,
      access: 'admin',
      body: z.strictObject({ tenant_id: uuid }),
      responses: {
        200: { description: 'The token', schema: tenantToken },
        501: { description: 'This instance has no HS256 secret to sign tokens with (JWKS only)' },
      },
    },
    async ({ c, principal, body }) => {
      const { userId } = principal;
      if (!userId) throw new ProblemError(403, 'an API key belongs to its tenant and cannot switch tenant');
      const secret = deps.jwtSecret;
      if (!secret) {
        throw new ProblemError(
          501,
          'this instance verifies tokens against a JWKS and has no NIGHTSHIFT_JWT_SECRET to sign new ones: get a token for the other tenant from your identity provider',
        );
      }
      return c.json(await switchTenantToken(deps.db, secret, { userId, role: principal.role }, body.tenant_id));
    },
  );
}
