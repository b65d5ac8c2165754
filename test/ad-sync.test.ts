// Stats in from the ad platforms (issue 24, point 3), against local servers that speak Meta's Graph
// API and Google Ads' REST API: connect, import, sync; the attribution window re-read so a late
// conversion revises its day while older days are not read again; the same sync twice changes
// nothing; money exact (Meta's decimal strings, Google's micros past 2^53); a 90-day backfill in
// chunks with its progress, resumed after a failure; a refused token (needs_reconnect, no rows);
// a rate limit recorded and retried; the hourly task over two tenants.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleAdsServer, startGoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import {
  type MetaGraphServer,
  metaFailures,
  startMetaGraphServer,
} from '../simulation/ad-platforms/meta-graph-server.ts';
import { type AdPlatformEndpoints, DEFAULT_AD_PLATFORM_ENDPOINTS } from '../src/ads/endpoints.ts';
import { decimalToMinor, MoneyError, minorToDecimal } from '../src/ads/money.ts';
import { googleStatRow, metaStatRow, moneyToCents, wholeConversions } from '../src/ads/platform-stats.ts';
import { addDays } from '../src/domain/day.ts';
import { findTask } from '../src/jobs/tasks.ts';
import { dayIn, type SyncProgress, syncAdAccount } from '../src/services/ad-sync.ts';
import { createTenant } from './support/scenario.ts';
import { testTaskDeps } from './support/task-deps.ts';
import {
  type ApiClient,
  apiClient,
  startTestApi,
  type TestApi,
  testAdPlatforms,
  tokenFor,
} from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const META_TOKEN = `EAAB${'s'.repeat(60)}`;
const PURCHASE = 'offsite_conversion.fb_pixel_purchase';

describe('rounding of platform figures', () => {
  it('keeps money to the cent and conversions whole, half to even, without a float', () => {
    expect(
      ['0.10', '0.1', '12.345', '12.355', '12.3450001', '5339.5', '0', '-3.2'].map((v) => moneyToCents(v)),
    ).toEqual(['0.10', '0.10', '12.34', '12.36', '12.35', '5339.50', '0.00', '0.00']);
    expect(['2.5', '3.5', '0.5', '1.4999', '1.5000001', '7', '-1'].map(wholeConversions)).toEqual([
      2, 4, 0, 1, 2, 7, 0,
    ]);
    expect(
      metaStatRow({
        level: 'adset',
        objectId: '9',
        campaignId: '8',
        adSetId: '9',
        date: '2026-11-01',
        spend: '0.105',
        impressions: '12',
        clicks: '3',
        conversions: '2.5',
        revenue: '10.015',
      }),
    ).toEqual({
      externalKind: 'meta_adset',
      externalId: '9',
      date: '2026-11-01',
      spend: '0.10',
      impressions: 12,
      clicks: 3,
      conversions: 2,
      revenue: '10.02',
    });
    expect(
      googleStatRow({
        campaignId: '7',
        date: '2026-11-01',
        costMicros: 9_007_199_254_740_993n,
        impressions: 5,
        clicks: 1,
        conversions: '3.5',
        conversionsValue: '0.125',
      }),
    ).toMatchObject({ spend: '9007199254.74', conversions: 4, revenue: '0.12' });
    // 15,000 micros is a cent and a half: to the even cent, 2; 25,000 micros to 2 as well.
    expect(googleStatRow({ ...googleRow(), costMicros: 15_000n }).spend).toBe('0.02');
    expect(googleStatRow({ ...googleRow(), costMicros: 25_000n }).spend).toBe('0.02');
  });
  it('takes amounts written to the cent as text, and answers exactly what the bigint path answers for any decimal', () => {
    expect(
      ['12', '0.07', '007.5', '0.5', '90071992547409.93', '123456789012345678901'].map((v) => moneyToCents(v)),
    ).toEqual(['12.00', '0.07', '7.50', '0.50', '90071992547409.93', '123456789012345678901.00']);
    expect(['0', '0123', '999999999999999', '1000000000000000'].map(wholeConversions)).toEqual([
      0, 123, 999_999_999_999_999, 1_000_000_000_000_000,
    ]);
    expect(() => wholeConversions('9007199254740993')).toThrow(MoneyError);
    const decimal = fc
      .tuple(fc.stringMatching(/^\d{1,20}$/), fc.option(fc.stringMatching(/^\d{1,6}$/)))
      .map(([whole, fraction]) => (fraction === null ? whole : `${whole}.${fraction}`));
    fc.assert(
      fc.property(decimal, (value) => {
        expect(moneyToCents(value)).toBe(minorToDecimal(decimalToMinor(value, 2, 'half-even'), 2));
        const whole = decimalToMinor(value, 0, 'half-even');
        if (whole <= BigInt(Number.MAX_SAFE_INTEGER)) expect(wholeConversions(value)).toBe(Number(whole));
      }),
    );
  });
});

