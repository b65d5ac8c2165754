// /api/me and /api/me/token over real HTTP: who the caller is and the tenants the person belongs
// to (never anyone else's); a token for a person who is no member of its tenant is refused; an
// admin of two tenants switches to the second with a fresh 12 h token that the API then serves
// that tenant to, never with a role above the caller's own; a member-only or foreign tenant is a
// 403 with the same message whether or not it exists, and no token; API keys have no memberships
// and cannot switch; an instance with a JWKS only mints nothing (501); bad bodies name the field.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.ts';
import { mintToken } from '../src/auth/tokens.ts';
import type { Role } from '../src/contract/role-vocabulary.ts';
import type { Database } from '../src/db/port.ts';
import { createLogger } from '../src/log.ts';
import { createApp } from '../src/server/app.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import {
  apiClient,
  expectFieldError,
  TEST_INTERNAL_SECRET,
  TEST_JWT_SECRET,
  testAdPlatforms,
  testDeliveryDeps,
  tokenFor,
  useTestApi,
} from './support/test-api.ts';

async function createUser(db: Database): Promise<{ id: string; email: string }> {
  const email = `${crypto.randomUUID()}@example.com`;
  const [row] = await db.session((s) =>
    s.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [email]),
  );
  return { id: row!.id, email };
}

async function addMember(db: Database, t: TestTenant, userId: string, role: Role): Promise<void> {
  await db.session((s) =>
    s.query('INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)', [t.tenantId, userId, role]),
  );
}

async function tenantRow(db: Database, t: TestTenant) {
  const [row] = await db.session((s) =>
    s.query<{ slug: string; name: string }>('SELECT slug, name FROM tenants WHERE id = $1', [t.tenantId]),
  );
  return { tenant_id: t.tenantId, slug: row!.slug, name: row!.name };
}

