// Scheduled social posts (campaign_schedules) as the API reads them: newest first by when they are
// due, filtered, in keyset pages, each with its campaign's title and what the dispatcher recorded
// (attempts, last error, per-platform attempts and post ids). Writing them is the ledger's and the
// dispatcher's (src/social/post-queue.ts, src/social/). Every statement names its tenant
// (row-level security checks it again).

import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

const SELECT = `
  SELECT p.id, p.campaign_id, c.title AS campaign_title, p.action_id, p.scheduled_for, p.platforms, p.status,
         p.attempts, p.last_error, p.posted_at, p.platform_post_ids, p.publish_attempts, p.content,
         p.created_at, p.updated_at, p.scheduled_for::text AS sort_key
    FROM campaign_schedules p
    JOIN campaigns c ON c.tenant_id = p.tenant_id AND c.id = p.campaign_id`;

export interface SocialPostRow {
  id: string;
  platforms: string[];
  platform_post_ids: Record<string, string>;
  publish_attempts: Record<string, { started_at?: string; post_ids?: string[]; failed?: string }>;
  sort_key: string;
  [column: string]: unknown;
}

export interface SocialPostFilter {
  status?: string;
  /** Posts whose platforms include this one. */
  platform?: string;
  campaign_id?: string;
  limit: number;
  cursor?: Keyset;
}

export async function listSocialPosts(
  s: SqlSession,
  tenantId: string,
  filter: SocialPostFilter,
): Promise<SocialPostRow[]> {
  return s.query<SocialPostRow>(
    `${SELECT}
      WHERE p.tenant_id = $1
        AND ($2::text IS NULL OR p.status = $2)
        AND ($3::text IS NULL OR $3 = ANY (p.platforms))
        AND ($4::uuid IS NULL OR p.campaign_id = $4)
        AND ($5::timestamptz IS NULL OR (p.scheduled_for, p.id) < ($5::timestamptz, $6::uuid))
      ORDER BY p.scheduled_for DESC, p.id DESC
      LIMIT $7`,
    [
      tenantId,
      filter.status ?? null,
      filter.platform ?? null,
      filter.campaign_id ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
  );
}

export async function getSocialPost(s: SqlSession, tenantId: string, id: string): Promise<SocialPostRow | undefined> {
  const [row] = await s.query<SocialPostRow>(`${SELECT} WHERE p.tenant_id = $1 AND p.id = $2`, [tenantId, id]);
  return row;
}