function googleRow() {
  return {
    campaignId: '7',
    date: '2026-11-01',
    costMicros: 0n,
    impressions: 0,
    clicks: 0,
    conversions: '0',
    conversionsValue: '0',
  };
}

describe('ad account sync', () => {
  const testDb = useTestDb();
  let meta: MetaGraphServer;
  let google: GoogleAdsServer;
  let endpoints: AdPlatformEndpoints;
  let api: TestApi;

  beforeAll(async () => {
    meta = await startMetaGraphServer({ tokens: [META_TOKEN] });
    google = await startGoogleAdsServer({ batchSize: 50 });
    endpoints = {
      ...DEFAULT_AD_PLATFORM_ENDPOINTS,
      meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
      googleAds: { baseUrl: google.baseUrl, apiVersion: 'v26', oauthTokenUrl: google.tokenUrl },
      timeoutMs: 5_000,
    };
    api = await startTestApi(testDb(), { adEndpoints: endpoints });
  });
  afterAll(async () => {
    await api?.close();
    await meta?.close();
    await google?.close();
  });

  async function admin() {
    const t = await createTenant(testDb());
    return { t, client: apiClient(api, await tokenFor(testDb(), t.tenantId, 'admin')) };
  }

  function googleCredentials(customerId: string) {
    return {
      refresh_token: google.issueRefreshToken(),
      client_id: google.clientId,
      client_secret: google.clientSecret,
      developer_token: google.developerToken,
      customer_id: customerId,
    };
  }

  async function connect(client: ApiClient, body: object): Promise<string> {
    const connected = await client.post('/api/ad-accounts', body);
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const imported = await client.post(`/api/ad-accounts/${connected.body.id}/import`, {});
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    return connected.body.id;
  }

  /** The tenant's stored platform rows: title, day, channel, spend, impressions, clicks, conversions, revenue. */
  async function storedStats(tenantId: string) {
    const found = await testDb().session((s) =>
      s.query<Record<string, unknown>>(
        `SELECT c.title, d.stat_date::text AS day, d.channel, d.spend::text AS spend, d.impressions::int AS impressions,
                d.clicks::int AS clicks, d.conversions::int AS conversions, d.revenue::text AS revenue
           FROM campaign_channel_stats_daily d JOIN campaigns c ON c.tenant_id = d.tenant_id AND c.id = d.campaign_id
          WHERE d.tenant_id = $1 ORDER BY c.title, d.stat_date`,
        [tenantId],
      ),
    );
    return found.map((r) => Object.values(r));
  }

  it('connects, imports and syncs a Meta account: campaigns and ad sets, exact money, unlinked entities counted', async () => {
    const { t, client } = await admin();
    const tz = 'Asia/Tokyo';
    const today = dayIn(tz, new Date());
    const d1 = addDays(today, -1);
    const d2 = addDays(today, -2);
    meta.addAdAccount({ id: '6100001', name: 'Shop', currency: 'EUR', timezoneName: tz });
    const brand = meta.addCampaign('6100001', { name: 'Brand', dailyBudget: '5000' });
    const prospecting = meta.addCampaign('6100001', { name: 'Prospecting' });
    const lookalike = meta.addAdSet('6100001', prospecting.id, { name: 'Lookalike', dailyBudget: '2000' });
    meta.setDay(brand.id, d2, {
      spend: '0.10',
      impressions: '100',
      clicks: '4',
      actions: { [PURCHASE]: '2.5', link_click: '4' },
      actionValues: { [PURCHASE]: '10.005' },
    });
    meta.setDay(brand.id, d1, { spend: '0.20', impressions: 50, clicks: 1, actions: { [PURCHASE]: '3.5' } });
    meta.setDay(lookalike.id, d1, {
      spend: '5339.5',
      impressions: 9000,
      clicks: 90,
      actionValues: { [PURCHASE]: '1' },
    });
    const id = await connect(client, {
      platform: 'meta',
      credentials: { access_token: META_TOKEN, ad_account_id: '6100001' },
    });
    // Made after the import: not linked, so its figures are not stored.
    const later = meta.addCampaign('6100001', { name: 'Later', dailyBudget: '100' });
    meta.setDay(later.id, d1, { spend: '1.00' });

    const synced = await client.post(`/api/ad-accounts/${id}/sync`, {});
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body).toMatchObject({
      from: addDays(today, -89),
      to: today,
      days: 90,
      chunks: 9,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      unlinked_entities: 1,
      unlinked_rows: 1,
    });
    expect(synced.body.account.sync).toMatchObject({
      last_error: null,
      backfill: { from: addDays(today, -89), through: today, done: true },
    });
    expect(synced.body.account.sync.last_synced_at).not.toBeNull();
    expect(await storedStats(t.tenantId)).toEqual([
      ['Brand', d2, 'meta', '0.10', 100, 4, 2, '10.00'],
      ['Brand', d1, 'meta', '0.20', 50, 1, 4, '0.00'],
      ['Prospecting / Lookalike', d1, 'meta', '5339.50', 9000, 90, 0, '1.00'],
    ]);
    const [total] = await testDb().session((s) =>
      s.query<{ spend: string }>(
        `SELECT sum(spend)::text AS spend FROM campaign_channel_stats_daily WHERE tenant_id = $1 AND channel = 'meta'
            AND campaign_id IN (SELECT campaign_id FROM campaign_platform_links WHERE tenant_id = $1 AND external_id = $2)`,
        [t.tenantId, brand.id],
      ),
    );
    expect(total!.spend).toBe('0.30');
    // Insights at both levels, in days of the account's time zone.
    const levels = new Set(meta.calls.filter((c) => c.path.endsWith('/insights')).map((c) => c.query.level));
    expect(levels).toEqual(new Set(['campaign', 'adset']));
  });

  it('re-reads the attribution window: a late conversion revises its day, an older day is not read again, the same sync twice changes nothing', async () => {
    const { t, client } = await admin();
    const tz = 'America/New_York';
    const today = dayIn(tz, new Date());
    google.world.addCustomer({ id: '6200000001', currencyCode: 'USD', timeZone: tz });
    const search = google.world.addCampaign('6200000001', { name: 'Search' });
    const stat = (date: string, conversions: number, value: number) => ({
      date,
      costMicros: 1_230_000n,
      impressions: 10,
      clicks: 2,
      conversions,
      conversionsValue: value,
    });
    const inWindow = addDays(today, -2);
    const outside = addDays(today, -20);
    google.world.setStat('6200000001', search.id, stat(inWindow, 1, 10));
    google.world.setStat('6200000001', search.id, stat(outside, 1, 10));
    const id = await connect(client, { platform: 'google_ads', credentials: googleCredentials('6200000001') });

    const first = await client.post(`/api/ad-accounts/${id}/sync`, {});
    expect(first.body).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, days: 90 });

    const again = await client.post(`/api/ad-accounts/${id}/sync`, {});
    expect(again.body).toMatchObject({
      from: addDays(today, -6),
      to: today,
      days: 7,
      chunks: 1,
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });

    // Conversions arrive late on the platform, for both days.
    google.world.setStat('6200000001', search.id, stat(inWindow, 3, 45.5));
    google.world.setStat('6200000001', search.id, stat(outside, 5, 99));
    google.resetCalls();
    const revised = await client.post(`/api/ad-accounts/${id}/sync`, {});
    expect(revised.body).toMatchObject({ inserted: 0, updated: 1, unchanged: 0, days: 7 });
    // The stats' reads (the sync also reads the campaigns' status and budget, in a query of its own).
    const queries = google
      .callsOf('searchStream')
      .map((c) => c.gaql ?? '')
      .filter((gaql) => gaql.includes('segments.date'));
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain(`BETWEEN '${addDays(today, -6)}' AND '${today}'`);
    expect(await storedStats(t.tenantId)).toEqual([
      ['Search', outside, 'google_ads', '1.23', 10, 2, 1, '10.00'],
      ['Search', inWindow, 'google_ads', '1.23', 10, 2, 3, '45.50'],
    ]);

    // Asked for by hand, the older day is read again; the backfill's record does not move.
    const byHand = await client.post(`/api/ad-accounts/${id}/sync`, { from: outside, to: outside });
    expect(byHand.body).toMatchObject({ from: outside, to: outside, days: 1, updated: 1 });
    expect((await storedStats(t.tenantId))[0]).toEqual(['Search', outside, 'google_ads', '1.23', 10, 2, 5, '99.00']);
    const tooLong = await client.post(`/api/ad-accounts/${id}/sync`, { from: addDays(today, -90), to: today });
    expect(tooLong.status).toBe(422);
    const reversed = await client.post(`/api/ad-accounts/${id}/sync`, { from: today, to: addDays(today, -1) });
    expect(reversed.status).toBe(422);
  });

  it('stores Google cost micros exactly, sums past 2^53 micros included', async () => {
    const { t, client } = await admin();
    const tz = 'UTC';
    const today = dayIn(tz, new Date());
    google.world.addCustomer({ id: '6300000001', currencyCode: 'USD', timeZone: tz });
    const big = google.world.addCampaign('6300000001', { name: 'Big' });
    // 2^52 + 1 micros a day, three days: 3 × 4,503,599,627.370497 units, each day to the cent.
    for (const back of [1, 2, 3]) {
      google.world.setStat('6300000001', big.id, {
        date: addDays(today, -back),
        costMicros: 4_503_599_627_370_497n,
        impressions: 1,
        clicks: 1,
        conversions: 0.5,
        conversionsValue: 0.375,
      });
    }
    const id = await connect(client, { platform: 'google_ads', credentials: googleCredentials('6300000001') });
    const synced = await client.post(`/api/ad-accounts/${id}/sync`, {});
    expect(synced.body).toMatchObject({ inserted: 3 });
    const rows = await storedStats(t.tenantId);
    expect(rows.map((r) => [r[3], r[6], r[7]])).toEqual([
      ['4503599627.37', 0, '0.38'],
      ['4503599627.37', 0, '0.38'],
      ['4503599627.37', 0, '0.38'],
    ]);
    const [total] = await testDb().session((s) =>
      s.query<{ spend: string }>(
        `SELECT sum(spend)::text AS spend FROM campaign_channel_stats_daily WHERE tenant_id = $1`,
        [t.tenantId],
      ),
    );
    expect(total!.spend).toBe('13510798882.11');
  });

  it('backfills 90 days in chunks with its progress, and resumes where a failure stopped it', async () => {
    const { t, client } = await admin();
    const tz = 'Europe/Berlin';
    const today = dayIn(tz, new Date());
    google.world.addCustomer({ id: '6400000001', currencyCode: 'EUR', timeZone: tz });
    google.world.seed('6400000001', { campaigns: 4, days: 90, lastDate: today, seed: 7 });
    const id = await connect(client, { platform: 'google_ads', credentials: googleCredentials('6400000001') });
    const deps = testAdPlatforms(endpoints);

    // The fourth chunk's read fails: three chunks are stored and recorded.
    google.resetCalls();
    google.failNext({ unavailable: true }, { on: 'searchStream', skip: 3 });
    const seen: SyncProgress[] = [];
    await expect(
      syncAdAccount(testDb(), deps, t.tenantId, id, { onProgress: (p) => seen.push(p) }),
    ).rejects.toMatchObject({ name: 'UpstreamUnavailableError' });
    const from = addDays(today, -89);
    expect(seen.map((p) => [p.through, p.daysDone, p.daysTotal])).toEqual([
      [addDays(from, 9), 10, 90],
      [addDays(from, 19), 20, 90],
      [addDays(from, 29), 30, 90],
    ]);
    const stopped = (await client.get(`/api/ad-accounts/${id}`)).body;
    expect(stopped.status).toBe('connected');
    expect(stopped.sync).toMatchObject({
      backfill: { from, through: addDays(from, 29), done: false, days_done: 30, days_total: 90 },
    });
    expect(stopped.sync.last_error).toMatch(/Google Ads/);
    expect(await storedStats(t.tenantId)).toHaveLength(4 * 30);

    const resumed: SyncProgress[] = [];
    google.resetCalls();
    const result = await syncAdAccount(testDb(), deps, t.tenantId, id, { onProgress: (p) => resumed.push(p) });
    expect(result).toMatchObject({ from: addDays(from, 30), to: today, days: 60, chunks: 6, inserted: 4 * 60 });
    expect(resumed.at(-1)).toMatchObject({ through: today, daysDone: 60, daysTotal: 60 });
    expect(google.callsOf('searchStream')[0]!.gaql).toContain(
      `BETWEEN '${addDays(from, 30)}' AND '${addDays(from, 39)}'`,
    );
    expect(result.account.sync).toMatchObject({
      last_error: null,
      backfill: { from, through: today, done: true, days_done: 90, days_total: 90 },
    });
    expect(await storedStats(t.tenantId)).toHaveLength(4 * 90);
  });

  it('stores a Meta chunk as its pages arrive: a failure on its second page keeps what was stored, and the resumed sync reads it again unchanged', async () => {
    const { t, client } = await admin();
    const today = dayIn('UTC', new Date());
    meta.addAdAccount({ id: '6800001', currency: 'USD', timezoneName: 'UTC' });
    // 60 campaigns × 10 days: the backfill's last chunk, two pages of insights (500 rows and 100).
    meta.seedPortfolio({
      accountId: '6800001',
      campaigns: 60,
      days: 10,
      firstDay: addDays(today, -9),
      conversionAction: PURCHASE,
    });
    const id = await connect(client, {
      platform: 'meta',
      credentials: { access_token: META_TOKEN, ad_account_id: '6800001' },
    });
    const deps = testAdPlatforms(endpoints);

    // Eight empty chunks, the last chunk's first page (stored in upserts of 200 rows as it
    // arrives, 100 left over), then its second page fails.
    meta.resetScripts();
    meta.failNext(metaFailures.transient(), { skip: 9 });
    await expect(syncAdAccount(testDb(), deps, t.tenantId, id, { batchRows: 200 })).rejects.toMatchObject({
      name: 'UpstreamUnavailableError',
    });
    expect(meta.calls.filter((c) => c.path.endsWith('/insights')).map((c) => c.status)).toEqual([
      ...Array(9).fill(200),
      500,
    ]);
    expect(await storedStats(t.tenantId)).toHaveLength(400);
    const stopped = (await client.get(`/api/ad-accounts/${id}`)).body;
    expect(stopped.sync.backfill).toMatchObject({ through: addDays(today, -10), done: false });

    const resumed = await syncAdAccount(testDb(), deps, t.tenantId, id, { batchRows: 200 });
    expect(resumed).toMatchObject({ from: addDays(today, -9), chunks: 1, inserted: 200, updated: 0, unchanged: 400 });
    expect(resumed.account.sync.backfill).toMatchObject({ through: today, done: true });
    expect(await storedStats(t.tenantId)).toHaveLength(600);
  });

  it('an expired token marks the account needs_reconnect and stores nothing; a rate limit is recorded and retried', async () => {
    const token = `EAAB${'e'.repeat(60)}`;
    const local = await startMetaGraphServer({ tokens: [token, META_TOKEN] });
    const localEndpoints = { ...endpoints, meta: { baseUrl: local.baseUrl, apiVersion: 'v21.0' } };
    const own = await startTestApi(testDb(), { adEndpoints: localEndpoints });
    try {
      const t = await createTenant(testDb());
      const client = apiClient(own, await tokenFor(testDb(), t.tenantId, 'admin'));
      const today = dayIn('America/Los_Angeles', new Date());
      for (const [accountId, accessToken] of [
        ['6500001', token],
        ['6500002', META_TOKEN],
      ] as const) {
        local.addAdAccount({ id: accountId, currency: 'USD' });
        const campaign = local.addCampaign(accountId, { name: `Campaign ${accountId}`, dailyBudget: '1000' });
        local.setDay(campaign.id, addDays(today, -1), { spend: '3.00', impressions: 30 });
        await connect(client, {
          platform: 'meta',
          credentials: { access_token: accessToken, ad_account_id: accountId },
        });
      }
      const [expiring, limited] = (await client.get('/api/ad-accounts')).body.data.map((a: { id: string }) => a.id);

      local.expireToken(token);
      const refused = await client.post(`/api/ad-accounts/${expiring}/sync`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.detail).not.toContain(token);
      const account = (await client.get(`/api/ad-accounts/${expiring}`)).body;
      expect(account).toMatchObject({ status: 'needs_reconnect' });
      expect(account.sync.last_error).toMatch(/^Meta: /);
      expect(account.sync.last_synced_at).toBeNull();
      expect(await storedStats(t.tenantId)).toEqual([]);
      // Until it is reconnected, a sync is refused without calling Meta.
      const before = local.calls.length;
      expect((await client.post(`/api/ad-accounts/${expiring}/sync`, {})).status).toBe(409);
      expect(local.calls.length).toBe(before);

      local.rateLimitNext({ code: 80000, regainMinutes: 3 });
      const limitedAnswer = await client.post(`/api/ad-accounts/${limited}/sync`, {});
      expect(limitedAnswer.status).toBe(502);
      const waiting = (await client.get(`/api/ad-accounts/${limited}`)).body;
      expect(waiting.status).toBe('connected');
      expect(waiting.sync.last_error).toMatch(/Meta/);
      const retried = await client.post(`/api/ad-accounts/${limited}/sync`, {});
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ inserted: 1, account: { sync: { last_error: null } } });
    } finally {
      await own.close();
      await local.close();
    }
  });

  it('the hourly ad-sync task syncs every connected account of each tenant it runs for', async () => {
    const [schedule] = await testDb().session((s) =>
      s.query<{ task: string; cron: string }>(`SELECT task, cron FROM job_schedules WHERE name = 'ad-sync'`),
    );
    expect(schedule).toEqual({ task: 'ad-sync', cron: '50 * * * *' });

    const tenants = [await admin(), await admin()];
    const today = dayIn('UTC', new Date());
    for (const [i, { client }] of tenants.entries()) {
      const customerId = `660000000${i}`;
      google.world.addCustomer({ id: customerId, timeZone: 'UTC' });
      google.world.seed(customerId, { campaigns: 2 + i, days: 5, lastDate: today, seed: i + 1 });
      await connect(client, { platform: 'google_ads', credentials: googleCredentials(customerId) });
    }
    const deps = { ...testTaskDeps(testDb()), adPlatforms: testAdPlatforms(endpoints) };
    const task = findTask('ad-sync')!;
    for (const [i, { t }] of tenants.entries()) {
      const result = (await task.run(deps, t.tenantId, {})) as { accounts: { ok: boolean; inserted: number }[] };
      expect(result.accounts).toEqual([
        expect.objectContaining({ ok: true, inserted: (2 + i) * 5, backfill_done: true }),
      ]);
      expect(await storedStats(t.tenantId)).toHaveLength((2 + i) * 5);
    }
    // The next hour: the window again, unchanged.
    const next = (await task.run(deps, tenants[0]!.t.tenantId, {})) as { accounts: { unchanged: number }[] };
    expect(next.accounts[0]).toMatchObject({ ok: true, inserted: 0, updated: 0, unchanged: 10 });
  });
});
