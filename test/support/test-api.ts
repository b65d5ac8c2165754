// The HTTP API on a real loopback port over a test database, with fixed secrets.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { mintToken, type Role } from '../../src/auth/tokens.ts';
import type { Database } from '../../src/db/port.ts';
import { createLogger } from '../../src/log.ts';
import { createApp } from '../../src/server/app.ts';

export const TEST_JWT_SECRET = 'test-jwt-secret-'.padEnd(40, 'x');
export const TEST_INTERNAL_SECRET = 'test-internal-secret-'.padEnd(40, 'y');

export interface TestApi {
  url: string;
  close(): Promise<void>;
}

export async function startTestApi(db: Database, options: { corsOrigins?: string[] } = {}): Promise<TestApi> {
  const app = createApp({
    corsOrigins: options.corsOrigins,
    db,
    log: createLogger('silent'),
    isAccepting: () => true,
    auth: { jwtSecret: TEST_JWT_SECRET, internalSecret: TEST_INTERNAL_SECRET },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A bearer token for a (made-up) user of the tenant. */
export function tokenFor(tenantId: string, role: Role, userId = crypto.randomUUID()): Promise<string> {
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
