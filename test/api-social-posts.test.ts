// /api/social-posts over real HTTP: the tenant's scheduled posts newest first (by when they are
// due, id breaking ties) in cursor pages, filtered by status, platform and campaign; a failed post
// shows why (its last error, and per platform the reason it failed for good); another tenant's post
// is a 404; viewers read; no credentials is a 401.
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { createCampaign, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, idsByPage, useTestApi } from './support/test-api.ts';

const HOUR_MS = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR_MS).toISOString();

interface PostSpec {
  campaignId: string;
  scheduledFor: string;
  platforms: string[];
  status: string;
  attempts?: number;
  lastError?: string | null;
  postedAt?: string | null;
  postIds?: Record<string, string>;
  publishAttempts?: Record<string, unknown>;
}

async function insertPost(db: Database, t: TestTenant, spec: PostSpec): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO campaign_schedules (tenant_id, campaign_id, scheduled_for, platforms, content, status, attempts,
                                       last_error, posted_at, platform_post_ids, publish_attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        t.tenantId,
        spec.campaignId,
        spec.scheduledFor,
        spec.platforms,
        JSON.stringify({ title: 'Spring sale', copy: 'Half off', cta_url: 'https://example.com/sale' }),
        spec.status,
        spec.attempts ?? 0,
        spec.lastError ?? null,
        spec.postedAt ?? null,
        JSON.stringify(spec.postIds ?? {}),
        JSON.stringify(spec.publishAttempts ?? {}),
      ],
    ),
  );
  return row!.id;
}

