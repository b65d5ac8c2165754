// A cycle's server-side work ends with its client. A `nightshift cycle` killed while its statement
// waits on the server, and an API caller that disconnects, release the tenant's cycle lock within
// seconds (the statement would otherwise wait out its 120 s lock timeout, holding the lock). A CLI
// cycle that finds the tenant's cycle running says who runs it and gives up after --lock-wait.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, SERVER_SECRETS, startCli } from '../scripts/support/cli-process.ts';
import { createScratchDatabase, type ScratchDatabase } from '../scripts/support/scratch-database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Database } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { cycleLockKey } from '../src/engine/cycle.ts';
import { createTenant, pauseScaleSuggestWorld, type TestTenant } from './support/scenario.ts';
import { startTestApi, tokenFor } from './support/test-api.ts';
import { postgresServerUrl } from './support/test-db.ts';

describe('a cycle whose client goes away', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase(postgresServerUrl());
    db = await openPostgres(scratch.url);
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await scratch.drop();
  });

  const cliEnv = () => ({ ...SERVER_SECRETS, DATABASE_URL: scratch.url, NIGHTSHIFT_LOCK_TIMEOUT_SECONDS: '120' });

  async function slugOf(t: TestTenant): Promise<string> {
    const [row] = await db.session((s) =>
      s.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [t.tenantId]),
    );
    return row!.slug;
  }

  /** Holds campaigns locked (this database is the file's own) until the returned function is called. */
  async function blockCampaigns(): Promise<() => Promise<void>> {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = db.transaction(async (s) => {
      await s.query('LOCK TABLE campaigns IN ACCESS EXCLUSIVE MODE');
      locked();
      await gate;
    });
    await isLocked;
    return async () => {
      release();
      await holding;
    };
  }

  /** Resolves once the tenant's cycle holds its lock and waits for the blocked table. */
  async function untilCycleBlocked(t: TestTenant, holder: string) {
    for (let i = 0; i < 300; i++) {
      const current = await db.locks.holder(cycleLockKey(t.tenantId));
      const [waiting] = await db.session((s) =>
        s.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'",
          [current?.pid ?? 0],
        ),
      );
      if (current?.holder === holder && waiting!.n === 1) return current;
      await sleep(100);
    }
    throw new Error('the cycle never blocked');
  }

  async function secondsUntilReleased(t: TestTenant): Promise<number> {
    const started = performance.now();
    while (await db.locks.holder(cycleLockKey(t.tenantId))) {
      if (performance.now() - started > 30_000) break;
      await sleep(50);
    }
    return (performance.now() - started) / 1000;
  }

  const cyclesOf = (t: TestTenant) =>
    db.session((s) => s.query('SELECT id FROM autonomous_cycles WHERE tenant_id = $1', [t.tenantId]));

  it('a killed `nightshift cycle` releases the tenant’s lock within seconds', async () => {
    const t = await createTenant(db);
    await pauseScaleSuggestWorld(db, t);
    const unblock = await blockCampaigns();
    try {
      const child = startCli(['cycle', '--tenant', await slugOf(t)], cliEnv());
      await untilCycleBlocked(t, 'cycle via cli');
      child.kill('SIGKILL');
      expect(await secondsUntilReleased(t)).toBeLessThan(6);
    } finally {
      await unblock();
    }
    expect(await cyclesOf(t)).toEqual([]);
  });

  it('an API caller that disconnects cancels its cycle at once', async () => {
    const api = await startTestApi(db);
    const t = await createTenant(db);
    await pauseScaleSuggestWorld(db, t);
    const unblock = await blockCampaigns();
    try {
      const caller = new AbortController();
      const admin = await tokenFor(db, t.tenantId, 'admin');
      const request = fetch(`${api.url}/api/cycles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
        signal: caller.signal,
      }).catch(() => 'aborted');
      await untilCycleBlocked(t, 'cycle via api');
      caller.abort();
      expect(await request).toBe('aborted');
      expect(await secondsUntilReleased(t)).toBeLessThan(3);
    } finally {
      await unblock();
      await api.close();
    }
    expect(await cyclesOf(t)).toEqual([]);
  });

  it('`nightshift cycle` names the running cycle’s holder and gives up after --lock-wait; `locks --cancel` ends it', async () => {
    const t = await createTenant(db);
    const slug = await slugOf(t);
    let release = () => {};
    let held = () => {};
    const isHeld = new Promise<void>((resolve) => {
      held = resolve;
    });
    const holding = db.locks.run(
      cycleLockKey(t.tenantId),
      { what: 'a test', holder: 'cycle via test', waitMs: 0 },
      (locked) =>
        new Promise<void>((resolve, reject) => {
          held();
          release = () => locked.session((s) => s.query('SELECT 1')).then(() => resolve(), reject);
        }),
    );
    holding.catch(() => {});
    await isHeld;

    const waited = await runCli(['cycle', '--tenant', slug, '--lock-wait', '1'], cliEnv());
    expect(waited.code).toBe(75);
    expect(waited.stderr).toMatch(
      new RegExp(
        `the cycle of tenant ${slug} is running \\(cycle via test since \\S+Z, server process \\d+\\); waiting up to 1 s`,
      ),
    );
    expect(waited.stderr).toMatch(
      /is held by cycle via test since \S+Z, server process \d+; gave up after waiting 1 s/,
    );

    const listed = await runCli(['locks', '--tenant', slug], cliEnv());
    expect(listed.stdout).toMatch(
      new RegExp(`^${slug}: cycle held by cycle via test since \\S+Z, server process \\d+\\n$`),
    );
    const cancelled = await runCli(['locks', '--tenant', slug, '--cancel'], cliEnv());
    expect(cancelled.stdout).toContain('— cancelled');
    release();
    await expect(holding).rejects.toThrow(/ended on the server/);
    expect(await db.locks.holder(cycleLockKey(t.tenantId))).toBeUndefined();
    expect((await runCli(['locks', '--tenant', slug], cliEnv())).stdout).toBe(`${slug}: cycle not running\n`);
  });
});
