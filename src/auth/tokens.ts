// Bearer tokens: HS256 JWTs signed with the instance's secret. Claims follow Supabase-style auth
// servers (`sub`, `role`) plus the tenant, so tokens from either source read the same way.
import { decodeJwt, SignJWT } from 'jose';
import type { Role } from '../contract/role-vocabulary.ts';
import { TOKEN_HOURS } from './token-hours.ts';

export type { Role };

export const TOKEN_ISSUER = 'nightshift';

export { TOKEN_HOURS };

export interface TokenClaims {
  userId: string;
  tenantId: string;
  role: Role;
}

export async function mintToken(secret: string, claims: TokenClaims, expiresIn = `${TOKEN_HOURS}h`): Promise<string> {
  return new SignJWT({ role: claims.role, tenant_id: claims.tenantId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/** When a token minted by mintToken expires. */
export function expiryOf(token: string): Date {
  return new Date((decodeJwt(token).exp ?? 0) * 1000);
}
