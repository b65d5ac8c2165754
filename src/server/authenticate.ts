// Who is calling: a bearer JWT, or an API key (as `Authorization: Bearer nsk_...` or in the
// `apikey` header, as Supabase clients send it). Missing or bad credentials: 401; a client that
// sent too many bad ones: 429 (credential-throttle.ts). A token's user must be a member of its
// tenant, and acts with the lower of the token's role and their role there now: the token never
// outgrows the grant it was minted from. The role check of each route (requireRole) answers 403.
import type { MiddlewareHandler } from 'hono';
import { looksLikeApiKey, verifyApiKey } from '../auth/api-keys.ts';
import type { MemberRoles } from '../auth/member-roles.ts';
import { hasRole, lowerRole } from '../auth/roles.ts';
import { InvalidCredentialsError, KeySetUnavailableError, type TokenIdentity } from '../auth/verify-token.ts';
import type { Role } from '../contract/role-vocabulary.ts';
import type { Database } from '../db/port.ts';
import type { CredentialThrottle } from './credential-throttle.ts';
import { ProblemError } from './problem.ts';

export interface Principal {
  tenantId: string;
  role: Role;
  /** The person behind a token; null for an API key. */
  userId: string | null;
  /** The API key the caller signed in with: what it does by hand, and what it decides, names it. */
  apiKeyId?: string;
}

export type AuthEnv = { Variables: { principal: Principal } };

export interface AuthDeps {
  db: Database;
  verifyToken: (token: string) => Promise<TokenIdentity>;
  memberRoles: MemberRoles;
  throttle: CredentialThrottle;
}

const unauthorized = (detail: string) =>
  new ProblemError(401, detail, { headers: { 'www-authenticate': 'Bearer realm="nightshift"' } });

async function principalOf(deps: AuthDeps, credential: string): Promise<Principal> {
  if (looksLikeApiKey(credential)) {
    const key = await verifyApiKey(deps.db, credential);
    return { tenantId: key.tenantId, role: key.role, userId: null, apiKeyId: key.keyId };
  }
  const identity = await deps.verifyToken(credential);
  const memberRole = await deps.memberRoles(identity.tenantId, identity.userId);
  // Not 401: the token is genuine, its user has no access (never had, or lost it).
  if (!memberRole) throw new ProblemError(403, 'the token’s user is not a member of its tenant');
  // A token without one of our roles (e.g. Supabase's 'authenticated') acts with the member's role.
  const role = identity.role ? lowerRole(identity.role, memberRole) : memberRole;
  return { tenantId: identity.tenantId, role, userId: identity.userId };
}

export function authenticate(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const credential = bearer ?? c.req.header('apikey');
    if (!credential) throw unauthorized('missing credentials: send Authorization: Bearer <token>');
    deps.throttle.assertAllowed(c);
    try {
      c.set('principal', await principalOf(deps, credential));
    } catch (error) {
      // Not the client's failure: not counted against it.
      if (error instanceof KeySetUnavailableError) {
        throw new ProblemError(503, 'the tokens’ key set (NIGHTSHIFT_JWKS_URL) cannot be read now: try again shortly', {
          headers: { 'retry-after': '30' },
        });
      }
      if (!(error instanceof InvalidCredentialsError)) throw error;
      deps.throttle.failed(c);
      throw unauthorized(error.message);
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
