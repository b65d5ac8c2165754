import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../scripts/support/cli-process.ts';
import { openPglite } from '../src/db/pglite.ts';
import { rows, typed } from '../src/db/typed.ts';

// Embedded only (project "pglite"): the data folder on disk is what a restart must find again.
const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-embedded-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Reads the embedded data folder directly, while no server holds it. */
async function snapshot() {
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    const tenants = await db.session((s) => rows(s, typed.selectFrom('tenants').select(['id', 'slug'])));
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

  it('refuses a second process on the same data folder, and takes over a stale lock', async () => {
    const server = await startServe({ NIGHTSHIFT_DATA_DIR: dataDir });
    try {
      const second = await runCli(['serve'], { NIGHTSHIFT_DATA_DIR: dataDir, PORT: '0' });
      expect(second.code).toBe(69);
      expect(second.stderr.trim()).toBe(
        `nightshift: the embedded database in ${join(dataDir, 'pgdata')} is in use by process ${server.child.pid}`,
      );
    } finally {
      server.child.kill('SIGTERM');
      expect((await server.exit).code).toBe(0);
    }
    // A crashed process leaves its pid file behind; a pid that no longer runs does not block.
    const lock = join(dataDir, 'pgdata', 'nightshift.pid');
    writeFileSync(lock, '2147483646');
    expect(await startAndStop('SIGINT')).toContain('database closed');
    expect(() => readFileSync(lock)).toThrow();
  });
});
