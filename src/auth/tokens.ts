// Bearer tokens: HS256 JWTs signed with the instance's secret. Claims follow Supabase-style auth
// servers (`sub`, `role`) plus the tenant, so tokens from either source read the same way.
import { SignJWT } from 'jose';

export const TOKEN_ISSUER = 'nightshift';

import type { Role } from './roles.ts';

export type { Role };

export interface TokenClaims {
  userId: string;
  tenantId: string;
  role: Role;
}

export async function mintToken(secret: string, claims: TokenClaims, expiresIn = '30d'): Promise<string> {
  return new SignJWT({ role: claims.role, tenant_id: claims.tenantId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
