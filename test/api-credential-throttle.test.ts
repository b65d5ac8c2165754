// Failed credentials are throttled per client (issue 21: 300 wrong API keys in a row were not
// slowed down). After DEFAULT_THROTTLE.failures failures within a window a client gets 429 with
// Retry-After for anything it sends with credentials, a right key included, until the window
// ends (the server's clock is moved, not waited for). Clients are told apart by address, never by
// key: an attacker's failures do not stop a real key used from elsewhere, and its own successes
// with a key do not reset its count. X-Forwarded-For names the client only from a trusted proxy.
// A key set that cannot be read is the server's trouble, not counted against anyone.
import { createServer } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.ts';
import { createLogger } from '../src/log.ts';
import { createApp } from '../src/server/app.ts';
import { DEFAULT_THROTTLE } from '../src/server/credential-throttle.ts';
import { createTenant } from './support/scenario.ts';
import {
  type ApiResponse,
  apiClient,
  startTestApi,
  TEST_INTERNAL_SECRET,
  type TestApi,
  testAdPlatforms,
  testDeliveryDeps,
  tokenFor,
} from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const { failures, windowMs } = DEFAULT_THROTTLE;

describe('throttling failed credentials', () => {
  const testDb = useTestDb();
  let now = Date.now();
  const started: TestApi[] = [];
  afterAll(() => Promise.all(started.map((api) => api.close())));
  const start = async (trustedProxies?: string[]) => {
    const api = await startTestApi(testDb(), { now: () => now, trustedProxies });
    started.push(api);
    return apiClient(api, null);
  };

  /** A real key of a fresh tenant, and a key of the same form whose secret is wrong. */
  async function keys() {
    const t = await createTenant(testDb());
    const { key } = await createApiKey(testDb(), t.tenantId, { name: 'real', role: 'viewer' });
    return { t, key, wrong: `${key.slice(0, -4)}AAAA` };
  }

  const expectThrottled = (response: ApiResponse, label: string) => {
    expect(response.status, label).toBe(429);
    expect(response.headers.get('content-type'), label).toBe('application/problem+json');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowMs / 1000, label).toBe(true);
    expect(response.body.detail, label).toMatch(/^too many failed credentials from this client: try again in \d+ s$/);
  };

  it('answers 429 with Retry-After to 300 wrong API keys in a row from one client, until its window ends', async () => {
    const client = await start();
    const { key, wrong } = await keys();
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const response = await client.get('/api/me', { apikey: wrong });
      statuses.push(response.status);
      if (response.status === 429) expectThrottled(response, `attempt ${i + 1}`);
    }
    expect(statuses.slice(0, failures)).toEqual(Array(failures).fill(401));
    expect(statuses.slice(failures)).toEqual(Array(300 - failures).fill(429));

    // Every credential from that client waits, a right one too (or the answer would tell a guess
    // that is right from one that is wrong), and a made-up X-Forwarded-For is no other client.
    expectThrottled(await client.get('/api/me', { authorization: 'Bearer not-a-token' }), 'a token');
    expectThrottled(await client.get('/api/me', { apikey: key }), 'the real key');
    expectThrottled(await client.get('/api/me', { apikey: key, 'x-forwarded-for': '198.51.100.7' }), 'spoofed');
    expectThrottled(await client.get('/metrics', { 'x-internal-secret': TEST_INTERNAL_SECRET }), 'metrics');
    // Routes without credentials are not throttled.
    expect((await client.get('/healthz')).status).toBe(200);

    now += windowMs;
    expect((await client.get('/api/me', { apikey: key })).status).toBe(200);
    expect((await client.get('/api/me', { apikey: wrong })).status).toBe(401);
  });

  it('counts wrong tokens and wrong internal secrets alike', async () => {
    const client = await start();
    for (let i = 0; i < failures; i++) {
      const response =
        i % 2 === 0
          ? await client.get('/api/campaigns', { authorization: `Bearer forged.${i}.token` })
          : await client.post('/functions/v1/cmo-optimizer-cron', '{}', { 'x-internal-secret': `wrong-${i}` });
      expect(response.status, `attempt ${i + 1}`).toBe(401);
    }
    expectThrottled(await client.get('/metrics', { 'x-internal-secret': 'wrong' }), 'after the failures');
    now += windowMs;
    expect((await client.get('/metrics', { 'x-internal-secret': TEST_INTERNAL_SECRET })).status).toBe(200);
  });

  it('keeps a real key and token working from another client meanwhile (clients named by a trusted proxy)', async () => {
    const client = await start(['127.0.0.1']);
    const { t, key, wrong } = await keys();
    const token = await tokenFor(testDb(), t.tenantId, 'viewer');
    const attacker = { 'x-forwarded-for': '203.0.113.66' };
    const user = { 'x-forwarded-for': '198.51.100.7' };
    let throttled = 0;
    for (let i = 0; i < 300; i++) {
      const guess = await client.get('/api/me', i % 2 ? { ...attacker, apikey: wrong } : { ...attacker, apikey: key });
      if (guess.status === 429) throttled += 1;
      if (i % 10 === 0) {
        expect((await client.get('/api/me', { ...user, apikey: key })).status, `real key, attempt ${i}`).toBe(200);
        const withToken = await client.get('/api/me', { ...user, authorization: `Bearer ${token}` });
        expect(withToken.status, `real token, attempt ${i}`).toBe(200);
      }
    }
    // Half the attacker's requests were wrong, so its window filled after 2 x failures requests;
    // its right key in between did not reset the count.
    expect(throttled).toBe(300 - 2 * failures);
    // A proxy appends the address it saw: an address the attacker writes in front is not the client.
    expectThrottled(
      await client.get('/api/me', { 'x-forwarded-for': '198.51.100.7, 203.0.113.66', apikey: key }),
      'spoofed in front',
    );
    expect((await client.get('/api/me', { ...user, apikey: key })).status).toBe(200);
  });

  it('does not count a key set it cannot read against the clients: 503, never 429', async () => {
    // A port nothing listens on: the JSON Web Key Set is unreachable.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const app = createApp({
      db: testDb(),
      log: createLogger('silent'),
      isAccepting: () => true,
      adPlatforms: testAdPlatforms(),
      delivery: testDeliveryDeps(),
      auth: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, internalSecret: TEST_INTERNAL_SECRET },
    });
    const token = await new SignJWT({ tenant_id: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(crypto.randomUUID())
      .setExpirationTime('5m')
      .sign((await generateKeyPair('RS256')).privateKey);
    for (let i = 0; i < failures + 5; i++) {
      const response = await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, `attempt ${i + 1}`).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(((await response.json()) as { detail: string }).detail).toMatch(/NIGHTSHIFT_JWKS_URL/);
    }
    // A token that is no JWT at all is still the client's failure.
    expect((await app.request('/api/me', { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
  });
});
