// Notification events of the social post dispatcher (issue 27), against the local server speaking
// the Graph API and X API v2: a post of a ledger action that fails for good is told as the action
// failed, once; a social account whose token is refused is told once, when it turns
// needs_reconnect; nothing is told to a tenant nobody subscribed for.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { markNeedsReconnect } from '../src/db/repositories/social-accounts.ts';
import type { NotificationEventType } from '../src/notify/event-types.ts';
import { createPlatformAdapters } from '../src/social/adapters.ts';
import { type DispatchOptions, dispatchDuePosts } from '../src/social/dispatcher.ts';
import { schedulePosts } from '../src/social/post-queue.ts';
import { outboxEvents, subscribedDestination } from './support/notification-destination.ts';
import { type PlatformServer, startPlatformServer, xFailures } from './support/platform-servers.ts';
import { createCampaign, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const TOKEN = 'xUserTokenSecret9';
const cipher = createTokenCipher(randomBytes(32).toString('hex'));
const DUE = new Date(NOW.getTime() + 10 * 60_000);

describe('notification events of social posts', () => {
  const testDb = useTestDb();
  let server: PlatformServer;
  let adapters: DispatchOptions['adapters'];
  beforeAll(async () => {
    server = await startPlatformServer();
    adapters = createPlatformAdapters({ graphBaseUrl: server.graphBaseUrl, xBaseUrl: server.xBaseUrl });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const dispatch = (t: TestTenant, now = DUE) =>
    dispatchDuePosts(testDb(), { tenantId: t.tenantId, adapters, cipher, now: () => now });
  const eventsOf = async (t: TestTenant) => outboxEvents(testDb(), t.tenantId);

  /** A tenant with an X account and one post queued for an executed auto_post; its ids. */
  async function queuedPost(types: NotificationEventType[] | null) {
    const t = await createTenant(testDb());
    if (types) await subscribedDestination(testDb(), t.tenantId, { types });
    const campaignId = await createCampaign(testDb(), t, { title: 'Spring sale', budget: 100, hoursRunning: 240 });
    const [ids] = await testDb().session((s) =>
      s.query<{ account_id: string; action_id: string }>(
        `WITH account AS (
           INSERT INTO social_accounts (tenant_id, platform, account_name, external_account_id, access_token_ciphertext)
           VALUES ($1, 'twitter', 'Acme', 'twitter-acme', $3) RETURNING id),
         action AS (
           INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status)
           VALUES ($1, $2, 'auto_post', 'CTR 3% over 7 days', 'executed') RETURNING id)
         SELECT account.id AS account_id, action.id AS action_id FROM account, action`,
        [t.tenantId, campaignId, cipher.encrypt(TOKEN)],
      ),
    );
    await testDb().transaction((s) =>
      schedulePosts(s, t.tenantId, [{ actionId: ids!.action_id, campaignId }], ['twitter'], NOW),
    );
    return { t, campaignId, accountId: ids!.account_id, actionId: ids!.action_id };
  }

  it('a post X refuses for good is told as its action failed, once', async () => {
    const { t, campaignId, actionId } = await queuedPost(['action.failed']);
    server.failNext('twitter', xFailures.duplicate());
    expect((await dispatch(t)).schedules).toMatchObject([{ outcome: 'failed' }]);
    const events = await eventsOf(t);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'action.failed',
        {
          action_id: actionId,
          action_type: 'auto_post',
          campaign: { id: campaignId, title: 'Spring sale' },
          reason: 'CTR 3% over 7 days',
          error: expect.stringMatching(/^X: refused the post \(HTTP 403: .*duplicate content/),
        },
      ],
    ]);
    expect((await dispatch(t, new Date(DUE.getTime() + 86_400_000))).schedules).toEqual([]);
    expect(await eventsOf(t)).toHaveLength(1);
  });

  it('an account whose token is refused is told once, when it turns needs_reconnect', async () => {
    const { t, accountId, actionId } = await queuedPost(['account.needs_reconnect', 'action.failed']);
    server.expireToken(TOKEN);
    await dispatch(t);
    const events = await eventsOf(t);
    expect(events.map((e) => e.type).sort()).toEqual(['account.needs_reconnect', 'action.failed']);
    expect(events.find((e) => e.type === 'account.needs_reconnect')!.data).toEqual({
      account_id: accountId,
      kind: 'social',
      platform: 'twitter',
      name: 'Acme',
      reason: 'the access token was refused (expired or revoked): reconnect the X account.',
    });
    expect(events.find((e) => e.type === 'action.failed')!.data.action_id).toBe(actionId);
    expect(JSON.stringify(events)).not.toContain(TOKEN);

    // Reconnected, then refused twice over: told once more, on the transition.
    await testDb().session((s) =>
      s.query("UPDATE social_accounts SET status = 'connected' WHERE tenant_id = $1", [t.tenantId]),
    );
    await testDb().transaction(async (s) => {
      await markNeedsReconnect(s, t.tenantId, accountId, 'refused again');
      await markNeedsReconnect(s, t.tenantId, accountId, 'refused once more');
    });
    const reconnects = (await eventsOf(t)).filter((e) => e.type === 'account.needs_reconnect');
    expect(reconnects.map((e) => e.data.reason)).toEqual([
      'the access token was refused (expired or revoked): reconnect the X account.',
      'refused again',
    ]);
  });

  it('tells nothing to a tenant whose destinations take none of these events', async () => {
    for (const types of [null, ['suggestion.pending'] as NotificationEventType[]]) {
      const { t } = await queuedPost(types);
      server.expireToken(TOKEN);
      expect((await dispatch(t)).schedules).toMatchObject([{ outcome: 'failed' }]);
      expect(await eventsOf(t)).toEqual([]);
      server.reset();
    }
  });
});
