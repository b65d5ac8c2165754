// A dispatcher killed between the platform's answer and the commit of the post id: the post exists
// but the row does not know it. The next dispatcher must find the post on the platform, record it
// and not publish again. Deterministic with real processes: the platform server holds its answer
// until the test has locked the row, so the child's write of the post id waits on that lock, and
// the child is SIGKILLed while it waits; its transaction never commits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../scripts/support/cli-process.ts';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import type { Database } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { createPlatformAdapters } from '../src/social/adapters.ts';
import { dispatchDuePosts } from '../src/social/dispatcher.ts';
import { schedulePosts } from '../src/social/post-queue.ts';
import { type PlatformServer, startPlatformServer } from './support/platform-servers.ts';
import { createCampaign, createTenant } from './support/scenario.ts';
import { postgresTestUrl, useTestDb } from './support/test-db.ts';

const CHILD = join(import.meta.dirname, 'support', 'dispatch-child.ts');
const KEY = randomBytes(32).toString('hex');
const cipher = createTokenCipher(KEY);

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a dispatcher killed mid-post (Postgres)', () => {
  const testDb = useTestDb();
  let server: PlatformServer;
  let locker: Database;
  beforeAll(async () => {
    server = await startPlatformServer();
    locker = await openPostgres(postgresTestUrl(), { max: 1 });
  });
  afterAll(async () => {
    await server.close();
    await locker.close();
  });
  const query = <T>(sql: string, params: unknown[]) => testDb().session((s) => s.query<T>(sql, params));

  it('does not post twice after a restart: the post is found on the platform and recorded', async () => {
    const t = await createTenant(testDb());
    await query(
      `INSERT INTO social_accounts (tenant_id, platform, account_name, external_account_id, access_token_ciphertext)
       VALUES ($1, 'facebook', 'Acme', 'facebook-acme', $2)`,
      [t.tenantId, cipher.encrypt('EAAGpageTokenSecret1')],
    );
    const campaign = await createCampaign(testDb(), t, { title: 'Spring sale', budget: 100, hoursRunning: 240 });
    await query("UPDATE campaigns SET cta_url = 'https://shop.example.com/spring' WHERE id = $1", [campaign]);
    const [action] = await query<{ id: string }>(
      `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status)
       VALUES ($1, $2, 'auto_post', 'test', 'executed') RETURNING id`,
      [t.tenantId, campaign],
    );
    // Queued 10 minutes ago by the wall clock, so due now for a dispatcher on the real clock.
    await testDb().transaction((s) =>
      schedulePosts(
        s,
        t.tenantId,
        [{ actionId: action!.id, campaignId: campaign }],
        ['facebook'],
        new Date(Date.now() - 600_000),
      ),
    );

    const held = server.holdNext('facebook');
    const applicationName = `dispatch-child-${randomBytes(4).toString('hex')}`;
    const child = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: postgresTestUrl(),
        APPLICATION_NAME: applicationName,
        TENANT_ID: t.tenantId,
        GRAPH_BASE_URL: server.graphBaseUrl,
        X_BASE_URL: server.xBaseUrl,
        ENCRYPTION_KEY: KEY,
      },
    });
    const exit = finished(child);
    await held.arrived;

    // The platform has posted. Lock the row, then let the answer through: the child's write of the
    // post id now waits on the lock, and the child dies there.
    let unlock = () => {};
    const unlocked = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    const locked = Promise.withResolvers<void>();
    const lock = locker.transaction(async (s) => {
      await s.query('SELECT id FROM campaign_schedules WHERE tenant_id = $1 FOR UPDATE', [t.tenantId]);
      locked.resolve();
      await unlocked;
    });
    await locked.promise;
    held.release();
    const childBackend = await until('the child to wait on the lock', async () => {
      const [row] = await query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
        [applicationName],
      );
      return row?.pid;
    });
    child.kill('SIGKILL');
    expect((await exit).code).toBeNull();
    unlock();
    await lock;
    // Its server process notices the client is gone only when it answers: wait until it is gone.
    await until('the child’s backend to end', async () => {
      const rows = await query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [childBackend]);
      return rows.length === 0 ? true : undefined;
    });

    const [left] = await query<{ status: string; platform_post_ids: object; publish_attempts: { facebook?: object } }>(
      'SELECT status, platform_post_ids, publish_attempts FROM campaign_schedules WHERE tenant_id = $1',
      [t.tenantId],
    );
    expect(left).toMatchObject({ status: 'posting', platform_post_ids: {} });
    expect(left!.publish_attempts.facebook).toMatchObject({ started_at: expect.any(String) });
    const publishes = () => server.requests.filter((r) => r.method === 'POST');
    expect(publishes()).toHaveLength(1);

    const adapters = createPlatformAdapters({ graphBaseUrl: server.graphBaseUrl, xBaseUrl: server.xBaseUrl });
    const report = await dispatchDuePosts(testDb(), { tenantId: t.tenantId, adapters, cipher, staleAfterMs: 0 });
    expect(report.schedules).toMatchObject([{ outcome: 'reconciled', attempt: 2 }]);
    const postId = (report.schedules[0]!.platforms.facebook as { postIds: string[] }).postIds[0];
    expect(postId).toMatch(/^facebook-acme_\d+$/);
    expect(publishes()).toHaveLength(1);
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/graph/v21.0/facebook-acme/posts' });
    const [row] = await query('SELECT status, platform_post_ids FROM campaign_schedules WHERE tenant_id = $1', [
      t.tenantId,
    ]);
    expect(row).toEqual({ status: 'posted', platform_post_ids: { facebook: postId } });
  });
});
