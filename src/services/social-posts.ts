// The tenant's scheduled social posts, for /api/social-posts: each with what became of it on every
// platform (its post ids, the reason it failed for good, its last attempt).
import type { Database } from '../db/port.ts';
import * as posts from '../db/repositories/social-posts.ts';
import { NotFoundError } from '../domain/errors.ts';

/** The post with one result per platform, in the order of its platforms. */
function withResults({ sort_key: _, platform_post_ids, publish_attempts, ...row }: posts.SocialPostRow) {
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

/** A page's rows (one more than `limit`), each keeping its sort key for the cursor. */
export async function listSocialPosts(db: Database, tenantId: string, filter: posts.SocialPostFilter) {
  const rows = await db.session((s) => posts.listSocialPosts(s, tenantId, filter));
  return rows.map((row) => ({ ...withResults(row), sort_key: row.sort_key }));
}

export async function getSocialPost(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => posts.getSocialPost(s, tenantId, id));
  if (!row) throw new NotFoundError(`no social post ${id}`);
  return withResults(row);
}
