// Verifies bearer JWTs: HS256 with the instance's secret, or any algorithm a JSON Web Key Set
// serves (tokens from an existing Supabase-style auth server). The tenant comes from the
// `tenant_id` claim (or `app_metadata.tenant_id`), the person from `sub`, the role from `role`
// when it is one of ours.
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { isUuid } from '../domain/ids.ts';
import { ROLES, type Role } from './roles.ts';

export interface TokenIdentity {
  userId: string;
  tenantId: string;
  /** Absent when the token's role is not one of ours (e.g. Supabase's 'authenticated'). */
  role?: Role;
}

export class InvalidCredentialsError extends Error {
  override name = 'InvalidCredentialsError';
}

export interface TokenSettings {
  jwtSecret?: string;
  jwksUrl?: string;
}

function identityOf(payload: JWTPayload): TokenIdentity {
  const metadata = (payload.app_metadata ?? {}) as Record<string, unknown>;
  const tenantId = payload.tenant_id ?? metadata.tenant_id;
  if (!isUuid(payload.sub)) {
    throw new InvalidCredentialsError('the token has no user (sub)');
  }
  if (!isUuid(tenantId)) {
    throw new InvalidCredentialsError('the token names no tenant (tenant_id)');
  }
  const role = payload.role ?? metadata.role;
  return {
    userId: payload.sub,
    tenantId,
    role: ROLES.includes(role as Role) ? (role as Role) : undefined,
  };
}

export function createTokenVerifier(settings: TokenSettings): (token: string) => Promise<TokenIdentity> {
  const secret = settings.jwtSecret ? new TextEncoder().encode(settings.jwtSecret) : undefined;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  return async (token) => {
    const attempts: (() => Promise<{ payload: JWTPayload }>)[] = [];
    if (secret) attempts.push(() => jwtVerify(token, secret, { algorithms: ['HS256'] }));
    if (jwks) attempts.push(() => jwtVerify(token, jwks));
    for (const attempt of attempts) {
      const verified = await attempt().catch(() => undefined);
      if (verified) return identityOf(verified.payload);
    }
    throw new InvalidCredentialsError('the bearer token is invalid or expired');
  };
}
