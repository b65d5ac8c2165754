import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/db/pglite.ts';
import { startServe } from './support/cli-process.ts';

// Embedded only (project "pglite"): the data folder on disk is what a restart must find again.
const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-embedded-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Reads the embedded data folder directly, while no server holds it. */
async function snapshot() {
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    const tenants = await db.kysely.selectFrom('tenants').select(['id', 'slug']).execute();
    const stats = await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_channel_stats_daily'),
    );
    return { tenants, stats: stats[0]!.n };
  } finally {
    await db.close();
  }
}

async function startAndStop(signal: NodeJS.Signals) {
  const server = await startServe({ NIGHTSHIFT_DATA_DIR: dataDir });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  server.child.kill(signal);
  const { code, stdout } = await server.exit;
  expect(code).toBe(0);
  expect(stdout).toContain('database closed');
  return stdout;
}

describe('the embedded product across restarts', () => {
  it('loads the demo tenant on the first start only; a second start reuses the data', async () => {
    expect(await startAndStop('SIGINT')).toContain('demo data loaded');
    const first = await snapshot();
    expect(first.tenants.map((t) => t.slug)).toEqual(['demo']);
    expect(first.stats).toBeGreaterThan(1000);

    expect(await startAndStop('SIGTERM')).not.toContain('demo data loaded');
    expect(await snapshot()).toEqual(first);
  });
});
