// Connecting social accounts by consent, against local stand-ins that speak the providers' wire
// protocols: Facebook Login (dialog, /oauth/access_token, fb_exchange_token, GET /me/accounts with
// Page tokens and Instagram business accounts) and X's OAuth 2.0 with PKCE (consent page,
// /2/oauth2/token, /2/users/me). Connected accounts let the engine's post rule queue posts that the
// dispatcher then posts to the local Graph and X servers; a refused token asks for a reconnect,
// which the same consent does; X's two-hour tokens are renewed with the refresh token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MetaGraphServer, startMetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../src/ads/endpoints.ts';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { createRule } from '../src/engine/rules-store.ts';
import { tokenRenewal } from '../src/services/social-accounts.ts';
import { createPlatformAdapters } from '../src/social/adapters.ts';
import { dispatchDuePosts } from '../src/social/dispatcher.ts';
import { comeBack, consent as startConsent } from './support/consent.ts';
import { type PlatformServer, startPlatformServer, X_APP, X_USER } from './support/platform-servers.ts';
import { ENGAGING_DAY, POST_RULE } from './support/post-rule.ts';
import { addStats, createCampaign, createTenant, NOW, steadyDays, type TestTenant } from './support/scenario.ts';
import {
  type ApiClient,
  apiClient,
  startTestApi,
  TEST_ENCRYPTION_KEY,
  type TestApi,
  tokenFor,
} from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const cipher = createTokenCipher(TEST_ENCRYPTION_KEY);
const DUE = new Date(NOW.getTime() + 10 * 60_000);

