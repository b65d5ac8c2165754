// The HTTP API on a real loopback port over a test database, with fixed secrets.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, expect } from 'vitest';
import { type AdPlatformEndpoints, DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import type { AdOAuthConfig } from '../../src/ads/oauth-config.ts';
import { mintToken, type Role } from '../../src/auth/tokens.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database } from '../../src/db/port.ts';
import type { DeliveryDeps } from '../../src/delivery/run-delivery.ts';
import { trackingKey } from '../../src/delivery/tracking-token.ts';
import { createLogger } from '../../src/log.ts';
import { actionLinkKey } from '../../src/notify/action-link-token.ts';
import { type AppContext, createApp } from '../../src/server/app.ts';
import { createTenant, type TestTenant } from './scenario.ts';
import { useTestDb } from './test-db.ts';

export const TEST_JWT_SECRET = 'test-jwt-secret-'.padEnd(40, 'x');
export const TEST_INTERNAL_SECRET = 'test-internal-secret-'.padEnd(40, 'y');
/** Encrypts the ad accounts' credentials the API stores. */
export const TEST_ENCRYPTION_KEY = 'ab'.repeat(32);

export interface TestApi {
  url: string;
  close(): Promise<void>;
}

/** The ad platforms as the tests' apps know them: the real endpoints (never called) and the test key. */
export const testAdPlatforms = (
  endpoints: AdPlatformEndpoints = DEFAULT_AD_PLATFORM_ENDPOINTS,
  oauth: AdOAuthConfig = {},
) => ({
  endpoints,
  cipher: createTokenCipher(TEST_ENCRYPTION_KEY),
  oauth,
});

/** Senders' secrets under the API's key; public addresses at a closed port unless a test serves them. */
export function testDeliveryDeps(
  endpoints: { publicUrl?: string; twilioBaseUrl?: string; slackBaseUrl?: string; timeoutMs?: number } = {},
): DeliveryDeps {
  return {
    cipher: createTokenCipher(TEST_ENCRYPTION_KEY),
    trackingKey: trackingKey(TEST_ENCRYPTION_KEY),
    actionLinkKey: actionLinkKey(TEST_ENCRYPTION_KEY),
    publicUrl: endpoints.publicUrl ?? 'http://127.0.0.1:9',
    twilioBaseUrl: endpoints.twilioBaseUrl ?? 'http://127.0.0.1:9/twilio',
    slackBaseUrl: endpoints.slackBaseUrl ?? 'http://127.0.0.1:9/slack',
    timeoutMs: endpoints.timeoutMs ?? 5_000,
  };
}

export async function startTestApi(
  db: Database,
  options: Pick<AppContext, 'corsOrigins' | 'agentModel' | 'trustedProxies' | 'now' | 'limits' | 'social'> & {
    adEndpoints?: AdPlatformEndpoints;
    /** The install's OAuth apps (none unless given). */
    adOAuth?: AdOAuthConfig;
    /** Where SMS goes (a closed port unless given). */
    twilioBaseUrl?: string;
    /** Where Slack's response URLs may point (a closed port unless given). */
    slackBaseUrl?: string;
  } = {},
): Promise<TestApi> {
  const { adEndpoints = DEFAULT_AD_PLATFORM_ENDPOINTS, adOAuth, twilioBaseUrl, slackBaseUrl, ...context } = options;
  const delivery = testDeliveryDeps({ twilioBaseUrl, slackBaseUrl });
  const app = createApp({
    ...context,
    adPlatforms: testAdPlatforms(adEndpoints, adOAuth),
    delivery,
    db,
    log: createLogger(process.env.TEST_LOG ? 'debug' : 'silent'),
    isAccepting: () => true,
    auth: { jwtSecret: TEST_JWT_SECRET, internalSecret: TEST_INTERNAL_SECRET },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  // The tracking links and Twilio's signed callbacks name the address the API really listens at.
  delivery.publicUrl = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A bearer token for a member of the tenant with this role. The user (made up unless given) and
 * the membership are created when missing, as the server accepts tokens of members only; an
 * existing membership keeps its role, which then caps the token's.
 */
export async function tokenFor(db: Database, tenantId: string, role: Role, userId: string = crypto.randomUUID()) {
  await db.session(async (s) => {
    await s.query('INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      userId,
      `${userId}@example.com`,
    ]);
    await s.query('INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      tenantId,
      userId,
      role,
    ]);
  });
  return mintToken(TEST_JWT_SECRET, { tenantId, role, userId });
}

// biome-ignore lint/suspicious/noExplicitAny: tests check response bodies with assertions, not types
export type JsonBody = any;

export interface ApiResponse<Body = JsonBody> {
  status: number;
  headers: Headers;
  body: Body;
}

export interface ApiClient {
  request<Body = JsonBody>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<Body>>;
  get<Body = JsonBody>(path: string, headers?: Record<string, string>): Promise<ApiResponse<Body>>;
  post<Body = JsonBody>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<Body>>;
  patch<Body = JsonBody>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<Body>>;
  put<Body = JsonBody>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<Body>>;
  delete<Body = JsonBody>(path: string, headers?: Record<string, string>): Promise<ApiResponse<Body>>;
}

/** Expects a 422 whose errors name the field; `label` says which case failed. */
export function expectFieldError(response: ApiResponse, field: string, label = field): void {
  expect(response.status, label).toBe(422);
  expect(
    response.body.errors.map((e: { field: string }) => e.field),
    label,
  ).toContain(field);
}

/** Follows a list route's cursor `limit` rows at a time (no page holds more) and gives the ids in the order seen. */
export async function idsByPage(client: ApiClient, path: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse<{ data: { id: string }[]; next_cursor: string | null }> = await client.get(
      `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...page.body.data.map((row) => row.id));
    cursor = page.body.next_cursor;
  } while (cursor);
  return seen;
}

/** A JSON client for the API with the caller's bearer token; a string body is sent as it is. */
export function apiClient(api: TestApi, token: string | null): ApiClient {
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: type.includes('json') && text ? JSON.parse(text) : text,
    };
  };
  return {
    request,
    get: (path, headers) => request('GET', path, undefined, headers),
    post: (path, body, headers) => request('POST', path, body, headers),
    patch: (path, body, headers) => request('PATCH', path, body, headers),
    put: (path, body, headers) => request('PUT', path, body, headers),
    delete: (path, headers) => request('DELETE', path, undefined, headers),
  };
}

export interface TenantClients {
  t: TestTenant;
  viewer: ApiClient;
  member: ApiClient;
  admin: ApiClient;
}

// One API per file on a real loopback port over the test database; each test takes a fresh tenant so none share state.
export function useTestApi(): { db: () => Database; api: () => TestApi; tenantClients: () => Promise<TenantClients> } {
  const db = useTestDb();
  let started: TestApi | undefined;
  beforeAll(async () => {
    started = await startTestApi(db());
  });
  afterAll(() => started?.close());
  const api = () => {
    if (!started) throw new Error('the test API is not started yet');
    return started;
  };
  const tenantClients = async (): Promise<TenantClients> => {
    const t = await createTenant(db());
    const as = async (role: Role) => apiClient(api(), await tokenFor(db(), t.tenantId, role));
    return { t, viewer: await as('viewer'), member: await as('member'), admin: await as('admin') };
  };
  return { db, api, tenantClients };
}