describe('/api/social-posts', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  /** Two campaigns and five posts: posted, failed, two pending due at the same instant, cancelled. */
  async function postsWorld() {
    const c = await clients();
    const spring = await createCampaign(testDb(), c.t, { title: 'Spring', budget: 100, hoursRunning: 48 });
    const autumn = await createCampaign(testDb(), c.t, { title: 'Autumn', budget: 100, hoursRunning: 48 });
    const posted = await insertPost(testDb(), c.t, {
      campaignId: spring,
      scheduledFor: at(-3),
      platforms: ['facebook', 'twitter'],
      status: 'posted',
      attempts: 1,
      postedAt: at(-2.9),
      postIds: { facebook: '111_222', twitter: '9001' },
      publishAttempts: {
        facebook: { started_at: at(-2.95), post_ids: ['111_222'] },
        twitter: { started_at: at(-2.95), post_ids: ['9001', '9002'] },
      },
    });
    const failed = await insertPost(testDb(), c.t, {
      campaignId: spring,
      scheduledFor: at(-2),
      platforms: ['instagram'],
      status: 'failed',
      attempts: 5,
      lastError: 'gave up after 5 attempts: Instagram: the access token has expired',
      publishAttempts: { instagram: { started_at: at(-1.5), failed: 'Instagram: the access token has expired' } },
    });
    const tiedA = await insertPost(testDb(), c.t, {
      campaignId: autumn,
      scheduledFor: at(1),
      platforms: ['twitter'],
      status: 'pending',
    });
    const tiedB = await insertPost(testDb(), c.t, {
      campaignId: autumn,
      scheduledFor: at(1),
      platforms: ['facebook'],
      status: 'pending',
    });
    const cancelled = await insertPost(testDb(), c.t, {
      campaignId: autumn,
      scheduledFor: at(-5),
      platforms: ['facebook', 'instagram'],
      status: 'cancelled',
    });
    // Newest first by scheduled_for; posts due at the same instant by id, descending.
    const [first, second] = [tiedA, tiedB].sort().reverse();
    const order = [first!, second!, failed, posted, cancelled];
    return { ...c, spring, autumn, posted, failed, tiedA, tiedB, cancelled, order };
  }

  it('lists the posts newest first with their campaign, and pages through them by cursor', async () => {
    const { viewer, order, posted, spring } = await postsWorld();
    const list = await viewer.get('/api/social-posts');
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual(order);
    expect(list.body.next_cursor).toBeNull();
    const shown = list.body.data.find((p: { id: string }) => p.id === posted);
    expect(shown).toMatchObject({
      campaign_id: spring,
      campaign_title: 'Spring',
      action_id: null,
      scheduled_for: at(-3),
      platforms: ['facebook', 'twitter'],
      status: 'posted',
      attempts: 1,
      last_error: null,
      posted_at: at(-2.9),
      content: { title: 'Spring sale', cta_url: 'https://example.com/sale' },
      results: [
        { platform: 'facebook', post_id: '111_222', post_ids: ['111_222'], failed: null, last_attempt_at: at(-2.95) },
        { platform: 'twitter', post_id: '9001', post_ids: ['9001', '9002'], failed: null, last_attempt_at: at(-2.95) },
      ],
      created_at: expect.any(String),
    });
    expect(shown).not.toHaveProperty('sort_key');
    expect(shown).not.toHaveProperty('tenant_id');

    const first = await viewer.get('/api/social-posts?limit=2');
    expect(first.body.data.map((p: { id: string }) => p.id)).toEqual(order.slice(0, 2));
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await viewer.get(`/api/social-posts?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((p: { id: string }) => p.id)).toEqual(order.slice(2, 4));
    expect(await idsByPage(viewer, '/api/social-posts', 2)).toEqual(order);
    expect(await idsByPage(viewer, '/api/social-posts', 1)).toEqual(order);
    expectFieldError(await viewer.get('/api/social-posts?cursor=not-a-cursor'), 'cursor');
  });

  it('shows why a failed post failed', async () => {
    const { viewer, failed } = await postsWorld();
    const one = await viewer.get(`/api/social-posts/${failed}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: failed,
      status: 'failed',
      attempts: 5,
      posted_at: null,
      last_error: 'gave up after 5 attempts: Instagram: the access token has expired',
      results: [
        {
          platform: 'instagram',
          post_id: null,
          post_ids: [],
          failed: 'Instagram: the access token has expired',
          last_attempt_at: at(-1.5),
        },
      ],
    });
    const listed = (await viewer.get('/api/social-posts?status=failed')).body.data;
    expect(listed).toEqual([one.body]);
  });

  it('filters by status, platform and campaign, together with paging', async () => {
    const { viewer, spring, autumn, posted, failed, tiedA, tiedB, cancelled, order } = await postsWorld();
    const ids = async (query: string) =>
      (await viewer.get(`/api/social-posts?${query}`)).body.data.map((p: { id: string }) => p.id);
    expect(await ids('status=pending')).toEqual(order.filter((id) => id === tiedA || id === tiedB));
    expect(await ids('status=cancelled')).toEqual([cancelled]);
    expect(await ids('status=posting')).toEqual([]);
    expect(await ids('platform=twitter')).toEqual([tiedA, posted]);
    expect(await ids('platform=instagram')).toEqual([failed, cancelled]);
    expect(await ids(`campaign_id=${spring}`)).toEqual([failed, posted]);
    expect(await ids(`campaign_id=${autumn}&platform=facebook`)).toEqual([tiedB, cancelled]);
    expect(await ids(`campaign_id=${autumn}&status=pending&platform=facebook`)).toEqual([tiedB]);

    const page = await viewer.get('/api/social-posts?platform=facebook&limit=1');
    expect(page.body.data.map((p: { id: string }) => p.id)).toEqual([tiedB]);
    const next = await viewer.get(`/api/social-posts?platform=facebook&limit=1&cursor=${page.body.next_cursor}`);
    expect(next.body.data.map((p: { id: string }) => p.id)).toEqual([posted]);

    expectFieldError(await viewer.get('/api/social-posts?status=sent'), 'status');
    expectFieldError(await viewer.get('/api/social-posts?platform=x'), 'platform');
    expectFieldError(await viewer.get('/api/social-posts?campaign_id=nope'), 'campaign_id');
    expectFieldError(await viewer.get('/api/social-posts?colour=blue'), 'colour');
  });

  it('answers 404 for another tenant’s post or an unknown id, and 401 without credentials', async () => {
    const { viewer, admin, posted } = await postsWorld();
    const other = await createTenant(testDb());
    const theirCampaign = await createCampaign(testDb(), other, { title: 'Theirs', budget: 10, hoursRunning: 1 });
    const theirs = await insertPost(testDb(), other, {
      campaignId: theirCampaign,
      scheduledFor: at(0),
      platforms: ['facebook'],
      status: 'failed',
      lastError: 'their secret error',
    });
    const foreign = await admin.get(`/api/social-posts/${theirs}`);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('their secret error');
    expect((await viewer.get(`/api/social-posts/${crypto.randomUUID()}`)).status).toBe(404);
    const listed = (await admin.get('/api/social-posts')).body.data.map((p: { id: string }) => p.id);
    expect(listed).not.toContain(theirs);
    expect((await admin.get(`/api/social-posts?campaign_id=${theirCampaign}`)).body.data).toEqual([]);
    expect((await viewer.get('/api/social-posts/not-an-id')).status).toBe(404);

    const anonymous = apiClient(api(), null);
    expect((await anonymous.get('/api/social-posts')).status).toBe(401);
    expect((await anonymous.get(`/api/social-posts/${posted}`)).status).toBe(401);
  });

  it('lists nothing for a tenant without posts', async () => {
    const { viewer } = await clients();
    expect((await viewer.get('/api/social-posts')).body).toEqual({ data: [], next_cursor: null });
  });
});
