// The social post dispatcher end to end: rows queued by the engine's post rule are claimed and
// posted through the real adapters to a local server speaking the Graph API and X API v2, once
// per platform, with retries that never post twice and failures that say what to do.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { createRule } from '../src/engine/rules-store.ts';
import { createPlatformAdapters } from '../src/social/adapters.ts';
import { composePostText } from '../src/social/compose.ts';
import { type DispatchOptions, dispatchDuePosts } from '../src/social/dispatcher.ts';
import type { Platform } from '../src/social/platform.ts';
import { schedulePosts } from '../src/social/post-queue.ts';
import { graphFailures, type PlatformServer, startPlatformServer, xFailures } from './support/platform-servers.ts';
import { addStats, createCampaign, createTenant, NOW, steadyDays, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TOKENS: Record<Platform, string> = {
  facebook: 'EAAGpageTokenSecret1',
  instagram: 'EAAGigTokenSecret2',
  twitter: 'xUserTokenSecret3',
};
const cipher = createTokenCipher(randomBytes(32).toString('hex'));
const at = (ms: number) => new Date(NOW.getTime() + ms);
/** The engine queues a post 5 minutes ahead; 10 minutes after the cycle it is due. */
const DUE = at(10 * MINUTE);

// The seeds' posting criteria, as in test/engine-post-notify.test.ts.
const postRule = {
  rule_name: 'Social Auto-Post',
  rule_type: 'post',
  priority: 70,
  condition: { terms: [{ metric: 'ctr', window: '7d', operator: '>', threshold: 0.02 }], min_hours_running: 168 },
  action: { type: 'auto_post' },
};
const engaging = { spend: 20, revenue: 40, conversions: 1, clicks: 300, impressions: 10_000 };
const CTA_URL = 'https://shop.example.com/spring?ref=newsletter&utm_medium=email';

interface ScheduleRow {
  id: string;
  campaign_id: string;
  status: string;
  attempts: number;
  scheduled_for: Date;
  updated_at: Date;
  posted_at: Date | null;
  last_error: string | null;
  platform_post_ids: Record<string, string>;
}

describe('the social post dispatcher', () => {
  const testDb = useTestDb();
  let server: PlatformServer;
  let adapters: DispatchOptions['adapters'];
  beforeAll(async () => {
    server = await startPlatformServer();
    adapters = createPlatformAdapters({
      graphBaseUrl: server.graphBaseUrl,
      xBaseUrl: server.xBaseUrl,
      timeoutMs: 2000,
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const query = <T>(sql: string, params: unknown[]) => testDb().session((s) => s.query<T>(sql, params));
  const dispatch = (t: TestTenant, now: Date, options: Partial<DispatchOptions> = {}) =>
    dispatchDuePosts(testDb(), { tenantId: t.tenantId, adapters, cipher, now: () => now, ...options });
  const schedules = (t: TestTenant) =>
    query<ScheduleRow>('SELECT * FROM campaign_schedules WHERE tenant_id = $1 ORDER BY created_at, id', [t.tenantId]);
  const accounts = (t: TestTenant) =>
    query<{ platform: string; status: string; status_reason: string | null }>(
      'SELECT platform, status, status_reason FROM social_accounts WHERE tenant_id = $1 ORDER BY platform',
      [t.tenantId],
    );
  /** Successful publishes (a thread would count each tweet, and Instagram's container step is not one). */
  const published = () =>
    server.requests.filter((r) => r.method === 'POST' && !r.path.endsWith('/media') && r.status! < 300);

  async function connect(t: TestTenant, platforms: Platform[], tokenExpiresAt: Date | null = null) {
    for (const platform of platforms) {
      await query(
        `INSERT INTO social_accounts (tenant_id, platform, account_name, external_account_id, access_token_ciphertext, token_expires_at)
         VALUES ($1, $2, 'Acme', $3, $4, $5)`,
        [t.tenantId, platform, `${platform}-acme`, cipher.encrypt(TOKENS[platform]), tokenExpiresAt?.toISOString()],
      );
    }
  }

  async function campaignWithContent(t: TestTenant, title: string, hoursRunning = 240) {
    const id = await createCampaign(testDb(), t, { title, budget: 100, hoursRunning });
    await query(
      `UPDATE campaigns SET description = 'Everything 20% off until Sunday.', image_url = 'https://cdn.example.com/spring.jpg',
              cta_text = 'Shop now', cta_url = $3, utm_campaign = 'spring-sale', utm_content = 'hero'
        WHERE tenant_id = $1 AND id = $2`,
      [t.tenantId, id, CTA_URL],
    );
    return id;
  }

  /** Queues a row the way the engine does (schedulePosts, for a ledger action): due 5 minutes after `queuedAt`. */
  async function queue(t: TestTenant, campaign: string, platforms: Platform[], queuedAt = NOW) {
    const [action] = await query<{ id: string }>(
      `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status)
       VALUES ($1, $2, 'auto_post', 'test', 'executed') RETURNING id`,
      [t.tenantId, campaign],
    );
    await testDb().transaction((s) =>
      schedulePosts(s, t.tenantId, [{ actionId: action!.id, campaignId: campaign }], platforms, queuedAt),
    );
  }

  /** A tenant with these platforms connected and one post queued to them. */
  async function queuedPost(platforms: Platform[], queuedAt = NOW) {
    const t = await createTenant(testDb());
    await connect(t, platforms);
    await queue(t, await campaignWithContent(t, 'Spring sale'), platforms, queuedAt);
    return t;
  }

  it('posts the engine’s queued post once to each connected platform, with its text and UTM link', async () => {
    const t = await createTenant(testDb());
    await connect(t, ['facebook', 'instagram', 'twitter']);
    await createRule(testDb(), t.tenantId, postRule);
    const eligible = await campaignWithContent(t, 'Spring sale');
    await addStats(testDb(), t, eligible, steadyDays(10, engaging));
    // Not eligible: CTR 1.5%, 3 days old, posted 10 h ago.
    const lowCtr = await campaignWithContent(t, 'CTR 1.5%');
    await addStats(testDb(), t, lowCtr, steadyDays(10, { ...engaging, clicks: 150 }));
    const young = await campaignWithContent(t, 'Three days old', 72);
    await addStats(testDb(), t, young, steadyDays(3, engaging));
    const recent = await campaignWithContent(t, 'Posted 10 h ago');
    await addStats(testDb(), t, recent, steadyDays(10, engaging));
    await query(
      `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, executed_at, created_at)
       VALUES ($1, $2, 'auto_post', 'posted earlier', 'executed', $3, $3)`,
      [t.tenantId, recent, at(-10 * HOUR).toISOString()],
    );
    expect((await runCycle(testDb(), t.tenantId, { now: NOW })).actions_taken.campaigns_posted).toBe(1);
    expect((await schedules(t)).map((s) => s.campaign_id)).toEqual([eligible]);

    expect((await dispatch(t, at(4 * MINUTE))).schedules).toEqual([]);
    const report = await dispatch(t, DUE);
    const [row] = await schedules(t);
    expect(report.schedules).toMatchObject([{ scheduleId: row!.id, campaignId: eligible, outcome: 'posted' }]);

    const link = (source: string) => `${CTA_URL}&utm_source=${source}&utm_campaign=spring-sale&utm_content=hero`;
    const text = (source: string) =>
      composePostText({
        title: 'Spring sale',
        copy: 'Everything 20% off until Sunday.',
        callToAction: 'Shop now',
        link: link(source),
      });
    expect(published().map((r) => [r.path, r.body.caption ?? r.body.text ?? r.body.creation_id])).toEqual([
      ['/graph/v21.0/facebook-acme/photos', text('facebook')],
      ['/graph/v21.0/instagram-acme/media_publish', expect.any(String)],
      ['/x/2/tweets', text('x')],
    ]);
    expect(server.requests.find((r) => r.path.endsWith('/media'))?.body.caption).toBe(text('instagram'));
    expect(row).toMatchObject({ status: 'posted', attempts: 1, last_error: null, posted_at: DUE });
    expect(row!.platform_post_ids).toEqual({
      facebook: expect.stringMatching(/^facebook-acme_\d+$/),
      instagram: expect.stringMatching(/^\d+$/),
      twitter: expect.stringMatching(/^\d+$/),
    });
    expect(report.schedules[0]!.platforms.twitter).toEqual({
      status: 'posted',
      postIds: [row!.platform_post_ids.twitter],
    });

    const requests = server.requests.length;
    expect((await dispatch(t, at(HOUR))).schedules).toEqual([]);
    expect(server.requests).toHaveLength(requests);
  });

  it('retries a rate-limited post later and then posts it exactly once', async () => {
    const t = await queuedPost(['twitter']);
    server.failNext('twitter', xFailures.rateLimited(Math.floor(Date.now() / 1000) + 90));
    const first = await dispatch(t, DUE, { retryBaseMs: MINUTE });
    const [waiting] = await schedules(t);
    expect(first.schedules).toMatchObject([
      { outcome: 'retry_scheduled', platforms: { twitter: { status: 'retry' } } },
    ]);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, platform_post_ids: {} });
    expect(waiting!.last_error).toContain('X: rate limited (HTTP 429');
    // X's reset, 90 s away, is longer than the first backoff (30 to 60 s): it wins.
    const waitMs = waiting!.scheduled_for.getTime() - DUE.getTime();
    expect(waitMs).toBeGreaterThan(85_000);
    expect(first.schedules[0]!.retryAt).toEqual(waiting!.scheduled_for);

    expect((await dispatch(t, new Date(DUE.getTime() + waitMs - 1000))).schedules).toEqual([]);
    const second = await dispatch(t, new Date(DUE.getTime() + waitMs));
    expect(second.schedules).toMatchObject([{ outcome: 'posted' }]);
    expect(published()).toHaveLength(1);
    expect(await schedules(t)).toMatchObject([
      { status: 'posted', attempts: 2, last_error: null, platform_post_ids: { twitter: expect.any(String) } },
    ]);
  });

  it('keeps the platforms already posted when another is retried, and posts only the missing one', async () => {
    const t = await queuedPost(['facebook', 'twitter']);
    server.failNext('twitter', xFailures.serviceUnavailable());
    await dispatch(t, DUE);
    const [waiting] = await schedules(t);
    expect(waiting).toMatchObject({ status: 'pending', platform_post_ids: { facebook: expect.any(String) } });
    expect(waiting!.last_error).toBe('X: unavailable (HTTP 503: Service Unavailable)');
    await dispatch(t, at(2 * HOUR));
    expect(published().map((r) => r.platform)).toEqual(['facebook', 'twitter']);
    expect(await schedules(t)).toMatchObject([
      {
        status: 'posted',
        platform_post_ids: { facebook: waiting!.platform_post_ids.facebook, twitter: expect.any(String) },
      },
    ]);
  });

  it('fails a post whose token expired or was refused, asking to reconnect, without the token anywhere', async () => {
    const t = await queuedPost(['facebook', 'twitter']);
    await query("UPDATE social_accounts SET token_expires_at = $2 WHERE tenant_id = $1 AND platform = 'twitter'", [
      t.tenantId,
      at(-HOUR).toISOString(),
    ]);
    server.expireToken(TOKENS.facebook);
    const report = await dispatch(t, DUE);
    expect(report.schedules).toMatchObject([{ outcome: 'failed' }]);
    const [row] = await schedules(t);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, platform_post_ids: {} });
    expect(row!.last_error).toBe(
      'Facebook: the access token was refused (expired or revoked); the Facebook account "Acme" needs reconnecting; ' +
        `X: the access token expired on ${at(-HOUR).toISOString()}; the X account "Acme" needs reconnecting`,
    );
    // X was not called with a token known to have expired.
    expect(server.requestsOf('twitter')).toEqual([]);
    expect(await accounts(t)).toEqual([
      {
        platform: 'facebook',
        status: 'needs_reconnect',
        status_reason: 'the access token was refused (expired or revoked): reconnect the Facebook account.',
      },
      {
        platform: 'twitter',
        status: 'needs_reconnect',
        status_reason: `the access token expired on ${at(-HOUR).toISOString()}: reconnect the X account.`,
      },
    ]);
    const everything = JSON.stringify([row, await accounts(t), report]);
    for (const token of Object.values(TOKENS)) expect(everything).not.toContain(token);
  });

  it('gives up after maxAttempts when the platform keeps failing', async () => {
    const t = await queuedPost(['instagram']);
    let now = DUE;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      server.failNext('instagram', graphFailures.serverError());
      const report = await dispatch(t, now, { maxAttempts: 3 });
      const [row] = await schedules(t);
      expect(row!.attempts).toBe(attempt);
      expect(report.schedules[0]!.outcome).toBe(attempt < 3 ? 'retry_scheduled' : 'failed');
      now = new Date(row!.scheduled_for.getTime() + 1);
    }
    const [row] = await schedules(t);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row!.last_error).toMatch(
      /^gave up after 3 attempts: Instagram: unavailable \(HTTP 500: An unexpected error/,
    );
    expect(published()).toEqual([]);
    expect((await dispatch(t, at(48 * HOUR))).schedules).toEqual([]);
  });

  it('leaves rows that are not due, cancelled, or being posted right now alone', async () => {
    const t = await queuedPost(['twitter'], at(HOUR));
    const other = await queuedPost(['twitter']);
    await query("UPDATE campaign_schedules SET status = 'cancelled' WHERE tenant_id = $1", [other.tenantId]);
    const busy = await queuedPost(['twitter']);
    await query("UPDATE campaign_schedules SET status = 'posting', updated_at = $2 WHERE tenant_id = $1", [
      busy.tenantId,
      at(9 * MINUTE).toISOString(),
    ]);
    const before = [...(await schedules(t)), ...(await schedules(other)), ...(await schedules(busy))];
    for (const tenant of [t, other, busy]) expect((await dispatch(tenant, DUE)).schedules).toEqual([]);
    expect([...(await schedules(t)), ...(await schedules(other)), ...(await schedules(busy))]).toEqual(before);
    expect(server.requests).toEqual([]);
  });

  it('does not retry a post the platform refused, and one failed row does not stop the next', async () => {
    const t = await createTenant(testDb());
    await connect(t, ['twitter', 'facebook']);
    const campaign = await campaignWithContent(t, 'Spring sale');
    await queue(t, campaign, ['twitter', 'instagram']);
    await queue(t, campaign, ['facebook'], at(MINUTE));
    server.failNext('twitter', xFailures.duplicate());
    const report = await dispatch(t, DUE);
    const [row, next] = await schedules(t);
    expect(report.schedules).toMatchObject([
      { scheduleId: row!.id, outcome: 'failed' },
      { scheduleId: next!.id, outcome: 'posted' },
    ]);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(next).toMatchObject({ status: 'posted', platform_post_ids: { facebook: expect.any(String) } });
    expect(row!.last_error).toBe(
      'X: refused the post (HTTP 403: You are not allowed to create a Tweet with duplicate content.); ' +
        'Instagram: no connected Instagram account to post with',
    );
    expect((await dispatch(t, at(48 * HOUR))).schedules).toEqual([]);
    expect(server.requests.map((r) => r.path)).toEqual(['/x/2/tweets', '/graph/v21.0/facebook-acme/photos']);
  });
});
