// What operators and browsers rely on besides the resources: a valid OpenAPI 3.1 document that
// matches the routes that really answer, the docs page, CORS (none on routes taking credentials
// unless origins are configured; the seeds' headers when they are), request ids, metrics behind
// the internal secret, the body limit, and problem+json for every error class.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/server/app.ts';
import { createTenant } from './support/scenario.ts';
import { apiClient, startTestApi, TEST_INTERNAL_SECRET, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown; parameters: unknown[] }>>;
}

describe('API operations', () => {
  const testDb = useTestDb();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(testDb());
  });
  afterAll(() => api.close());

  it('serves a valid OpenAPI 3.1 document whose every operation is a live route', async () => {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as OpenApi;
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const post = document.paths['/api/campaigns']?.post as {
      requestBody: { content: Record<string, { schema: object }> };
    };
    expect(post.requestBody.content['application/json']?.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['title'],
      properties: { title: { type: 'string', maxLength: 300 } },
    });

    // Every documented operation answers as a route (never the 404 of an unknown path).
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) {
        const url = `${api.url}${path.replace(/\{\w+\}/g, crypto.randomUUID())}`;
        const response = await fetch(url, { method: method.toUpperCase() });
        const body = (await response.json()) as { detail?: string };
        expect(body.detail ?? '', `${method} ${path}`).not.toMatch(/^no route/);
      }
    }
  });

  it('serves a self-contained docs page listing the operations', async () => {
    const response = await fetch(`${api.url}/docs`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('/api/campaigns/{id}');
    expect(html).toContain('/functions/v1/autonomous-operations');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  const seedPreflight = (url: string) =>
    fetch(`${url}/functions/v1/autonomous-operations`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-client-info, apikey, content-type',
      },
    });

  it('answers CORS preflights with the seeds’ allowed headers when any origin is allowed (*)', async () => {
    const anyOrigin = await startTestApi(testDb(), { corsOrigins: ['*'] });
    try {
      const preflight = await seedPreflight(anyOrigin.url);
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      const allowed = preflight.headers
        .get('access-control-allow-headers')
        ?.split(',')
        .map((h) => h.trim());
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'x-client-info', 'apikey', 'content-type']));
      const simple = await fetch(`${anyOrigin.url}/healthz`, { headers: { origin: 'https://app.example.com' } });
      expect(simple.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await anyOrigin.close();
    }
  });

  it('allows no origin on routes taking credentials by default, and any on the public ones', async () => {
    const origin = { origin: 'https://app.example.com' };
    expect((await seedPreflight(api.url)).headers.get('access-control-allow-origin')).toBeNull();
    const t = await createTenant(testDb());
    const viewer = apiClient(api, await tokenFor(testDb(), t.tenantId, 'viewer'));
    const read = await viewer.get('/api/campaigns', origin);
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const key = await apiClient(api, null).get('/api/me', { ...origin, apikey: 'nsk_wrong' });
    expect(key.status).toBe(401);
    expect(key.headers.get('access-control-allow-origin')).toBeNull();
    const metrics = await fetch(`${api.url}/metrics`, {
      headers: { ...origin, 'x-internal-secret': TEST_INTERNAL_SECRET },
    });
    expect(metrics.headers.get('access-control-allow-origin')).toBeNull();
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      const open = await fetch(`${api.url}${path}`, { headers: origin });
      expect(open.headers.get('access-control-allow-origin'), path).toBe('*');
    }
  });

  it('allows only the configured origins when a list is given', async () => {
    const listed = await startTestApi(testDb(), { corsOrigins: ['https://app.example.com'] });
    try {
      const preflight = (origin: string) =>
        fetch(`${listed.url}/api/campaigns`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = await preflight('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const other = await preflight('https://evil.example.net');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await listed.close();
    }
  });

  it('keeps a client’s request id or makes one, and echoes it', async () => {
    const given = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves /metrics with the internal secret only, as a header or a scraper’s bearer credential', async () => {
    const metrics = (headers: Record<string, string>) => fetch(`${api.url}/metrics`, { headers });
    const wrong: Record<string, string>[] = [{}, { 'x-internal-secret': 'wrong' }, { authorization: 'Bearer wrong' }];
    for (const headers of wrong) {
      const refused = await metrics(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(await refused.text()).not.toContain('nightshift_http_requests_total');
    }
    const right: Record<string, string>[] = [
      { 'x-internal-secret': TEST_INTERNAL_SECRET },
      { authorization: `Bearer ${TEST_INTERNAL_SECRET}` },
    ];
    for (const headers of right) {
      const served = await metrics(headers);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('nightshift_http_requests_total');
    }
  });

  it('counts requests by route template in /metrics, with cycle durations', async () => {
    const t = await createTenant(testDb());
    const admin = apiClient(api, await tokenFor(testDb(), t.tenantId, 'admin'));
    await admin.get(`/api/campaigns/${crypto.randomUUID()}`);
    await admin.post('/functions/v1/autonomous-operations');
    const text = await (
      await fetch(`${api.url}/metrics`, { headers: { 'x-internal-secret': TEST_INTERNAL_SECRET } })
    ).text();
    expect(text).toMatch(
      /nightshift_http_requests_total\{method="GET",route="\/api\/campaigns\/:id",status="404"\} \d+/,
    );
    expect(text).toMatch(
      /nightshift_http_request_duration_seconds_bucket\{le="0.05",method="GET",route="\/api\/campaigns\/:id"\}/,
    );
    expect(text).toMatch(/nightshift_cycle_duration_seconds_count\{dry_run="false"\} [1-9]/);
    expect(text).not.toMatch(/route="\/api\/campaigns\/[0-9a-f]{8}-/);
  });

  it('answers every error class as problem+json: 400, 401, 403, 404, 413, 422', async () => {
    const t = await createTenant(testDb());
    const viewer = apiClient(api, await tokenFor(testDb(), t.tenantId, 'viewer'));
    const member = apiClient(api, await tokenFor(testDb(), t.tenantId, 'member'));
    const anonymous = apiClient(api, null);
    const huge = JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES) });
    const cases = [
      [await member.post('/api/campaigns', '{"title": "x",'), 400],
      [await anonymous.get('/api/campaigns'), 401],
      [await viewer.post('/api/campaigns', { title: 'x' }), 403],
      [await viewer.get('/api/nothing-here'), 404],
      [await member.post('/api/campaigns', huge), 413],
      [await member.post('/api/campaigns', { title: 42 }), 422],
    ] as const;
    for (const [response, status] of cases) {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body).toMatchObject({
        status,
        type: 'about:blank',
        title: expect.any(String),
        detail: expect.any(String),
      });
    }
    expect((await viewer.get('/api/campaigns')).body.data).toEqual([]);
  });
});