describe('/api/me', () => {
  const { db: testDb, api } = useTestApi();

  /** A person who is admin of `home` and `second`, member of `third`, plus a tenant they are not in. */
  async function personWorld() {
    const db = testDb();
    const [home, second, third, foreign] = [
      await createTenant(db),
      await createTenant(db),
      await createTenant(db),
      await createTenant(db),
    ];
    const user = await createUser(db);
    await addMember(db, home, user.id, 'admin');
    await addMember(db, second, user.id, 'admin');
    await addMember(db, third, user.id, 'member');
    // Somebody else in the same tenants: never part of this person's answer.
    const stranger = await createUser(db);
    await addMember(db, home, stranger.id, 'viewer');
    await addMember(db, foreign, stranger.id, 'owner');
    const client = apiClient(api(), await tokenFor(testDb(), home.tenantId, 'admin', user.id));
    return { home, second, third, foreign, user, stranger, client };
  }

  it('shows the tenant, role, person and every tenant the person belongs to', async () => {
    const { home, second, third, foreign, user, stranger, client } = await personWorld();
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    const own = await tenantRow(testDb(), home);
    expect(me.body).toEqual({
      tenant: { id: home.tenantId, slug: own.slug, name: own.name, currency: 'USD' },
      role: 'admin',
      user: { id: user.id, email: user.email },
      memberships: expect.any(Array),
    });
    const expected = [
      { ...own, role: 'admin' },
      { ...(await tenantRow(testDb(), second)), role: 'admin' },
      { ...(await tenantRow(testDb(), third)), role: 'member' },
    ].sort((a, b) => a.name.localeCompare(b.name) || a.tenant_id.localeCompare(b.tenant_id));
    expect(me.body.memberships).toEqual(expected);
    const text = JSON.stringify(me.body);
    expect(text).not.toContain(foreign.tenantId);
    expect(text).not.toContain(stranger.id);
    expect(text).not.toContain(stranger.email);
  });

  it('refuses a token for a person the instance does not know, or who is no member of its tenant', async () => {
    const { foreign, user } = await personWorld();
    const t = await createTenant(testDb());
    for (const [tenantId, userId] of [
      [t.tenantId, crypto.randomUUID()],
      [foreign.tenantId, user.id],
    ] as const) {
      const token = await mintToken(TEST_JWT_SECRET, { tenantId, userId, role: 'owner' });
      const me = await apiClient(api(), token).get('/api/me');
      expect(me.status).toBe(403);
      expect(me.headers.get('content-type')).toBe('application/problem+json');
      expect(me.body.detail).toBe('the token’s user is not a member of its tenant');
    }
  });

  it('shows an API key its own tenant only: no person, no memberships; it cannot switch', async () => {
    const { home, second } = await personWorld();
    const { key } = await createApiKey(testDb(), home.tenantId, { name: 'ci', role: 'admin' });
    const machine = apiClient(api(), key);
    const me = await machine.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      tenant: { id: home.tenantId, slug: expect.any(String), name: expect.any(String), currency: 'USD' },
      role: 'admin',
      user: null,
      memberships: [],
    });
    const viaHeader = await apiClient(api(), null).get('/api/me', { apikey: key });
    expect(viaHeader.body).toEqual(me.body);
    const refused = await machine.post('/api/me/token', { tenant_id: second.tenantId });
    expect(refused.status).toBe(403);
    expect(refused.body).not.toHaveProperty('token');
  });

  it('switches an admin of two tenants to the second with a fresh 12 h token', async () => {
    const { home, second, user, client } = await personWorld();
    const before = Date.now();
    const switched = await client.post('/api/me/token', { tenant_id: second.tenantId });
    expect(switched.status).toBe(200);
    expect(switched.body).toEqual({
      token: expect.any(String),
      tenant_id: second.tenantId,
      role: 'admin',
      expires_at: expect.any(String),
    });
    const expiresIn = Date.parse(switched.body.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(12 * 3_600_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(12 * 3_600_000 + 60_000);

    const there = apiClient(api(), switched.body.token);
    const me = await there.get('/api/me');
    expect(me.body).toMatchObject({ tenant: { id: second.tenantId }, role: 'admin', user: { id: user.id } });
    expect((await there.get('/api/tenants')).body.data.map((t: { id: string }) => t.id)).toEqual([second.tenantId]);
    expect((await there.get('/api/overview')).status).toBe(200);
    expect((await there.get(`/api/tenants/${home.tenantId}`)).status).toBe(404);
    // And back again, with the switched token.
    const back = await there.post('/api/me/token', { tenant_id: home.tenantId });
    expect(back.status).toBe(200);
    expect((await apiClient(api(), back.body.token).get('/api/me')).body.tenant.id).toBe(home.tenantId);
  });

  it('gives an owner a token with the owner role, and an admin token no more than admin', async () => {
    const { client, user } = await personWorld();
    const owned = await createTenant(testDb());
    await addMember(testDb(), owned, user.id, 'owner');
    // An owner of two tenants, acting as owner, switches as owner.
    const ownerHome = await createTenant(testDb());
    await addMember(testDb(), ownerHome, user.id, 'owner');
    const asOwner = apiClient(api(), await tokenFor(testDb(), ownerHome.tenantId, 'owner', user.id));
    const switched = await asOwner.post('/api/me/token', { tenant_id: owned.tenantId });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ tenant_id: owned.tenantId, role: 'owner' });
    // The same person with an admin token: a token never mints a role above its own.
    const capped = await client.post('/api/me/token', { tenant_id: owned.tenantId });
    expect(capped.status).toBe(200);
    expect(capped.body).toMatchObject({ tenant_id: owned.tenantId, role: 'admin' });
    expect((await apiClient(api(), capped.body.token).get('/api/me')).body.role).toBe('admin');
  });

  it('refuses a tenant where the person is only a member, or not one at all, alike: 403 and no token', async () => {
    const { third, foreign, client } = await personWorld();
    const unknown = crypto.randomUUID();
    const details: string[] = [];
    for (const tenantId of [third.tenantId, foreign.tenantId, unknown]) {
      const refused = await client.post('/api/me/token', { tenant_id: tenantId });
      expect(refused.status, tenantId).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body).not.toHaveProperty('token');
      details.push(refused.body.detail.replaceAll(tenantId, '<tenant>'));
    }
    expect(new Set(details).size).toBe(1);
    // A viewer of a tenant is no admin there either, whatever its token claims at home.
    const viewerOnly = await createTenant(testDb());
    const person = await createUser(testDb());
    await addMember(testDb(), viewerOnly, person.id, 'viewer');
    const homeToken = await tokenFor(testDb(), third.tenantId, 'admin', person.id);
    const refused = await apiClient(api(), homeToken).post('/api/me/token', { tenant_id: viewerOnly.tenantId });
    expect(refused.status).toBe(403);
  });

  it('validates the body and needs credentials', async () => {
    const { second, client } = await personWorld();
    expectFieldError(await client.post('/api/me/token', { tenant_id: 'not-a-uuid' }), 'tenant_id');
    expectFieldError(await client.post('/api/me/token', {}), 'tenant_id');
    expectFieldError(await client.post('/api/me/token', { tenant_id: 42 }), 'tenant_id');
    expectFieldError(
      await client.post('/api/me/token', { tenant_id: second.tenantId, role: 'owner' }),
      'role',
      'unknown field',
    );
    expect((await client.post('/api/me/token', '{"tenant_id":')).status).toBe(400);
    const anonymous = apiClient(api(), null);
    expect((await anonymous.get('/api/me')).status).toBe(401);
    expect((await anonymous.post('/api/me/token', { tenant_id: second.tenantId })).status).toBe(401);
  });

  describe('on an instance that verifies tokens against a JWKS only', () => {
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    let publicJwk: object;
    const jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    let jwksUrl = '';
    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => jwks.close(resolve)));

    it('answers 501 with a clear message, and still answers /api/me', async () => {
      const db = testDb();
      const [home, second] = [await createTenant(db), await createTenant(db)];
      const user = await createUser(db);
      await addMember(db, home, user.id, 'admin');
      await addMember(db, second, user.id, 'admin');
      const app = createApp({
        db,
        log: createLogger('silent'),
        isAccepting: () => true,
        adPlatforms: testAdPlatforms(),
        delivery: testDeliveryDeps(),
        auth: { jwksUrl, internalSecret: TEST_INTERNAL_SECRET },
      });
      const token = await new SignJWT({ role: 'admin', tenant_id: home.tenantId })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(user.id)
        .setExpirationTime('5m')
        .sign(privateKey);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const me = await app.request('/api/me', { headers });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { memberships: unknown[] }).memberships).toHaveLength(2);
      const refused = await app.request('/api/me/token', {
        method: 'POST',
        headers,
        body: JSON.stringify({ tenant_id: second.tenantId }),
      });
      expect(refused.status).toBe(501);
      expect(((await refused.json()) as { detail: string }).detail).toMatch(/JWKS.*NIGHTSHIFT_JWT_SECRET/);
    });
  });
});
