// The dispatcher's SQL on campaign_schedules, and its reads and marks of social_accounts (through
// their repository). Every function is one short transaction of its own under the tenant's
// row-level security, committed before the dispatcher makes its next platform call: no
// transaction is ever held open across the network.
import type { Database } from '../db/port.ts';
import * as accounts from '../db/repositories/social-accounts.ts';
import { recordActionFailures } from '../notify/ledger-events.ts';
import type { Platform } from './platform.ts';
import type { PostUtm } from './post-link.ts';

/** The `content` the engine queues (src/social/post-queue.ts). */
export interface ScheduleContent {
  title?: string | null;
  copy?: string | null;
  image_url?: string | null;
  cta_text?: string | null;
  cta_url?: string | null;
  utm?: PostUtm | null;
}

/** One platform's entry in publish_attempts (migration 0016). */
export interface PlatformAttempt {
  /** When the last call to the platform started; committed before the call. */
  started_at?: string;
  /** Posts made so far: the post, or the parts of an X thread. */
  post_ids?: string[];
  /** Why the platform failed for good; retries of the row skip it. */
  failed?: string;
}

export interface ClaimedSchedule {
  id: string;
  campaign_id: string;
  platforms: Platform[];
  content: ScheduleContent;
  /** This claim's attempt number; also the fence that proves the row is still ours. */
  attempts: number;
  platform_post_ids: Partial<Record<Platform, string>>;
  publish_attempts: Partial<Record<Platform, PlatformAttempt>>;
}

export type SocialAccountRow = accounts.PostingAccountRow;

export type RowEnd =
  | { status: 'posted' }
  | { status: 'pending'; retryAt: Date; lastError: string }
  | { status: 'failed'; lastError: string };

/**
 * Claims up to `limit` rows: pending ones that are due, and 'posting' ones untouched since
 * `staleBefore` (their dispatcher died). SKIP LOCKED lets dispatchers running at once split the
 * rows between them instead of waiting on each other.
 */
export function claimDue(
  db: Database,
  tenantId: string,
  at: { now: Date; staleBefore: Date },
  limit: number,
): Promise<ClaimedSchedule[]> {
  return db.transaction((s) =>
    s.query<ClaimedSchedule>(
      `WITH due AS (
         SELECT id FROM campaign_schedules
          WHERE tenant_id = $1
            AND ((status = 'pending' AND scheduled_for <= $2) OR (status = 'posting' AND updated_at < $3))
          ORDER BY scheduled_for, id
          LIMIT $4
            FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE campaign_schedules c
            SET status = 'posting', attempts = c.attempts + 1, updated_at = $2
           FROM due
          WHERE c.tenant_id = $1 AND c.id = due.id
         RETURNING c.id, c.campaign_id, c.platforms, c.content, c.attempts, c.platform_post_ids, c.publish_attempts,
                   c.scheduled_for)
       -- RETURNING has no order of its own: posted oldest first, as claimed.
       SELECT id, campaign_id, platforms, content, attempts, platform_post_ids, publish_attempts
         FROM claimed ORDER BY scheduled_for, id`,
      [tenantId, at.now.toISOString(), at.staleBefore.toISOString(), limit],
    ),
  );
}

/** The tenant's connected account on the platform, the most recently connected if several. */
export function connectedAccount(db: Database, tenantId: string, platform: Platform) {
  return db.transaction((s) => accounts.postingAccount(s, tenantId, platform));
}

/**
 * Writes the platform's attempt entry, and its post id once there is one. Fenced by the claim's
 * attempt number: false when another dispatcher has claimed the row since (this one was too slow
 * and counted as crashed), and then nothing is written. Post ids are written whatever the fence
 * says (`fenced: false`): a post that exists must be recorded, whoever records it.
 */
export async function savePlatform(
  db: Database,
  tenantId: string,
  row: ClaimedSchedule,
  entry: { platform: Platform; attempt: PlatformAttempt; postId?: string; fenced: boolean; now: Date },
): Promise<boolean> {
  const updated = await db.transaction((s) =>
    s.query(
      `UPDATE campaign_schedules
          SET publish_attempts = publish_attempts || jsonb_build_object($3::text, $4::jsonb),
              platform_post_ids = CASE WHEN $5::text IS NULL THEN platform_post_ids
                                       ELSE platform_post_ids || jsonb_build_object($3::text, $5::text) END,
              updated_at = $6
        WHERE tenant_id = $1 AND id = $2 AND (NOT $7 OR (status = 'posting' AND attempts = $8))
       RETURNING id`,
      [
        tenantId,
        row.id,
        entry.platform,
        JSON.stringify(entry.attempt),
        entry.postId ?? null,
        entry.now.toISOString(),
        entry.fenced,
        row.attempts,
      ],
    ),
  );
  return updated.length > 0;
}

/**
 * Ends this attempt at the row; false when another dispatcher has claimed it since. A post that
 * fails for good tells its ledger row's failure (action.failed) in the same transaction.
 */
export async function finishRow(
  db: Database,
  tenantId: string,
  row: ClaimedSchedule,
  end: RowEnd,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (s) => {
    const [updated] = await s.query<{ action_id: string | null }>(
      `UPDATE campaign_schedules
          SET status = $3, last_error = $4,
              scheduled_for = coalesce($5::timestamptz, scheduled_for),
              posted_at = CASE WHEN $3 = 'posted' THEN $6::timestamptz ELSE posted_at END,
              updated_at = $6
        WHERE tenant_id = $1 AND id = $2 AND status = 'posting' AND attempts = $7
       RETURNING action_id`,
      [
        tenantId,
        row.id,
        end.status,
        end.status === 'posted' ? null : end.lastError,
        end.status === 'pending' ? end.retryAt.toISOString() : null,
        now.toISOString(),
        row.attempts,
      ],
    );
    if (updated?.action_id && end.status === 'failed') {
      await recordActionFailures(s, tenantId, [{ actionId: updated.action_id, error: end.lastError }], now);
    }
    return updated !== undefined;
  });
}

/** The account cannot post until someone reconnects it; `reason` says why, without the token. */
export function markNeedsReconnect(db: Database, tenantId: string, accountId: string, reason: string) {
  return db.transaction((s) => accounts.markNeedsReconnect(s, tenantId, accountId, reason));
}
