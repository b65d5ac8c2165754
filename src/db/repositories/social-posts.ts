// Scheduled social posts (campaign_schedules) as the API reads them: newest first by when they are
// due, filtered, in keyset pages, each with its campaign's title and what the dispatcher recorded
// (attempts, last error, per-platform attempts and post ids). Writing them is the ledger's and the
// dispatcher's (src/social/post-queue.ts, src/social/). Every statement names its tenant
// (row-level security checks it again).

import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

function selectSocialPosts(tenantId: string) {
  return (
    typed
      .selectFrom('campaign_schedules as p')
      .innerJoin('campaigns as c', (join) =>
        join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.campaign_id'),
      )
      .select((eb) => [
        'p.id',
        'p.campaign_id',
        'c.title as campaign_title',
        'p.action_id',
        'p.scheduled_for',
        'p.platforms',
        'p.status',
        'p.attempts',
        'p.last_error',
        'p.posted_at',
        'p.platform_post_ids',
        'p.publish_attempts',
        'p.content',
        'p.created_at',
        'p.updated_at',
        eb.cast<string>('p.scheduled_for', 'text').as('sort_key'),
      ])
      .where('p.tenant_id', '=', tenantId)
      // What the dispatcher keeps in these jsonb columns, per platform (PlatformAttempt in src/social/schedules-store.ts).
      .$narrowType<{
        platform_post_ids: Record<string, string>;
        publish_attempts: Record<string, { started_at?: string; post_ids?: string[]; failed?: string }>;
      }>()
  );
}

export type SocialPostRow = Awaited<ReturnType<typeof listSocialPosts>>[number];

export interface SocialPostFilter {
  status?: string;
  /** Posts whose platforms include this one. */
  platform?: string;
  campaign_id?: string;
  limit: number;
  cursor?: Keyset;
}

export function listSocialPosts(s: SqlSession, tenantId: string, filter: SocialPostFilter) {
  let query = selectSocialPosts(tenantId);
  if (filter.status !== undefined) query = query.where('p.status', '=', filter.status);
  const { platform } = filter;
  if (platform !== undefined) query = query.where((eb) => eb(eb.val(platform), '=', eb.fn.any('p.platforms')));
  if (filter.campaign_id !== undefined) query = query.where('p.campaign_id', '=', filter.campaign_id);
  return rows(s, newestFirstPage(query, { at: 'p.scheduled_for', id: 'p.id' }, filter));
}

export async function getSocialPost(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectSocialPosts(tenantId).where('p.id', '=', id));
  return row;
}
