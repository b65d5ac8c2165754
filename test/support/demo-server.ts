// The embedded product with its demo data, served on a loopback port with no job worker, for the
// browser suites: the server, the local admin's membership, and a way to put it all away.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { SERVER_SECRETS } from '../../scripts/support/cli-process.ts';
import { findMembership } from '../../src/auth/members.ts';
import { loadConfig } from '../../src/config.ts';
import { LOCAL_ADMIN_EMAIL } from '../../src/demo/load-demo.ts';
import { createLogger } from '../../src/log.ts';
import { resolveSecrets } from '../../src/secrets.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import type { WatchedPage } from './dashboard-browser.ts';

export interface DemoServer {
  server: RunningServer;
  admin: { tenantId: string; userId: string };
  close: () => Promise<void>;
}

export async function startDemoServer(name: string): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `nightshift-${name}-`));
  const config = loadConfig({
    NIGHTSHIFT_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...SERVER_SECRETS,
  });
  const server = await startServer(config, createLogger('silent'), resolveSecrets(config), { worker: false });
  const membership = (await findMembership(server.db, LOCAL_ADMIN_EMAIL))!;
  return {
    server,
    admin: { tenantId: membership.tenantId, userId: membership.userId },
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The end of a browser suite: the browser and server put away, then no page saw a problem. */
export async function closeBrowserSuite(
  browser: Browser | undefined,
  demo: DemoServer | undefined,
  watched: WatchedPage[],
) {
  await browser?.close();
  await demo?.close();
  expect(watched.flatMap((w) => w.problems)).toEqual([]);
}
