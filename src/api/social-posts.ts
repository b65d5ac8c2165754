// /api/social-posts: the tenant's scheduled social posts (what the engine's post rules and approved
// suggestions queued, and what the dispatcher made of them), newest first by when they are due.
// Read-only: queuing is the engine's, cancelling is rolling back the action that queued the post.
// A failed post shows why: the row's last error, and per platform the reason it failed for good.
import { z } from 'zod';
import { pageSchema } from '../contract/page.ts';
import { SOCIAL_PLATFORMS, SOCIAL_POST_STATUSES } from '../contract/social-post-vocabulary.ts';
import { socialPostRecord } from '../contract/social-posts.ts';
import { getSocialPost, listSocialPosts } from '../services/social-posts.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, uuid } from './schemas.ts';

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(SOCIAL_POST_STATUSES).optional(),
  platform: z.enum(SOCIAL_PLATFORMS).optional().describe('Posts to this platform (among others)'),
  campaign_id: uuid.optional(),
});

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
      responses: { 200: { description: 'A page of posts', schema: pageSchema(socialPostRecord) } },
    },
    async ({ c, db, principal, query }) =>
      c.json(toPage(await listSocialPosts(db, principal.tenantId, query), query.limit)),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/social-posts/{id}',
      tag,
      summary: 'Read a scheduled social post',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The post', schema: socialPostRecord } },
    },
    async ({ c, db, principal, params }) => c.json(await getSocialPost(db, principal.tenantId, params.id)),
  );
}
