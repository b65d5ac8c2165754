// Connecting ad accounts by consent (OAuth authorization code), against the local Meta (Facebook
// Login: dialog, /oauth/access_token, fb_exchange_token) and Google (consent page, token endpoint)
// stand-ins: the state is single-use, expires, belongs to its tenant and its browser; a code the
// platform refuses is answered in the platform's words; codes and tokens never reach a URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleAdsServer, startGoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../src/ads/endpoints.ts';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { comeBack, consent as startConsent } from './support/consent.ts';
import { createTenant } from './support/scenario.ts';
import {
  type ApiClient,
  apiClient,
  startTestApi,
  TEST_ENCRYPTION_KEY,
  type TestApi,
  tokenFor,
} from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('/api/ad-accounts/oauth', () => {
  const testDb = useTestDb();
  let meta: MetaGraphServer;
  let google: GoogleAdsServer;
  let api: TestApi;
  let bare: TestApi;

  beforeAll(async () => {
    meta = await startMetaGraphServer({ tokens: ['EAAB-never-used-0123456789'] });
    google = await startGoogleAdsServer();
    const adEndpoints = {
      ...DEFAULT_AD_PLATFORM_ENDPOINTS,
      meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
      googleAds: { baseUrl: google.baseUrl, apiVersion: 'v26', oauthTokenUrl: google.tokenUrl },
      timeoutMs: 5_000,
    };
    api = await startTestApi(testDb(), {
      adEndpoints,
      adOAuth: {
        meta: { appId: meta.appId, appSecret: meta.appSecret, dialogOrigin: meta.dialogOrigin },
        google: {
          clientId: google.clientId,
          clientSecret: google.clientSecret,
          developerToken: google.developerToken,
          authorizationUrl: google.authorizationUrl,
        },
      },
    });
    bare = await startTestApi(testDb(), { adEndpoints });
  });
  afterAll(async () => {
    await api?.close();
    await bare?.close();
    await meta?.close();
    await google?.close();
  });

  async function clients() {
    const t = await createTenant(testDb());
    const adminId = crypto.randomUUID();
    const as = async (role: 'viewer' | 'member' | 'admin') =>
      apiClient(api, await tokenFor(testDb(), t.tenantId, role, role === 'admin' ? adminId : undefined));
    return { t, adminId, viewer: await as('viewer'), member: await as('member'), admin: await as('admin') };
  }

  const consent = (admin: ApiClient, platform: 'meta' | 'google_ads', body: object) =>
    startConsent(admin, `/api/ad-accounts/oauth/${platform}/start`, body);

  it('connects a Meta account: dialog, code, long-lived token, and the state is single-use', async () => {
    const { t, adminId, viewer, member, admin } = await clients();
    meta.addAdAccount({ id: '7770001', name: 'Acme Social', currency: 'EUR', timezoneName: 'Europe/Paris' });
    const campaign = meta.addCampaign('7770001', { name: 'Retargeting', status: 'ACTIVE', dailyBudget: '2500' });
    const body = { ad_account_id: 'act_7770001', settings: { conversion_action: 'offsite_conversion.fb_pixel_lead' } };
    expect((await member.post('/api/ad-accounts/oauth/meta/start', body)).status).toBe(403);
    expect((await viewer.post('/api/ad-accounts/oauth/meta/start', body)).status).toBe(403);

    const { started, cookie, callback } = await consent(admin, 'meta', body);
    const dialog = new URL(started.authorization_url);
    expect(dialog.pathname).toBe('/v21.0/dialog/oauth');
    expect(dialog.searchParams.get('client_id')).toBe(meta.appId);
    expect(dialog.searchParams.get('scope')).toBe('ads_read,ads_management');
    expect(dialog.searchParams.get('redirect_uri')).toBe(`${api.url}/api/ad-accounts/oauth/meta/callback`);
    expect(dialog.searchParams.get('state')).toMatch(new RegExp(`^${t.tenantId}\\.`));
    expect(started.authorization_url).not.toContain(meta.appSecret);

    const back = await comeBack(callback, cookie);
    expect(back.status).toBe(303);
    expect(back.location).toMatch(/^\/#\/ad-accounts\/connected\/[0-9a-f-]{36}$/);
    expect(back.answer.headers.get('cache-control')).toBe('no-store');
    expect(back.answer.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const id = back.location.split('/').at(-1)!;

    // The short-lived token was exchanged for a long-lived one, the one kept.
    const exchanges = meta.calls.filter((call) => call.path === '/v21.0/oauth/access_token');
    expect(exchanges.map((call) => call.body.grant_type ?? 'code')).toEqual(['code', 'fb_exchange_token']);
    expect(exchanges.every((call) => Object.keys(call.query).length === 0)).toBe(true);
    const longLived = meta.issuedTokens.at(-1)!;
    const [stored] = await testDb().session((s) =>
      s.query<{ credentials_ciphertext: string; connected_by: string }>(
        'SELECT credentials_ciphertext, connected_by FROM ad_accounts WHERE tenant_id = $1 AND id = $2',
        [t.tenantId, id],
      ),
    );
    expect(JSON.parse(createTokenCipher(TEST_ENCRYPTION_KEY).decrypt(stored!.credentials_ciphertext))).toMatchObject({
      access_token: longLived,
      ad_account_id: '7770001',
    });
    expect(stored!.connected_by).toBe(adminId);
    const listed = await viewer.get('/api/ad-accounts');
    expect(listed.body.data).toMatchObject([
      {
        id,
        platform: 'meta',
        name: 'Acme Social',
        currency: 'EUR',
        status: 'connected',
        settings: { conversion_action: 'offsite_conversion.fb_pixel_lead' },
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(longLived);

    // The token works: the import links the campaign, and the campaigns list says where it lives.
    const imported = await admin.post(`/api/ad-accounts/${id}/import`, {});
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const campaigns = await viewer.get('/api/campaigns');
    expect(campaigns.body.data).toMatchObject([
      {
        title: 'Retargeting',
        budget: 25,
        platform_link: {
          platform: 'meta',
          external_kind: 'meta_campaign',
          external_id: campaign.id,
          ad_account_id: id,
        },
      },
    ]);

    // The same state again: refused, and nothing is exchanged.
    const before = meta.calls.length;
    const again = await comeBack(callback, cookie);
    expect(again.status).toBe(303);
    expect(again.said).toMatch(/#\/ad-accounts\/failed\/this connection request was already used/);
    expect(meta.calls.length).toBe(before);
  });

  it('connects a Google Ads account through a manager with the install’s OAuth client', async () => {
    const { admin } = await clients();
    google.world.addCustomer({ id: '4440001111' });
    google.world.addCustomer({
      id: '4440002222',
      descriptiveName: 'Acme Search',
      currencyCode: 'GBP',
      timeZone: 'Europe/London',
      managerId: '4440001111',
    });
    const { started, cookie, callback } = await consent(admin, 'google_ads', {
      customer_id: '444-000-2222',
      login_customer_id: '444-000-1111',
    });
    const page = new URL(started.authorization_url);
    expect(page.searchParams.get('access_type')).toBe('offline');
    expect(page.searchParams.get('redirect_uri')).toBe(`${api.url}/api/ad-accounts/oauth/google_ads/callback`);
    const back = await comeBack(callback, cookie);
    expect(back.location).toMatch(/^\/#\/ad-accounts\/connected\//);
    expect(back.location).not.toContain(callback.searchParams.get('code')!);
    const id = back.location.split('/').at(-1)!;
    const tested = await admin.post(`/api/ad-accounts/${id}/test`);
    expect(tested.body).toMatchObject({
      ok: true,
      account: { platform: 'google_ads', name: 'Acme Search', currency: 'GBP', external_account_id: '4440002222' },
    });
    const [stored] = await testDb().session((s) =>
      s.query<{ credentials_ciphertext: string }>('SELECT credentials_ciphertext FROM ad_accounts WHERE id = $1', [id]),
    );
    expect(JSON.parse(createTokenCipher(TEST_ENCRYPTION_KEY).decrypt(stored!.credentials_ciphertext))).toMatchObject({
      client_id: google.clientId,
      customer_id: '4440002222',
      login_customer_id: '4440001111',
    });
  });

  it('refuses an expired state, a state of another tenant, another browser, and says so', async () => {
    const { t, admin } = await clients();
    const other = await clients();
    meta.addAdAccount({ id: '7770002' });

    // Expired: ten minutes passed.
    const late = await consent(admin, 'meta', { ad_account_id: '7770002' });
    await testDb().session((s) =>
      s.query("UPDATE ad_oauth_states SET expires_at = now() - interval '1 second' WHERE tenant_id = $1", [t.tenantId]),
    );
    expect((await comeBack(late.callback, late.cookie)).said).toMatch(/failed\/the connection request expired/);

    // Another tenant: tenant B's id in front of tenant A's state is not found under B.
    const mine = await consent(admin, 'meta', { ad_account_id: '7770002' });
    const forged = new URL(mine.callback);
    forged.searchParams.set('state', mine.callback.searchParams.get('state')!.replace(t.tenantId, other.t.tenantId));
    expect((await comeBack(forged, mine.cookie)).said).toMatch(/failed\/the connection request is unknown/);
    // Another platform's callback does not take it either.
    const crossed = new URL(mine.callback);
    crossed.pathname = '/api/ad-accounts/oauth/google_ads/callback';
    expect((await comeBack(crossed, mine.cookie.replace('_meta=', '_google_ads='))).said).toMatch(/failed\//);

    // Another browser (no cookie), then a malformed state.
    const stolen = await consent(admin, 'meta', { ad_account_id: '7770002' });
    expect((await comeBack(stolen.callback)).said).toMatch(/failed\/the connection was started in another browser/);
    expect((await comeBack(`${api.url}/api/ad-accounts/oauth/meta/callback?state=x&code=y`)).said).toMatch(
      /failed\/the connection request is not valid/,
    );
    expect((await admin.get('/api/ad-accounts')).body.data).toEqual([]);
    expect((await other.admin.get('/api/ad-accounts')).body.data).toEqual([]);
  });

  it('answers a code the platform refuses, or a consent declined, in words', async () => {
    const { admin } = await clients();
    meta.addAdAccount({ id: '7770003' });
    const forMeta = await consent(admin, 'meta', { ad_account_id: '7770003' });
    forMeta.callback.searchParams.set('code', 'AQ-not-a-code');
    const metaSaid = (await comeBack(forMeta.callback, forMeta.cookie)).said;
    expect(metaSaid).toMatch(/failed\/Meta refused the authorization code: .*Invalid verification code format/);
    expect(metaSaid).not.toContain(meta.appSecret);

    google.world.addCustomer({ id: '4440003333' });
    const forGoogle = await consent(admin, 'google_ads', { customer_id: '4440003333' });
    forGoogle.callback.searchParams.set('code', '4/0A-forged');
    expect((await comeBack(forGoogle.callback, forGoogle.cookie)).said).toMatch(
      /failed\/Google Ads refused the authorization code: .*invalid_grant/,
    );

    const declined = await consent(admin, 'google_ads', { customer_id: '4440003333' });
    declined.callback.searchParams.delete('code');
    declined.callback.searchParams.set('error', 'access_denied');
    expect((await comeBack(declined.callback, declined.cookie)).said).toMatch(
      /failed\/Google Ads did not grant access \(access_denied\)/,
    );

    // The account the token does not reach: Meta's refusal, nothing stored.
    const missing = await consent(admin, 'meta', { ad_account_id: '7779999' });
    expect((await comeBack(missing.callback, missing.cookie)).said).toMatch(/failed\/Meta refused the connection: /);
    expect((await admin.get('/api/ad-accounts')).body.data).toEqual([]);
  });

  it('names what is missing: the account, or the install’s app', async () => {
    const { admin } = await clients();
    const noAccount = await admin.post('/api/ad-accounts/oauth/meta/start', {});
    expect(noAccount.status).toBe(422);
    expect(JSON.stringify(noAccount.body)).toContain('ad_account_id');
    const wrongKind = await admin.post('/api/ad-accounts/oauth/google_ads/start', { ad_account_id: '1' });
    expect(wrongKind.status).toBe(422);
    const t = await createTenant(testDb());
    const bareAdmin = apiClient(bare, await tokenFor(testDb(), t.tenantId, 'admin'));
    const unset = await bareAdmin.post('/api/ad-accounts/oauth/google_ads/start', { customer_id: '4440003333' });
    expect(unset.status).toBe(409);
    expect(unset.body.detail).toMatch(/NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID/);
  });
});
