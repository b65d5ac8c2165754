// The seeds' function endpoints over real HTTP: authentication (tokens, API keys, the internal
// secret), roles, problem+json errors, and the exact response shape of the seeds.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.ts';
import { actionsOf, campaignState, createTenant, pauseScaleSuggestWorld } from './support/scenario.ts';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET, tokenFor, useTestApi } from './support/test-api.ts';

interface ProblemBody {
  status: number;
  title: string;
  detail: string;
  instance: string;
  errors?: { field: string; message: string }[];
}
const problem = (response: Response) => response.json() as Promise<ProblemBody>;

describe('the seeds’ function endpoints', () => {
  const { db: testDb, api } = useTestApi();

  const post = (path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${api().url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cycle = (headers: Record<string, string>) => post('/functions/v1/autonomous-operations', headers);

  it('runs the caller’s cycle and answers exactly the seed’s shape', async () => {
    const t = await createTenant(testDb());
    const other = await createTenant(testDb());
    const world = await pauseScaleSuggestWorld(testDb(), t);
    const untouched = await pauseScaleSuggestWorld(testDb(), other);

    const response = await cycle(bearer(await tokenFor(testDb(), t.tenantId, 'admin')));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: object };
    expect(Object.keys(body)).toEqual(['success', 'result', 'message']);
    expect(Object.keys(body.result)).toEqual(['success', 'timestamp', 'actions_taken']);
    expect(body).toEqual({
      success: true,
      result: {
        success: true,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        actions_taken: { campaigns_paused: 1, campaigns_scaled: 1, opportunities_detected: expect.any(Number) },
      },
      message: 'Autonomous operations completed successfully',
    });
    expect((await campaignState(testDb(), t, world.loser)).status).toBe('paused');
    expect((await campaignState(testDb(), other, untouched.loser)).status).toBe('active');
    expect(await actionsOf(testDb(), other)).toEqual([]);
  });

  it('answers 401 without valid credentials and 403 below the admin role, as problem+json', async () => {
    const t = await createTenant(testDb());
    const missing = await cycle({});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await problem(missing)).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      instance: '/functions/v1/autonomous-operations',
    });

    expect((await cycle(bearer('not-a-token'))).status).toBe(401);
    const forged = await tokenFor(testDb(), t.tenantId, 'admin').then((token) => `${token.slice(0, -4)}AAAA`);
    expect((await cycle(bearer(forged))).status).toBe(401);
    const expired = await new SignJWT({ role: 'admin', tenant_id: t.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(crypto.randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    expect((await cycle(bearer(expired))).status).toBe(401);

    for (const role of ['viewer', 'member'] as const) {
      const refused = await cycle(bearer(await tokenFor(testDb(), t.tenantId, role)));
      expect(refused.status).toBe(403);
      expect((await problem(refused)).detail).toContain('admin');
    }
    expect(await actionsOf(testDb(), t)).toEqual([]);
  });

  it('accepts an API key in the apikey header or as a bearer token, and refuses a revoked one', async () => {
    const t = await createTenant(testDb());
    const { id, key } = await createApiKey(testDb(), t.tenantId, { name: 'cron', role: 'admin' });
    expect((await cycle({ apikey: key })).status).toBe(200);
    expect((await cycle(bearer(key))).status).toBe(200);
    const [stored] = await testDb().session((s) =>
      s.query<{ key_hash: string; last_used_at: Date | null }>(
        'SELECT key_hash, last_used_at FROM api_keys WHERE id = $1',
        [id],
      ),
    );
    expect(stored!.key_hash).not.toContain(key.slice(16));
    expect(stored!.last_used_at).not.toBeNull();
    await testDb().session((s) => s.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]));
    expect((await cycle({ apikey: key })).status).toBe(401);
    expect((await cycle({ apikey: `${key.slice(0, -1)}x` })).status).toBe(401);
  });

  it('takes the role of a member from the tenant when the token carries none of ours', async () => {
    const t = await createTenant(testDb());
    const [user] = await testDb().session((s) =>
      s.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
        `${crypto.randomUUID()}@example.com`,
      ]),
    );
    await testDb().session((s) =>
      s.query("INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'admin')", [t.tenantId, user!.id]),
    );
    const supabaseStyle = (sub: string) =>
      new SignJWT({ role: 'authenticated', app_metadata: { tenant_id: t.tenantId } })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    expect((await cycle(bearer(await supabaseStyle(user!.id)))).status).toBe(200);
    expect((await cycle(bearer(await supabaseStyle(crypto.randomUUID())))).status).toBe(403);
  });

  it('guards the cron endpoints with the internal secret and validates their body', async () => {
    const path = '/functions/v1/cmo-optimizer-cron';
    const good = JSON.stringify({ cron: true, mode: 'optimize' });
    expect((await post(path, {}, good)).status).toBe(401);
    expect((await post(path, { 'x-internal-secret': 'wrong' }, good)).status).toBe(401);
    const secret = { 'x-internal-secret': TEST_INTERNAL_SECRET };
    const malformed = await post(path, secret, '{"cron": tru');
    expect(malformed.status).toBe(400);
    const invalid = await post(path, secret, JSON.stringify({ cron: true, mode: 'sometimes' }));
    expect(invalid.status).toBe(422);
    expect((await problem(invalid)).errors).toEqual([{ field: 'mode', in: 'body', message: expect.any(String) }]);
    const unknownField = await post(path, secret, JSON.stringify({ cron: true, tenant: 'x' }));
    expect((await problem(unknownField)).errors).toEqual([
      { field: 'tenant', in: 'body', message: 'is not a field of this request' },
    ]);
    // Running it (over every tenant) is tested on a database of its own: test/api-cmo-cron.test.ts.
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await fetch(`${api().url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
