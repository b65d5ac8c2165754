// A token never outgrows the grant it was minted from (issue 21): it mints tokens of its own role
// or lower only (a viewer token of a tenant's owner got an owner token, which could change the
// tenant); every request checks the person's membership and role in the database, so a member
// removed or demoted loses the rights for every token already issued (within the few seconds a
// membership read is trusted: the test moves the server's clock past them); and a token for a
// person who is no member, whatever role it claims, is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_TRUSTED_MS } from '../src/auth/member-roles.ts';
import { mintToken } from '../src/auth/tokens.ts';
import type { Role } from '../src/contract/role-vocabulary.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { apiClient, startTestApi, TEST_JWT_SECRET, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';
import { VALID_BODIES } from './support/valid-bodies.ts';

const rule = (name: string) => ({ ...(VALID_BODIES['PUT /api/rules/{id}'] as object), rule_name: name });

describe('tokens never outgrow their grant', () => {
  const testDb = useTestDb();
  let now = Date.now();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(testDb(), { now: () => now });
  });
  afterAll(() => api?.close());

  /** Past the time a membership read is taken on trust. */
  const laterThanTrust = () => {
    now += MEMBERSHIP_TRUSTED_MS + 1;
  };
  const clientOf = (t: TestTenant, userId: string, role: Role, expiresIn?: string) =>
    mintToken(TEST_JWT_SECRET, { tenantId: t.tenantId, userId, role }, expiresIn).then((token) =>
      apiClient(api, token),
    );
  const setMembership = (t: TestTenant, userId: string, role: Role | null) =>
    testDb().session((s) =>
      role
        ? s.query('UPDATE tenant_members SET role = $3 WHERE tenant_id = $1 AND user_id = $2', [
            t.tenantId,
            userId,
            role,
          ])
        : s.query('DELETE FROM tenant_members WHERE tenant_id = $1 AND user_id = $2', [t.tenantId, userId]),
    );
  const tenantName = async (t: TestTenant) =>
    (
      await testDb().session((s) => s.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [t.tenantId]))
    )[0]?.name;
  const ruleNames = async (t: TestTenant) =>
    (
      await testDb().session((s) =>
        s.query<{ rule_name: string }>('SELECT rule_name FROM autonomous_rules WHERE tenant_id = $1', [t.tenantId]),
      )
    ).map((row) => row.rule_name);

  it('mints no token above the caller’s own role: a viewer token of the owner gets none, an admin token admin', async () => {
    const t = await createTenant(testDb());
    const owner = crypto.randomUUID();
    await tokenFor(testDb(), t.tenantId, 'owner', owner);
    const name = await tenantName(t);
    for (const role of ['viewer', 'member'] as const) {
      const client = await clientOf(t, owner, role);
      const minted = await client.post('/api/me/token', { tenant_id: t.tenantId });
      expect(minted.status, role).toBe(403);
      expect(minted.headers.get('content-type')).toBe('application/problem+json');
      expect(minted.body, role).not.toHaveProperty('token');
      expect((await client.patch(`/api/tenants/${t.tenantId}`, { name: 'Taken over' })).status, role).toBe(403);
    }
    const admin = await clientOf(t, owner, 'admin');
    const minted = await admin.post('/api/me/token', { tenant_id: t.tenantId });
    expect(minted.status).toBe(200);
    expect(minted.body.role).toBe('admin');
    expect((await apiClient(api, minted.body.token).get('/api/me')).body.role).toBe('admin');
    expect(await tenantName(t)).toBe(name);
  });

  it('acts with the role the member has now: a demoted admin’s token is a viewer’s', async () => {
    const t = await createTenant(testDb());
    const person = crypto.randomUUID();
    const admin = apiClient(api, await tokenFor(testDb(), t.tenantId, 'admin', person));
    expect((await admin.post('/api/rules', rule('Before demotion'))).status).toBe(201);

    await setMembership(t, person, 'viewer');
    laterThanTrust();
    const refused = await admin.post('/api/rules', rule('After demotion'));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('this needs the admin role; the caller is viewer');
    expect((await admin.post('/api/me/token', { tenant_id: t.tenantId })).status).toBe(403);
    expect((await admin.get('/api/me')).body.role).toBe('viewer');
    expect((await admin.get('/api/rules')).status).toBe(200);
    expect(await ruleNames(t)).not.toContain('After demotion');
  });

  it('refuses every token of a member removed from the tenant, long-lived ones included', async () => {
    const t = await createTenant(testDb());
    const person = crypto.randomUUID();
    await tokenFor(testDb(), t.tenantId, 'admin', person);
    // Two 30-day tokens, as the CLI used to mint by default: one in use, one kept for later.
    const inUse = await clientOf(t, person, 'admin', '30d');
    const kept = await clientOf(t, person, 'admin', '30d');
    expect((await inUse.post('/api/rules', rule('While a member'))).status).toBe(201);

    await setMembership(t, person, null);
    laterThanTrust();
    for (const attempt of [
      await inUse.post('/api/rules', rule('After removal')),
      await inUse.get('/api/rules'),
      await inUse.get('/api/me'),
      await kept.post('/api/rules', rule('Kept token')),
    ]) {
      expect(attempt.status).toBe(403);
      expect(attempt.headers.get('content-type')).toBe('application/problem+json');
      expect(attempt.body.detail).toBe('the token’s user is not a member of its tenant');
    }
    const names = await ruleNames(t);
    expect(names).toContain('While a member');
    expect(names).not.toContain('After removal');
    expect(names).not.toContain('Kept token');
  });

  it('refuses a token for a user the instance does not know, whatever role it claims', async () => {
    const t = await createTenant(testDb());
    const stranger = await clientOf(t, crypto.randomUUID(), 'owner');
    const name = await tenantName(t);
    for (const attempt of [
      await stranger.post('/api/rules', rule('Stranger')),
      await stranger.patch(`/api/tenants/${t.tenantId}`, { name: 'Taken over' }),
      await stranger.get('/api/campaigns'),
      await stranger.post('/api/me/token', { tenant_id: t.tenantId }),
    ]) {
      expect(attempt.status).toBe(403);
      expect(attempt.body.detail).toBe('the token’s user is not a member of its tenant');
    }
    expect(await ruleNames(t)).not.toContain('Stranger');
    expect(await tenantName(t)).toBe(name);
  });
});
