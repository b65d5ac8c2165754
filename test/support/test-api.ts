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

export async function startTestApi(db: Database): Promise<TestApi> {
  const app = createApp({
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
