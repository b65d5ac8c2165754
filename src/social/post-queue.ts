// Queuing social posts: an auto_post action (the cycle's, or a suggestion approved) queues one
// campaign_schedules row, due a few minutes later (the seeds' "scheduled 5 minutes in advance"),
// that the dispatcher claims and posts. Rolling the action back cancels the row if it has not been
// posted yet (src/ledger/kinds/social-post.ts).
import type { SqlSession } from '../db/port.ts';

/** The seeds schedule posts 5 minutes ahead, so a person can still cancel one. */
export const POST_LEAD_MS = 5 * 60_000;

/**
 * Queues a post per action, with the content taken from its campaign: title, copy, image, call to
 * action, and the UTM parameters the dispatcher adds to the link (utm_source is the platform).
 */
export async function schedulePosts(
  s: SqlSession,
  tenantId: string,
  posts: readonly { actionId: string; campaignId: string }[],
  platforms: readonly string[],
  now: Date,
): Promise<void> {
  if (posts.length === 0) return;
  await s.query(
    `INSERT INTO campaign_schedules (tenant_id, campaign_id, action_id, scheduled_for, platforms, content, created_at, updated_at)
     SELECT $1, c.id, p.action_id, $5::timestamptz, $4::text[],
            jsonb_build_object(
              'title', c.title, 'copy', c.description, 'image_url', c.image_url,
              'cta_text', c.cta_text, 'cta_url', c.cta_url,
              'utm', jsonb_build_object('medium', coalesce(c.utm_medium, 'social'),
                                        'campaign', coalesce(c.utm_campaign, c.id::text),
                                        'content', c.utm_content)),
            $6, $6
       FROM unnest($2::uuid[], $3::uuid[]) AS p (action_id, campaign_id)
       JOIN campaigns c ON c.tenant_id = $1 AND c.id = p.campaign_id`,
    [
      tenantId,
      posts.map((p) => p.actionId),
      posts.map((p) => p.campaignId),
      platforms,
      new Date(now.getTime() + POST_LEAD_MS).toISOString(),
      now.toISOString(),
    ],
  );
}

/**
 * Cancels the action's queued posts. Returns the statuses of those that were already picked up
 * or posted (they cannot be taken back); empty when everything was cancelled.
 */
export async function cancelScheduledPosts(s: SqlSession, tenantId: string, actionId: string): Promise<string[]> {
  const rows = await s.query<{ status: string }>(
    'SELECT status FROM campaign_schedules WHERE tenant_id = $1 AND action_id = $2 FOR UPDATE',
    [tenantId, actionId],
  );
  const gone = rows.map((r) => r.status).filter((status) => status === 'posting' || status === 'posted');
  if (gone.length > 0) return gone;
  await s.query(
    `UPDATE campaign_schedules SET status = 'cancelled', updated_at = now()
      WHERE tenant_id = $1 AND action_id = $2 AND status = 'pending'`,
    [tenantId, actionId],
  );
  return [];
}
