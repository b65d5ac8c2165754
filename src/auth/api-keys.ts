// API keys for machines. A key reads `nsk_<tenant id, 32 hex>_<secret>`: the tenant part routes
// the lookup (on Citus, to one shard), and only a SHA-256 of the whole key is stored. Keys carry
// 256 random bits, so a fast hash is enough (no password stretching).
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../contract/role-vocabulary.ts';
import type { Database } from '../db/port.ts';
import { InvalidCredentialsError } from './verify-token.ts';

const KEY = /^nsk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyIdentity {
  keyId: string;
  tenantId: string;
  role: Exclude<Role, 'owner'>;
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
const tenantIdOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('nsk_');
}

/** Creates a key; the plain key is returned once and never stored. */
export async function createApiKey(
  db: Database,
  tenantId: string,
  spec: { name: string; role: ApiKeyIdentity['role']; createdBy?: string; expiresAt?: Date },
): Promise<{ id: string; key: string }> {
  const key = `nsk_${tenantId.replaceAll('-', '')}_${randomBytes(32).toString('base64url')}`;
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO api_keys (tenant_id, name, key_prefix, key_hash, role, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, (SELECT id FROM users WHERE id = $6::uuid), $7) RETURNING id`,
      [tenantId, spec.name, key.slice(0, 12), hashOf(key), spec.role, spec.createdBy ?? null, spec.expiresAt ?? null],
    ),
  );
  return { id: row!.id, key };
}

export async function verifyApiKey(db: Database, key: string): Promise<ApiKeyIdentity> {
  const match = KEY.exec(key);
  if (!match) throw new InvalidCredentialsError('the API key is malformed');
  const tenantId = tenantIdOf(match[1]!);
  const [row] = await db.session((s) =>
    s.query<{ id: string; role: ApiKeyIdentity['role'] }>(
      `UPDATE api_keys SET last_used_at = now()
        WHERE tenant_id = $1 AND key_hash = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        RETURNING id, role`,
      [tenantId, hashOf(key)],
    ),
  );
  if (!row) throw new InvalidCredentialsError('the API key is unknown, revoked or expired');
  return { keyId: row.id, tenantId, role: row.role };
}
