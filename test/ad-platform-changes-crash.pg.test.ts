// A delivery worker killed between Meta's answer and the commit of the confirmation: Meta has paused
// the campaign but the outbox row still says 'sending' and the ledger row 'applying'. The next
// worker must read Meta back, find the pause made, confirm it and not send it again.
// Deterministic with real processes: the test holds a lock on the campaign's platform link, which
// the confirmation updates and the claim and the call do not touch, so the child makes the call,
// then waits on the lock, and is SIGKILLed while it waits; its transaction never commits.
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../scripts/support/cli-process.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../src/ads/endpoints.ts';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import type { Database } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { executeActions } from '../src/ledger/execute.ts';
import { deliverPlatformChanges } from '../src/services/platform-changes.ts';
import { campaignState, createCampaign, createTenant } from './support/scenario.ts';
import { postgresTestUrl, useTestDb } from './support/test-db.ts';

const CHILD = join(import.meta.dirname, 'support', 'delivery-child.ts');
const KEY = randomBytes(32).toString('hex');
const cipher = createTokenCipher(KEY);
const META_TOKEN = `EAAB${'k'.repeat(60)}`;

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a delivery worker killed between the platform call and the ledger update (Postgres)', () => {
  const testDb = useTestDb();
  let meta: MetaGraphServer;
  let locker: Database;
  beforeAll(async () => {
    meta = await startMetaGraphServer({ tokens: [META_TOKEN] });
    locker = await openPostgres(postgresTestUrl(), { max: 1 });
  });
  afterAll(async () => {
    await meta?.close();
    await locker?.close();
  });
  const query = <T>(sql: string, params: unknown[]) => testDb().session((s) => s.query<T>(sql, params));

  it('applies the change once: the next worker reads Meta back and confirms without sending again', async () => {
    const t = await createTenant(testDb());
    const externalId = Array.from({ length: 12 }, () => randomInt(10)).join('');
    meta.addAdAccount({ id: externalId, currency: 'USD' });
    const object = meta.addCampaign(externalId, { status: 'ACTIVE', dailyBudget: '20000' });
    const [account] = await query<{ id: string }>(
      `INSERT INTO ad_accounts (tenant_id, platform, external_account_id, name, currency, credentials_ciphertext)
       VALUES ($1, 'meta', $2, 'Acme', 'USD', $3) RETURNING id`,
      [t.tenantId, externalId, cipher.encrypt(JSON.stringify({ access_token: META_TOKEN, ad_account_id: externalId }))],
    );
    const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
    await query(
      `INSERT INTO campaign_platform_links (tenant_id, campaign_id, ad_account_id, external_kind, external_id,
                                            platform_status, platform_daily_budget)
       VALUES ($1, $2, $3, 'meta_campaign', $4, 'ACTIVE', 20000)`,
      [t.tenantId, campaignId, account!.id, object.id],
    );
    const { recorded } = await testDb().transaction((s) =>
      executeActions(s, t.tenantId, { at: new Date(Date.now() - 60_000) }, [
        {
          campaignId,
          actionType: 'auto_pause',
          reason: 'test',
          previousState: { status: 'active', budget: 200 },
          newState: { status: 'paused', budget: 200 },
          status: 'executed',
        },
      ]),
    );
    const actionId = recorded[0]!.id;

    // Hold the link: the child's confirmation will wait on it, after Meta has answered.
    let unlock = () => {};
    const unlocked = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    const locked = Promise.withResolvers<void>();
    const lock = locker.transaction(async (s) => {
      await s.query('SELECT campaign_id FROM campaign_platform_links WHERE tenant_id = $1 FOR UPDATE', [t.tenantId]);
      locked.resolve();
      await unlocked;
    });
    await locked.promise;

    const applicationName = `delivery-child-${randomBytes(4).toString('hex')}`;
    const child = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: postgresTestUrl(),
        APPLICATION_NAME: applicationName,
        TENANT_ID: t.tenantId,
        META_BASE_URL: meta.baseUrl,
        ENCRYPTION_KEY: KEY,
      },
    });
    const exit = finished(child);
    const childBackend = await until('the child to wait on the lock', async () => {
      const [row] = await query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
        [applicationName],
      );
      return row?.pid;
    });
    // Meta made the change; the child dies before its confirmation commits.
    expect(meta.object(object.id)!.status).toBe('PAUSED');
    child.kill('SIGKILL');
    expect((await exit).code).toBeNull();
    unlock();
    await lock;
    await until('the child’s backend to end', async () => {
      const rows = await query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [childBackend]);
      return rows.length === 0 ? true : undefined;
    });

    const [left] = await query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM platform_changes WHERE tenant_id = $1',
      [t.tenantId],
    );
    expect(left).toEqual({ status: 'sending', attempts: 1 });
    const [pending] = await query<{ status: string }>('SELECT status FROM autonomous_actions WHERE id = $1', [
      actionId,
    ]);
    expect(pending!.status).toBe('applying');
    const sends = () => meta.calls.filter((c) => c.method === 'POST');
    expect(sends()).toHaveLength(1);

    const endpoints = { ...DEFAULT_AD_PLATFORM_ENDPOINTS, meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' } };
    const report = await deliverPlatformChanges(testDb(), { tenantId: t.tenantId, endpoints, cipher, staleAfterMs: 0 });
    expect(report.changes).toMatchObject([{ outcome: 'reconciled', attempt: 2 }]);
    expect(sends()).toHaveLength(1);
    expect(meta.calls.at(-1)).toMatchObject({ method: 'GET', path: `/v21.0/${object.id}` });
    const [done] = await query<{ status: string }>('SELECT status FROM autonomous_actions WHERE id = $1', [actionId]);
    expect(done!.status).toBe('executed');
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('paused');
  });
});
