// Who is calling: a bearer JWT, or an API key (as `Authorization: Bearer nsk_...` or in the
// `apikey` header, as Supabase clients send it). Missing or bad credentials: 401. The role check
// of each route (requireRole) answers 403.
import type { MiddlewareHandler } from 'hono';
import { looksLikeApiKey, verifyApiKey } from '../auth/api-keys.ts';
import { hasRole, type Role } from '../auth/roles.ts';
import { InvalidCredentialsError, type TokenIdentity } from '../auth/verify-token.ts';
import type { Database } from '../db/port.ts';
import { ProblemError } from './problem.ts';

export interface Principal {
  tenantId: string;
  role: Role;
  /** The person behind a token; null for an API key. */
  userId: string | null;
}

export type AuthEnv = { Variables: { principal: Principal } };

export interface AuthDeps {
  db: Database;
  verifyToken: (token: string) => Promise<TokenIdentity>;
}

const unauthorized = (detail: string) =>
  new ProblemError(401, detail, { headers: { 'www-authenticate': 'Bearer realm="nightshift"' } });

/** A token without one of our roles gets the person's role in the tenant, if they are a member. */
async function memberRole(db: Database, identity: TokenIdentity): Promise<Role | undefined> {
  const [row] = await db.session((s) =>
    s.query<{ role: Role }>('SELECT role FROM tenant_members WHERE tenant_id = $1 AND user_id = $2', [
      identity.tenantId,
      identity.userId,
    ]),
  );
  return row?.role;
}

async function principalOf(deps: AuthDeps, credential: string): Promise<Principal> {
  if (looksLikeApiKey(credential)) {
    const key = await verifyApiKey(deps.db, credential);
    return { tenantId: key.tenantId, role: key.role, userId: null };
  }
  const identity = await deps.verifyToken(credential);
  const role = identity.role ?? (await memberRole(deps.db, identity));
  if (!role) throw new ProblemError(403, 'the token’s user is not a member of its tenant');
  return { tenantId: identity.tenantId, role, userId: identity.userId };
}

export function authenticate(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const credential = bearer ?? c.req.header('apikey');
    if (!credential) throw unauthorized('missing credentials: send Authorization: Bearer <token>');
    try {
      c.set('principal', await principalOf(deps, credential));
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw unauthorized(error.message);
      throw error;
    }
    await next();
  };
}

export function requireRole(needed: Role): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const { role } = c.get('principal');
    if (!hasRole(role, needed)) throw new ProblemError(403, `this needs the ${needed} role; the caller is ${role}`);
    await next();
  };
}
