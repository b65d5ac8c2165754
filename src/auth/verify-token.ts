// Verifies bearer JWTs: HS256 with the instance's secret, or any algorithm a JSON Web Key Set
// serves (tokens from an existing Supabase-style auth server). The tenant comes from the
// `tenant_id` claim (or `app_metadata.tenant_id`), the person from `sub`, the role from `role`
// when it is one of ours.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { ROLES, type Role } from '../contract/role-vocabulary.ts';
import { isUuid } from '../domain/ids.ts';

export interface TokenIdentity {
  userId: string;
  tenantId: string;
  /** Absent when the token's role is not one of ours (e.g. Supabase's 'authenticated'). */
  role?: Role;
}

export class InvalidCredentialsError extends Error {
  override name = 'InvalidCredentialsError';
}

/**
 * The key set could not be read (unreachable, timed out, not a key set): the token may well be
 * good. Kept apart from InvalidCredentialsError so an outage is not counted against the clients
 * whose tokens it could not check (credential-throttle.ts).
 */
export class KeySetUnavailableError extends Error {
  override name = 'KeySetUnavailableError';
}

/** What jose throws when the key set itself failed, rather than the token. */
const keySetFailed = (error: unknown) =>
  !(error instanceof errors.JOSEError) || error.code === 'ERR_JWKS_TIMEOUT' || error.code === 'ERR_JOSE_GENERIC';

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

/** How long a verified token is taken on trust before its signature is checked again. */
const TRUSTED_FOR_MS = 60_000;
/** Tokens remembered at most; the oldest is forgotten first. */
const REMEMBERED_TOKENS = 10_000;

/**
 * Verifies a token, or remembers that it did: a client sends the same token with every request,
 * and checking its signature each time was a fifth of a page read's time on the server. A token
 * is remembered until it expires, and at most a minute (so a key withdrawn from the JWKS stops
 * working within a minute); a failed check is never remembered.
 */
export function createTokenVerifier(settings: TokenSettings): (token: string) => Promise<TokenIdentity> {
  const verify = signatureVerifier(settings);
  const remembered = new Map<string, { identity: TokenIdentity; until: number }>();
  return async (token) => {
    const now = Date.now();
    const known = remembered.get(token);
    if (known && known.until > now) return known.identity;
    remembered.delete(token);
    const { identity, expiresAt } = await verify(token);
    if (remembered.size >= REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value as string);
    remembered.set(token, { identity, until: Math.min(expiresAt ?? Number.POSITIVE_INFINITY, now + TRUSTED_FOR_MS) });
    return identity;
  };
}

function signatureVerifier(settings: TokenSettings) {
  // Imported once: given raw bytes, jose imports the HMAC key again for every token.
  const secret = settings.jwtSecret
    ? crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(settings.jwtSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )
    : undefined;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  return async (token: string): Promise<{ identity: TokenIdentity; expiresAt?: number }> => {
    const attempts: (() => Promise<{ payload: JWTPayload }>)[] = [];
    if (secret) attempts.push(async () => jwtVerify(token, await secret, { algorithms: ['HS256'] }));
    if (jwks)
      attempts.push(() =>
        jwtVerify(token, jwks).catch((error) => {
          if (keySetFailed(error)) throw new KeySetUnavailableError(`the key set could not be read: ${error}`);
          throw error;
        }),
      );
    for (const attempt of attempts) {
      const verified = await attempt().catch((error) => {
        if (error instanceof KeySetUnavailableError) throw error;
        return undefined;
      });
      if (verified) {
        const { exp } = verified.payload;
        return { identity: identityOf(verified.payload), expiresAt: exp === undefined ? undefined : exp * 1000 };
      }
    }
    throw new InvalidCredentialsError('the bearer token is invalid or expired');
  };
}
