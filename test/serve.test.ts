import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/db/pglite.ts';
import { SERVER_SECRETS, startServe } from './support/cli-process.ts';
import { backend, postgresTestUrl } from './support/test-db.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (): Record<string, string> =>
  backend === 'postgres' ? { DATABASE_URL: postgresTestUrl(), ...SERVER_SECRETS } : { NIGHTSHIFT_DATA_DIR: dataDir };

async function demoTenants(): Promise<{ id: string; slug: string }[]> {
  // Read the embedded data folder directly, after the server has released it.
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    return await db.kysely.selectFrom('tenants').select(['id', 'slug']).execute();
  } finally {
    await db.close();
  }
}

describe(`nightshift serve (${backend})`, () => {
  it('serves health and readiness, and exits cleanly on SIGINT', async () => {
    const server = await startServe(env());
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: backend });
    if (backend === 'pglite') {
      expect(server.banner()).toMatch(/Admin token \(tenant demo, valid 30 days\): ey[\w-]+\.[\w-]+\.[\w-]+/);
    } else {
      expect(server.banner()).not.toMatch(/Admin token/);
    }
    server.child.kill('SIGINT');
    const { code, stdout } = await server.exit;
    expect(code).toBe(0);
    expect(stdout).toContain('database closed');
  });

  it.runIf(backend === 'pglite')('loads the demo tenant once; a second start reuses the data', async () => {
    const first = await demoTenants();
    expect(first.map((t) => t.slug)).toEqual(['demo']);
    const statRows = await countStats();
    expect(statRows[0]!.n).toBeGreaterThan(1000);

    const again = await startServe(env());
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    expect(again.banner()).not.toContain('demo data loaded');
    again.child.kill('SIGTERM');
    expect((await again.exit).code).toBe(0);

    expect(await demoTenants()).toEqual(first);
    expect(await countStats()).toEqual(statRows);
  });
});

async function countStats() {
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    return await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_channel_stats_daily'),
    );
  } finally {
    await db.close();
  }
}
