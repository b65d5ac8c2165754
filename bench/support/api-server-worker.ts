// The HTTP API for a benchmark, in a worker thread: its own event loop, as a server process has,
// so the load generator in the main thread never delays it (nor it the load generator).
// workerData: { databaseUrl, jwtSecret }; posts { port } once listening; on 'close', shuts down
// and posts 'closed'.
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { trackingKey } from '../../src/delivery/tracking-token.ts';
import { createLogger } from '../../src/log.ts';
import { actionLinkKey } from '../../src/notify/action-link-token.ts';
import { createApp } from '../../src/server/app.ts';

const { databaseUrl, jwtSecret } = workerData as { databaseUrl: string; jwtSecret: string };
// The pool as `nightshift serve` opens it (src/db/open.ts: openPostgres with its defaults).
const db = await openPostgres(databaseUrl);
const app = createApp({
  db,
  log: createLogger('silent'),
  isAccepting: () => true,
  // Credentials of ad accounts are not read here: any key does.
  adPlatforms: { endpoints: DEFAULT_AD_PLATFORM_ENDPOINTS, cipher: createTokenCipher('00'.repeat(32)) },
  // Nor are senders, nor tracking links.
  delivery: {
    cipher: createTokenCipher('00'.repeat(32)),
    trackingKey: trackingKey('00'.repeat(32)),
    actionLinkKey: actionLinkKey('00'.repeat(32)),
    publicUrl: 'http://127.0.0.1:9',
    twilioBaseUrl: 'http://127.0.0.1:9',
  },
  auth: { jwtSecret, internalSecret: 'bench-internal-secret-'.padEnd(40, 'y') },
});
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
});
parentPort!.on('message', async (message) => {
  if (message !== 'close') return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.close();
  parentPort!.postMessage('closed');
});
parentPort!.postMessage({ port: (server.address() as AddressInfo).port });
