import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier, InvalidCredentialsError, KeySetUnavailableError } from './verify-token.ts';

const secret = 's'.repeat(40);
const tenantId = crypto.randomUUID();
const userId = crypto.randomUUID();
const hs256 = (expiresAt: number) =>
  new SignJWT({ role: 'admin', tenant_id: tenantId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));

describe('bearer token verification', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps refusing a token once it has expired, though it was accepted before', async () => {
    const verify = createTokenVerifier({ jwtSecret: secret });
    const now = Date.now();
    const token = await hs256(Math.floor(now / 1000) + 5);
    expect(await verify(token)).toEqual({ userId, tenantId, role: 'admin' });
    vi.useFakeTimers({ toFake: ['Date'], now: now + 10_000 });
    await expect(verify(token)).rejects.toThrow(InvalidCredentialsError);
  });

  it('refuses a token signed with another secret, and a token without a tenant', async () => {
    const verify = createTokenVerifier({ jwtSecret: secret });
    const other = await new SignJWT({ tenant_id: tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .sign(new TextEncoder().encode('o'.repeat(40)));
    await expect(verify(other)).rejects.toThrow('the bearer token is invalid or expired');
    const tenantless = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .sign(new TextEncoder().encode(secret));
    await expect(verify(tenantless)).rejects.toThrow('the token names no tenant (tenant_id)');
  });

  it('tells a key set it cannot read (an error page here) from a bad token', async () => {
    const failing = createServer((_request, response) => {
      response.statusCode = 500;
      response.end('upstream down');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const verify = createTokenVerifier({
        jwksUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/jwks.json`,
      });
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({ tenant_id: tenantId })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(userId)
        .sign(privateKey);
      await expect(verify(token)).rejects.toThrow(KeySetUnavailableError);
      await expect(verify('not-a-token')).rejects.toThrow(InvalidCredentialsError);
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  describe('with a JSON Web Key Set served over HTTP (a Supabase-style auth server)', () => {
    let jwksUrl = '';
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    let fetches = 0;
    const server = createServer((_request, response) => {
      fetches += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    let publicJwk: object;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('takes the tenant from app_metadata and leaves a role that is not ours unset', async () => {
      const verify = createTokenVerifier({ jwksUrl });
      const token = await new SignJWT({ role: 'authenticated', app_metadata: { tenant_id: tenantId } })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(userId)
        .setExpirationTime('5m')
        .sign(privateKey);
      expect(await verify(token)).toEqual({ userId, tenantId, role: undefined });
      expect(await verify(token)).toEqual({ userId, tenantId, role: undefined });
      expect(fetches).toBe(1);
      const foreign = await new SignJWT({ tenant_id: tenantId })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(userId)
        .sign((await generateKeyPair('RS256')).privateKey);
      await expect(verify(foreign)).rejects.toThrow(InvalidCredentialsError);
    });
  });
});
