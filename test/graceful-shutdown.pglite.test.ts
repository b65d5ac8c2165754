import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/server/serve.ts';
import { TEST_ENCRYPTION_KEY } from './support/test-api.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-drain-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new work, then closes the database', async () => {
    const config = loadConfig({ NIGHTSHIFT_DATA_DIR: dataDir, PORT: '0' });
    const server = await startServer(
      config,
      createLogger('silent'),
      { internalSecret: 'i'.repeat(32), encryptionKey: TEST_ENCRYPTION_KEY },
      { demo: false },
    );

    // Hold PGlite's only connection so that /readyz, which queries it, stays in flight.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = server.db.transaction(() => held);
    const inFlight = fetch(`${server.url}/readyz`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const order: string[] = [];
    const closing = server.close().then(() => order.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow(); // no longer accepting
    expect(order).toEqual([]); // still draining

    release();
    await holding;
    const response = await inFlight.then((r) => {
      order.push('response');
      return r;
    });
    await closing;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready' });
    expect(order).toEqual(['response', 'closed']);
  });
});
