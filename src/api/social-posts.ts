// /api/social-posts: the tenant's scheduled social posts (what the engine's post rules and approved
// suggestions queued, and what the dispatcher made of them), newest first by when they are due.
// Read-only: queuing is the engine's, cancelling is rolling back the action that queued the post.
// A failed post shows why: the row's last error, and per platform the reason it failed for good.
import { z } from 'zod';
import { getSocialPost, listSocialPosts, type SocialPostRow } from '../db/repositories/social-posts.ts';
import { ProblemError } from '../server/problem.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, timestamp, uuid } from './schemas.ts';

/** campaign_schedules' own checks (migration 0005). */
const STATUSES = ['pending', 'posting', 'posted', 'failed', 'cancelled'] as const;
const PLATFORMS = ['facebook', 'instagram', 'twitter'] as const;

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(STATUSES).optional(),
  platform: z.enum(PLATFORMS).optional().describe('Posts to this platform (among others)'),
  campaign_id: uuid.optional(),
});

const platformResult = z.object({
  platform: z.enum(PLATFORMS),
  post_id: z.string().nullable().describe('The post people see (an X thread: its first tweet); null until posted'),
  post_ids: z.array(z.string()).describe('Every post made so far: the post, or the parts of an X thread'),
  failed: z.string().nullable().describe('Why the platform failed for good (retries skip it); null otherwise'),
  last_attempt_at: timestamp.nullable().describe('When the dispatcher last called the platform; null before'),
});

const socialPost = z.object({
  id: uuid,
  campaign_id: uuid,
  campaign_title: z.string(),
  action_id: uuid.nullable().describe('The ledger action that queued the post'),
  scheduled_for: timestamp.describe('When the post is (or was) due; a retry moves it later'),
  platforms: z.array(z.enum(PLATFORMS)),
  status: z.enum(STATUSES),
  attempts: z.number().int().min(0).describe('How many times the dispatcher has picked the post up'),
  last_error: z
    .string()
    .nullable()
    .describe('What went wrong on the last attempt, one reason per failing platform; null once posted'),
  posted_at: timestamp.nullable(),
  results: z.array(platformResult).describe('Per platform of the post, in the order of platforms'),
  content: z
    .record(z.string(), z.unknown())
    .describe('What is posted: title, copy, image_url, cta_text, cta_url and the UTM parameters of the link'),
  created_at: timestamp,
  updated_at: timestamp,
});

function show({ sort_key: _, platform_post_ids, publish_attempts, ...row }: SocialPostRow) {
  const results = row.platforms.map((platform) => {
    const attempt = publish_attempts[platform] ?? {};
    return {
      platform,
      post_id: platform_post_ids[platform] ?? null,
      post_ids: attempt.post_ids ?? (platform_post_ids[platform] ? [platform_post_ids[platform]] : []),
      failed: attempt.failed ?? null,
      last_attempt_at: attempt.started_at ?? null,
    };
  });
  return { ...row, results };
}

export function socialPostRoutes(api: ApiRouter): void {
  const tag = 'Social posts';

  api.tenant(
    {
      method: 'get',
      path: '/api/social-posts',
      tag,
      summary: 'List scheduled social posts, newest first (by when they are due)',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of posts', schema: pageSchema(socialPost) } },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listSocialPosts(s, principal.tenantId, query));
      return c.json(
        toPage(
          rows.map((row) => ({ ...show(row), sort_key: row.sort_key })),
          query.limit,
        ),
      );
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/social-posts/{id}',
      tag,
      summary: 'Read a scheduled social post',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The post', schema: socialPost } },
    },
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => getSocialPost(s, principal.tenantId, params.id));
      if (!row) throw new ProblemError(404, `no social post ${params.id}`);
      return c.json(show(row));
    },
  );
}