describe('/api/social-accounts', () => {
  const testDb = useTestDb();
  let meta: MetaGraphServer;
  let platforms: PlatformServer;
  let api: TestApi;
  let bare: TestApi;
  const timeoutMs = 5_000;

  beforeAll(async () => {
    meta = await startMetaGraphServer();
    meta.addPage({
      id: '104729381726354',
      name: 'Acme Coffee',
      instagram: { id: '17841405822304914', username: 'acme.coffee' },
    });
    meta.addPage({ id: '104729381726999', name: 'Acme Outlet' });
    platforms = await startPlatformServer();
    const adEndpoints = {
      ...DEFAULT_AD_PLATFORM_ENDPOINTS,
      meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
      timeoutMs,
    };
    api = await startTestApi(testDb(), {
      adEndpoints,
      adOAuth: { meta: { appId: meta.appId, appSecret: meta.appSecret, dialogOrigin: meta.dialogOrigin } },
      social: { xBaseUrl: platforms.xBaseUrl, x: { ...X_APP, authorizationUrl: platforms.xAuthorizationUrl } },
    });
    bare = await startTestApi(testDb(), { adEndpoints });
  });
  // Each test reads the requests it made, and posts its own text afresh.
  beforeEach(() => platforms.reset());
  afterAll(async () => {
    await api?.close();
    await bare?.close();
    await meta?.close();
    await platforms?.close();
  });

  async function clients() {
    const t = await createTenant(testDb());
    const as = async (role: 'viewer' | 'member' | 'admin') =>
      apiClient(api, await tokenFor(testDb(), t.tenantId, role));
    return { t, viewer: await as('viewer'), member: await as('member'), admin: await as('admin') };
  }

  async function consent(admin: ApiClient, provider: 'facebook' | 'x') {
    const started = await startConsent(admin, `/api/social-accounts/oauth/${provider}/start`);
    expect(started.setCookie).toContain(`Path=/api/social-accounts/oauth/${provider}/callback`);
    return { ...started, url: new URL(started.started.authorization_url) };
  }

  const stored = (t: TestTenant) =>
    testDb().session((s) =>
      s.query<{
        platform: string;
        external_account_id: string;
        access_token_ciphertext: string;
        refresh_token_ciphertext: string | null;
      }>(
        'SELECT platform, external_account_id, access_token_ciphertext, refresh_token_ciphertext FROM social_accounts WHERE tenant_id = $1 ORDER BY platform, external_account_id',
        [t.tenantId],
      ),
    );

  /** The engine's post rule queues a post for a campaign worth posting, to the connected platforms. */
  async function postRuleQueues(t: TestTenant) {
    await createRule(testDb(), t.tenantId, POST_RULE);
    const campaign = await createCampaign(testDb(), t, { title: 'Spring sale', budget: 100, hoursRunning: 240 });
    await testDb().session((s) =>
      s.query(
        `UPDATE campaigns SET description = 'Everything 20% off.', image_url = 'https://cdn.example.com/spring.jpg',
                cta_text = 'Shop now', cta_url = 'https://shop.example.com/spring' WHERE tenant_id = $1 AND id = $2`,
        [t.tenantId, campaign],
      ),
    );
    await addStats(testDb(), t, campaign, steadyDays(10, ENGAGING_DAY));
    expect((await runCycle(testDb(), t.tenantId, { now: NOW })).actions_taken.campaigns_posted).toBe(1);
  }

  const adapters = () =>
    createPlatformAdapters({ graphBaseUrl: platforms.graphBaseUrl, xBaseUrl: platforms.xBaseUrl, timeoutMs });

  /** The dispatcher as the worker runs it: an expired X token is renewed first. */
  const dispatchRenewing = (t: TestTenant) => {
    const renewal = {
      cipher,
      x: { ...X_APP, authorizationUrl: platforms.xAuthorizationUrl },
      xBaseUrl: platforms.xBaseUrl,
      timeoutMs,
    };
    const renewToken = tokenRenewal(testDb(), renewal, t.tenantId);
    return dispatchDuePosts(testDb(), {
      tenantId: t.tenantId,
      adapters: adapters(),
      cipher,
      now: () => DUE,
      renewToken,
    });
  };

  it('connects the Pages and Instagram accounts Facebook Login grants; a post rule’s post then reaches Graph', async () => {
    const { t, viewer, member, admin } = await clients();
    expect((await member.post('/api/social-accounts/oauth/facebook/start')).status).toBe(403);
    expect((await viewer.post('/api/social-accounts/oauth/facebook/start')).status).toBe(403);
    expect((await viewer.get('/api/social-accounts')).body).toEqual({ data: [], providers: ['facebook', 'x'] });

    const { url, cookie, callback } = await consent(admin, 'facebook');
    expect(url.pathname).toBe('/v21.0/dialog/oauth');
    expect(url.searchParams.get('scope')).toBe(
      'pages_show_list,pages_manage_posts,pages_read_engagement,instagram_basic,instagram_content_publish',
    );
    expect(url.searchParams.get('redirect_uri')).toBe(`${api.url}/api/social-accounts/oauth/facebook/callback`);
    const back = await comeBack(callback, cookie);
    expect(back.status).toBe(303);
    expect(back.location).toBe('/#/social/connected/3');
    expect(back.answer.headers.get('set-cookie')).toMatch(/Max-Age=0/);

    // The long-lived user token listed the Pages, in a header rather than the URL.
    const listing = meta.calls.find((call) => call.path === '/v21.0/me/accounts')!;
    expect(listing.query.access_token).toBeUndefined();
    expect(listing.headers.authorization).toMatch(/^Bearer EAA/);

    const listed = await viewer.get('/api/social-accounts');
    expect(listed.body.data).toMatchObject([
      { platform: 'facebook', name: 'Acme Coffee', status: 'connected', status_reason: null, provider: 'facebook' },
      { platform: 'facebook', name: 'Acme Outlet', status: 'connected', provider: 'facebook' },
      { platform: 'instagram', name: '@acme.coffee', external_account_id: '17841405822304914', provider: 'facebook' },
    ]);
    const coffeeToken = meta.pageTokens.get('104729381726354')!;
    expect(JSON.stringify(listed.body)).not.toContain(coffeeToken);
    const rows = await stored(t);
    expect(
      rows.map((row) => [row.platform, row.external_account_id, cipher.decrypt(row.access_token_ciphertext)]),
    ).toEqual([
      ['facebook', '104729381726354', coffeeToken],
      ['facebook', '104729381726999', meta.pageTokens.get('104729381726999')],
      // Instagram posts with its Page's token.
      ['instagram', '17841405822304914', coffeeToken],
    ]);
    expect(rows.every((row) => !row.access_token_ciphertext.includes(coffeeToken))).toBe(true);

    // The post rule now has platforms to post to, and the dispatcher reaches the Graph API with the Page token.
    await postRuleQueues(t);
    const report = await dispatchDuePosts(testDb(), {
      tenantId: t.tenantId,
      adapters: adapters(),
      cipher,
      now: () => DUE,
    });
    expect(report.schedules).toMatchObject([{ outcome: 'posted' }]);
    const ig = platforms.requests.filter((r) => r.path.startsWith('/graph/v21.0/17841405822304914/'));
    expect(ig.map((r) => [r.path, r.body.access_token])).toEqual([
      ['/graph/v21.0/17841405822304914/media', coffeeToken],
      ['/graph/v21.0/17841405822304914/media_publish', coffeeToken],
    ]);
    expect(platforms.requestsOf('facebook').filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('shows a refused token as needs reconnect in the platform’s words; the same consent reconnects it', async () => {
    const { t, viewer, admin } = await clients();
    const first = await consent(admin, 'facebook');
    expect((await comeBack(first.callback, first.cookie)).location).toBe('/#/social/connected/3');
    const ids = (await viewer.get('/api/social-accounts')).body.data.map((a: { id: string }) => a.id);
    platforms.expireToken(meta.pageTokens.get('104729381726354')!);
    await postRuleQueues(t);
    await dispatchDuePosts(testDb(), { tenantId: t.tenantId, adapters: adapters(), cipher, now: () => DUE });
    const after = (await viewer.get('/api/social-accounts')).body.data;
    const instagram = after.find((a: { platform: string }) => a.platform === 'instagram');
    expect(instagram).toMatchObject({ status: 'needs_reconnect' });
    expect(instagram.status_reason).toMatch(/access token was refused.*reconnect the Instagram account/);

    const again = await consent(admin, 'facebook');
    expect((await comeBack(again.callback, again.cookie)).location).toBe('/#/social/connected/3');
    const reconnected = (await viewer.get('/api/social-accounts')).body.data;
    expect(reconnected.map((a: { id: string }) => a.id)).toEqual(ids);
    expect(
      reconnected.every(
        (a: { status: string; status_reason: null }) => a.status === 'connected' && a.status_reason === null,
      ),
    ).toBe(true);
    const rows = await stored(t);
    expect(cipher.decrypt(rows.at(-1)!.access_token_ciphertext)).toBe(meta.pageTokens.get('104729381726354'));
  });

  it('refuses a reused state, another browser, a declined consent, and an app not configured', async () => {
    const { admin } = await clients();
    const { cookie, callback } = await consent(admin, 'facebook');
    expect((await comeBack(callback)).said).toContain('the connection was started in another browser');
    expect((await comeBack(callback, cookie)).said).toContain('this connection request was already used');

    const declined = await consent(admin, 'x');
    const refused = new URL(declined.callback);
    refused.searchParams.delete('code');
    refused.searchParams.set('error', 'access_denied');
    expect((await comeBack(refused, declined.cookie)).said).toBe(
      '/#/social/failed/X did not grant access (access_denied)',
    );
    expect((await comeBack(`${api.url}/api/social-accounts/oauth/x/callback?state=nonsense`)).said).toContain(
      'the connection request is not valid',
    );

    const t = await createTenant(testDb());
    const bareAdmin = apiClient(bare, await tokenFor(testDb(), t.tenantId, 'admin'));
    const unconfigured = await bareAdmin.post('/api/social-accounts/oauth/x/start');
    expect(unconfigured.status).toBe(409);
    expect(JSON.stringify(unconfigured.body)).toContain('NIGHTSHIFT_X_CLIENT_ID');
    expect((await bareAdmin.get('/api/social-accounts')).body.providers).toEqual([]);
    expect((await bareAdmin.post('/api/social-accounts/oauth/mastodon/start')).status).toBe(404);
  });

  it('says so when X refuses the code, or later the refresh token: the account then needs a reconnect', async () => {
    const { t, viewer, admin } = await clients();
    const refused = {
      status: 400,
      body: { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' },
    };
    const first = await consent(admin, 'x');
    platforms.failNext('twitter', refused);
    expect((await comeBack(first.callback, first.cookie)).said).toBe(
      '/#/social/failed/X refused the connection: X: refused the grant (HTTP 400: invalid_request: Value passed for the authorization code was invalid.)',
    );
    expect((await viewer.get('/api/social-accounts')).body.data).toEqual([]);

    const again = await consent(admin, 'x');
    expect((await comeBack(again.callback, again.cookie)).location).toBe('/#/social/connected/1');
    await testDb().session((s) =>
      s.query("UPDATE social_accounts SET token_expires_at = '2026-01-01T00:00:00Z' WHERE tenant_id = $1", [
        t.tenantId,
      ]),
    );
    await postRuleQueues(t);
    platforms.failNext('twitter', {
      status: 400,
      body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
    });
    const report = await dispatchRenewing(t);
    expect(report.schedules).toMatchObject([{ outcome: 'failed' }]);
    const [account] = (await viewer.get('/api/social-accounts')).body.data;
    expect(account).toMatchObject({ status: 'needs_reconnect', provider: 'x' });
    expect(account.status_reason).toBe(
      'the refresh token was refused (X: refused the grant (HTTP 400: invalid_request: Value passed for the token was invalid.)): reconnect the X account.',
    );
  });

  it('connects X with PKCE, posts with its token, renews it when expired, and disconnects', async () => {
    const { t, viewer, member, admin } = await clients();
    const { url, cookie, callback } = await consent(admin, 'x');
    expect(url.searchParams.get('scope')).toBe('tweet.read tweet.write users.read offline.access');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await comeBack(callback, cookie)).location).toBe('/#/social/connected/1');

    const exchange = platforms.requests.find((r) => r.path === '/x/2/oauth2/token')!;
    expect(exchange.body).toMatchObject({ grant_type: 'authorization_code', code_verifier: expect.any(String) });
    expect(exchange.headers.authorization).toMatch(/^Basic /);
    const [account] = (await viewer.get('/api/social-accounts')).body.data;
    expect(account).toMatchObject({
      platform: 'twitter',
      name: `@${X_USER.username}`,
      external_account_id: X_USER.id,
      provider: 'x',
    });
    expect(Date.parse(account.token_expires_at)).toBeGreaterThan(Date.now());
    const [row] = await stored(t);
    expect(row!.refresh_token_ciphertext).not.toBeNull();

    // The token has expired by the time the post is due: the dispatcher renews it first.
    await testDb().session((s) =>
      s.query("UPDATE social_accounts SET token_expires_at = '2026-01-01T00:00:00Z' WHERE tenant_id = $1", [
        t.tenantId,
      ]),
    );
    await postRuleQueues(t);
    const report = await dispatchRenewing(t);
    expect(report.schedules).toMatchObject([{ outcome: 'posted' }]);
    const [renewed] = await stored(t);
    const refresh = platforms.requests.filter((r) => r.body.grant_type === 'refresh_token');
    expect(refresh.map((r) => r.body.refresh_token)).toEqual([cipher.decrypt(row!.refresh_token_ciphertext!)]);
    const tweet = platforms.requests.find((r) => r.path === '/x/2/tweets')!;
    expect(tweet.headers.authorization).toBe(`Bearer ${cipher.decrypt(renewed!.access_token_ciphertext)}`);
    expect(renewed!.refresh_token_ciphertext).not.toBe(row!.refresh_token_ciphertext);

    expect((await member.delete(`/api/social-accounts/${account.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/social-accounts/${account.id}`)).status).toBe(204);
    // Revoked at X too: the refresh token kept is no longer good there.
    const revoke = platforms.requests.find((r) => r.path === '/x/2/oauth2/revoke')!;
    expect(revoke.body).toMatchObject({
      token: cipher.decrypt(renewed!.refresh_token_ciphertext!),
      token_type_hint: 'refresh_token',
    });
    expect(revoke.status).toBe(200);
    expect((await admin.delete(`/api/social-accounts/${account.id}`)).status).toBe(404);
    expect((await viewer.get('/api/social-accounts')).body.data).toEqual([]);
  });
});
