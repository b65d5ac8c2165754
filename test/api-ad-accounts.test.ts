// Connecting ad accounts over HTTP, against local servers that speak Meta's Graph API and Google
// Ads' REST API: the platform is asked first, its refusal stores nothing and is answered in its
// words, credentials are stored encrypted and never answered, and a test of the connection records
// how the account stands (a revoked token: needs_reconnect).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleAdsServer, startGoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { metaClientFor } from '../src/ads/clients.ts';
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../src/ads/endpoints.ts';
import { createTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const META_TOKEN = `EAAB${'x'.repeat(60)}`;

describe('/api/ad-accounts', () => {
  const testDb = useTestDb();
  let meta: MetaGraphServer;
  let google: GoogleAdsServer;
  let api: TestApi;

  beforeAll(async () => {
    meta = await startMetaGraphServer({ tokens: [META_TOKEN] });
    google = await startGoogleAdsServer();
    api = await startTestApi(testDb(), {
      adEndpoints: {
        ...DEFAULT_AD_PLATFORM_ENDPOINTS,
        meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
        googleAds: { baseUrl: google.baseUrl, apiVersion: 'v26', oauthTokenUrl: google.tokenUrl },
        timeoutMs: 5_000,
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    await meta?.close();
    await google?.close();
  });

  async function clients() {
    const t = await createTenant(testDb());
    const as = async (role: 'viewer' | 'member' | 'admin') =>
      apiClient(api, await tokenFor(testDb(), t.tenantId, role));
    return { t, viewer: await as('viewer'), member: await as('member'), admin: await as('admin') };
  }

  it('connects a Meta account with the name and currency Meta gives, and never answers the token', async () => {
    const { t, viewer, member, admin } = await clients();
    meta.addAdAccount({ id: '1234567890', name: 'Acme EU', currency: 'EUR', timezoneName: 'Europe/Berlin' });
    const body = {
      platform: 'meta',
      credentials: { access_token: META_TOKEN, ad_account_id: 'act_1234567890' },
      settings: { conversion_action: 'offsite_conversion.fb_pixel_lead' },
    };
    expect((await member.post('/api/ad-accounts', body)).status).toBe(403);

    const connected = await admin.post('/api/ad-accounts', body);
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    expect(connected.body).toMatchObject({
      platform: 'meta',
      external_account_id: '1234567890',
      name: 'Acme EU',
      currency: 'EUR',
      time_zone: 'Europe/Berlin',
      status: 'connected',
      settings: { attribution_window_days: 7, conversion_action: 'offsite_conversion.fb_pixel_lead' },
    });
    expect(JSON.stringify(connected.body)).not.toContain(META_TOKEN);

    const listed = await viewer.get('/api/ad-accounts');
    expect(listed.body.data.map((a: { id: string }) => a.id)).toEqual([connected.body.id]);
    expect(JSON.stringify(listed.body)).not.toContain(META_TOKEN);
    // At rest, the token is a ciphertext.
    const [stored] = await testDb().session((s) =>
      s.query<{ credentials_ciphertext: string }>(
        'SELECT credentials_ciphertext FROM ad_accounts WHERE tenant_id = $1',
        [t.tenantId],
      ),
    );
    expect(stored!.credentials_ciphertext).toMatch(/^v1\./);
    expect(stored!.credentials_ciphertext).not.toContain(META_TOKEN);

    // Connecting again replaces the settings, and keeps one account.
    const again = await admin.post('/api/ad-accounts', { ...body, settings: { attribution_window_days: 14 } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: connected.body.id, settings: { attribution_window_days: 14 } });
  });

  it('stores nothing Meta refused, and says why in Meta’s words', async () => {
    const { admin, viewer } = await clients();
    meta.addAdAccount({ id: '5550001' });
    const refused = await admin.post('/api/ad-accounts', {
      platform: 'meta',
      credentials: { access_token: `EAAB${'y'.repeat(60)}`, ad_account_id: '5550001' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/^Meta refused the connection: Meta: /);
    expectFieldError(refused, 'credentials');
    expect((await viewer.get('/api/ad-accounts')).body.data).toEqual([]);

    meta.failTransient(5);
    const down = await admin.post('/api/ad-accounts', {
      platform: 'meta',
      credentials: { access_token: META_TOKEN, ad_account_id: '5550001' },
    });
    meta.resetScripts();
    expect(down.status).toBe(502);
    expect(down.body.detail).toMatch(/Meta/);
    expect((await viewer.get('/api/ad-accounts')).body.data).toEqual([]);
  });

  it('names the field of a malformed request and calls no platform', async () => {
    const { admin } = await clients();
    const before = meta.calls.length;
    for (const [body, field] of [
      [
        { platform: 'meta', credentials: { access_token: META_TOKEN, ad_account_id: 'acme' } },
        'credentials.ad_account_id',
      ],
      [{ platform: 'meta', credentials: { ad_account_id: '1' } }, 'credentials.access_token'],
      [{ platform: 'tiktok', credentials: {} }, 'platform'],
      [
        {
          platform: 'google_ads',
          credentials: {
            refresh_token: google.issueRefreshToken(),
            client_id: google.clientId,
            client_secret: google.clientSecret,
            developer_token: google.developerToken,
            customer_id: '123-456-789',
          },
        },
        'credentials.customer_id',
      ],
      [
        {
          platform: 'meta',
          credentials: { access_token: META_TOKEN, ad_account_id: '1' },
          settings: { attribution_window_days: 0 },
        },
        'settings.attribution_window_days',
      ],
    ] as const) {
      const answer = await admin.post('/api/ad-accounts', body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expectFieldError(answer, field);
    }
    expect(meta.calls.length).toBe(before);
  });

  it('connects a Google Ads account through a manager, and a revoked refresh token makes it needs_reconnect', async () => {
    const { admin, viewer } = await clients();
    google.world.addCustomer({ id: '9990001111', managerId: '5550002222' });
    google.world.addCustomer({
      id: '1230004567',
      descriptiveName: 'Acme Search',
      currencyCode: 'JPY',
      timeZone: 'Asia/Tokyo',
      managerId: '9990001111',
    });
    const refreshToken = google.issueRefreshToken();
    const connected = await admin.post('/api/ad-accounts', {
      platform: 'google_ads',
      credentials: {
        refresh_token: refreshToken,
        client_id: google.clientId,
        client_secret: google.clientSecret,
        developer_token: google.developerToken,
        customer_id: '123-000-4567',
        login_customer_id: '999-000-1111',
      },
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    expect(connected.body).toMatchObject({
      platform: 'google_ads',
      external_account_id: '1230004567',
      name: 'Acme Search',
      currency: 'JPY',
      time_zone: 'Asia/Tokyo',
    });
    expect(JSON.stringify(connected.body)).not.toContain(refreshToken);

    const tested = await admin.post(`/api/ad-accounts/${connected.body.id}/test`);
    expect(tested.body).toMatchObject({ ok: true, error: null, account: { status: 'connected' } });

    google.revokeRefreshToken(refreshToken);
    const refused = await admin.post(`/api/ad-accounts/${connected.body.id}/test`);
    expect(refused.status).toBe(200);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/^Google Ads: /);
    expect(refused.body.account).toMatchObject({ status: 'needs_reconnect', status_reason: refused.body.error });
    expect((await viewer.get(`/api/ad-accounts/${connected.body.id}`)).body.status).toBe('needs_reconnect');
  });

  it('tests a Meta connection again: a renamed account is renamed, an expired token needs a reconnect', async () => {
    const { admin } = await clients();
    const token = `EAAB${'z'.repeat(60)}`;
    const local = await startMetaGraphServer({ tokens: [token] });
    try {
      // This test's own server: it expires the token without touching the other tests'.
      const own = await startTestApi(testDb(), {
        adEndpoints: {
          ...DEFAULT_AD_PLATFORM_ENDPOINTS,
          meta: { baseUrl: local.baseUrl, apiVersion: 'v21.0' },
          timeoutMs: 5_000,
        },
      });
      try {
        const { t } = await clients();
        const client = apiClient(own, await tokenFor(testDb(), t.tenantId, 'admin'));
        local.addAdAccount({ id: '777', name: 'Before', currency: 'USD' });
        const connected = await client.post('/api/ad-accounts', {
          platform: 'meta',
          credentials: { access_token: token, ad_account_id: '777' },
        });
        expect(connected.status).toBe(201);
        local.addAdAccount({ id: '777', name: 'After', currency: 'USD' });
        const renamed = await client.post(`/api/ad-accounts/${connected.body.id}/test`);
        expect(renamed.body).toMatchObject({ ok: true, account: { name: 'After' } });

        local.expireToken(token);
        const expired = await client.post(`/api/ad-accounts/${connected.body.id}/test`);
        expect(expired.body).toMatchObject({ ok: false, account: { status: 'needs_reconnect' } });
        expect(expired.body.error).not.toContain(token);

        const gone = await client.delete(`/api/ad-accounts/${connected.body.id}`);
        expect(gone.body).toMatchObject({ status: 'disconnected' });
        const afterDisconnect = await client.post(`/api/ad-accounts/${connected.body.id}/test`);
        expect(afterDisconnect.status).toBe(409);
        expect(afterDisconnect.body.detail).toMatch(/disconnected/);
      } finally {
        await own.close();
      }
    } finally {
      await local.close();
    }
    // Another tenant's account is not there.
    expect((await admin.get('/api/ad-accounts')).body.data).toEqual([]);
  });

  it('imports Meta campaigns, and ad sets where the budget lives, exactly; a second import follows the platform', async () => {
    const { t, admin } = await clients();
    meta.addAdAccount({ id: '4440001', name: 'Shop', currency: 'EUR' });
    const cbo = meta.addCampaign('4440001', { name: 'Brand', status: 'ACTIVE', dailyBudget: '5000' });
    const byAdSet = meta.addCampaign('4440001', { name: 'Prospecting', status: 'ACTIVE' });
    const open = meta.addAdSet('4440001', byAdSet.id, { name: 'Lookalike', status: 'ACTIVE', dailyBudget: '2501' });
    const stopped = meta.addAdSet('4440001', byAdSet.id, { name: 'Interests', status: 'PAUSED', dailyBudget: '1000' });
    meta.addCampaign('4440001', { name: 'Old', status: 'ARCHIVED', dailyBudget: '900' });
    const account = await admin.post('/api/ad-accounts', {
      platform: 'meta',
      credentials: { access_token: META_TOKEN, ad_account_id: '4440001' },
    });

    const first = await admin.post(`/api/ad-accounts/${account.body.id}/import`, {});
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ refreshed: 0, moved_on_platform: 0, skipped_archived: 1 });
    expect(first.body.created_campaign_ids).toHaveLength(3);
    const imported = await linkedCampaigns(t.tenantId);
    expect(imported).toEqual([
      ['Brand', 'active', '50.00', 'EUR', false, ['meta'], 'meta_campaign', cbo.id, '5000'],
      ['Prospecting / Interests', 'paused', '10.00', 'EUR', false, ['meta'], 'meta_adset', stopped.id, '1000'],
      ['Prospecting / Lookalike', 'active', '25.01', 'EUR', false, ['meta'], 'meta_adset', open.id, '2501'],
    ]);

    // Someone raises a budget and renames a campaign in Ads Manager.
    const adsManager = metaClientFor(
      { ...DEFAULT_AD_PLATFORM_ENDPOINTS, meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' } },
      { access_token: META_TOKEN, ad_account_id: '4440001' },
    );
    await adsManager.updateObject(open.id, { dailyBudget: '3000' });
    const again = await admin.post(`/api/ad-accounts/${account.body.id}/import`, {});
    expect(again.body).toMatchObject({ created_campaign_ids: [], refreshed: 3, moved_on_platform: 1 });
    expect((await linkedCampaigns(t.tenantId))[2]).toEqual([
      'Prospecting / Lookalike',
      'active',
      '30.00',
      'EUR',
      false,
      ['meta'],
      'meta_adset',
      open.id,
      '3000',
    ]);
    // Recorded in the ledger as a change made outside Nightshift, listed like any action.
    const external = await admin.get('/api/actions?action_type=external_change');
    expect(external.status).toBe(200);
    expect(external.body.data).toMatchObject([
      {
        campaign_title: 'Prospecting / Lookalike',
        action_type: 'external_change',
        status: 'executed',
        decided_by: null,
        previous_state: { status: 'active', budget: '25.01' },
        new_state: { status: 'active', budget: '30.00' },
        reason: 'Changed on Meta outside Nightshift: daily budget 25.01 → 30.00 EUR',
      },
    ]);
  });

  it('imports Google Ads campaigns with their budgets in micros, rounded to the cent half to even', async () => {
    const { t, admin } = await clients();
    google.world.addCustomer({ id: '3330004444', currencyCode: 'USD' });
    google.world.addCampaign('3330004444', { name: 'Search', budgetMicros: 12_345_678n });
    google.world.addCampaign('3330004444', { name: 'Display', status: 'PAUSED', budgetMicros: 10_005_000n });
    const account = await admin.post('/api/ad-accounts', {
      platform: 'google_ads',
      credentials: {
        refresh_token: google.issueRefreshToken(),
        client_id: google.clientId,
        client_secret: google.clientSecret,
        developer_token: google.developerToken,
        customer_id: '3330004444',
      },
    });
    const imported = await admin.post(`/api/ad-accounts/${account.body.id}/import`, {});
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const rows = await linkedCampaigns(t.tenantId);
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['Display', 'paused', '10.00', 'USD'],
      ['Search', 'active', '12.35', 'USD'],
    ]);
    expect(rows.map((r) => r[8])).toEqual(['10005000', '12345678']);
  });

  /** The tenant's linked campaigns by title: title, status, budget, currency, autopilot, channels, kind, external id, platform budget. */
  async function linkedCampaigns(tenantId: string) {
    const found = await testDb().session((s) =>
      s.query<Record<string, unknown>>(
        `SELECT c.title, c.status, c.budget::text AS budget, c.currency, c.autopilot_enabled, c.channels,
                l.external_kind, l.external_id, l.platform_daily_budget::text AS platform_budget
           FROM campaigns c JOIN campaign_platform_links l ON l.tenant_id = c.tenant_id AND l.campaign_id = c.id
          WHERE c.tenant_id = $1 ORDER BY c.title`,
        [tenantId],
      ),
    );
    return found.map((r) => Object.values(r));
  }
});
