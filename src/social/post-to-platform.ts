// One platform of one claimed schedule row: find the account, make sure the post exists exactly
// once, and record what happened before anyone can act on it. The order of the writes is what
// makes a retry safe:
//   1. the attempt marker (started_at) is committed before the platform is called, so a dispatcher
//      that dies during the call leaves a trace;
//   2. a marker without a post id means a call may have posted: the post is looked up on the
//      platform before any new publish;
//   3. the post ids are committed as soon as the platform answers, before the row is marked posted.
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import {
  isRetryable,
  PLATFORM_NAMES,
  type Platform,
  type PlatformAccount,
  type PlatformAdapter,
  PlatformAuthError,
  PlatformError,
  PlatformRateLimitedError,
  type PostContent,
} from './platform.ts';
import { postLink } from './post-link.ts';
import {
  type ClaimedSchedule,
  connectedAccount,
  markNeedsReconnect,
  type PlatformAttempt,
  type SocialAccountRow,
  savePlatform,
} from './schedules-store.ts';

/** Our clock and the platform's may disagree: the lookup starts this much before the lost call. */
const CLOCK_SKEW_MS = 5 * 60_000;

export type PlatformOutcome =
  | { status: 'posted' | 'reconciled'; postIds: string[] }
  | { status: 'retry'; reason: string; retryAfterMs?: number | undefined }
  | { status: 'failed'; reason: string };

export interface PlatformContext {
  db: Database;
  tenantId: string;
  adapters: Record<Platform, PlatformAdapter>;
  cipher: TokenCipher;
  now: () => Date;
  /**
   * A new access token for an account whose token expired, from its refresh token (X's last two
   * hours), stored before it is answered; undefined when the account cannot be renewed. Rejects
   * with a PlatformError when the platform refuses or cannot be reached.
   */
  renewToken?: ((platform: Platform, accountId: string) => Promise<string | undefined>) | undefined;
}

/** Another dispatcher claimed the row while this one worked on it: this one stops touching it. */
export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

function contentFor(row: ClaimedSchedule, platform: Platform): PostContent {
  const c = row.content;
  return {
    title: c.title ?? '',
    copy: c.copy ?? '',
    imageUrl: c.image_url ?? undefined,
    callToAction: c.cta_text ?? undefined,
    link: postLink(c.cta_url, platform, c.utm ?? {}),
  };
}

const scrub = (text: string, token: string) => (token ? text.replaceAll(token, '[redacted]') : text);

/** A permanent failure, remembered in the row so that a retry of its other platforms skips this one. */
async function fail(ctx: PlatformContext, row: ClaimedSchedule, platform: Platform, reason: string) {
  const attempt = { ...row.publish_attempts[platform], failed: reason };
  await save(ctx, row, platform, attempt, { fenced: true });
  return { status: 'failed', reason } as const;
}

async function save(
  ctx: PlatformContext,
  row: ClaimedSchedule,
  platform: Platform,
  attempt: PlatformAttempt,
  options: { fenced: boolean; postId?: string },
): Promise<void> {
  const saved = await savePlatform(ctx.db, ctx.tenantId, row, { platform, attempt, ...options, now: ctx.now() });
  if (!saved) throw new LostClaimError(`schedule ${row.id} was claimed by another dispatcher`);
  row.publish_attempts[platform] = attempt;
  if (options.postId) row.platform_post_ids[platform] = options.postId;
}

/** Takes the account out of use and fails the platform: only a person can reconnect it. */
async function needsReconnect(
  ctx: PlatformContext,
  row: ClaimedSchedule,
  platform: Platform,
  account: SocialAccountRow,
  why: string,
) {
  const name = PLATFORM_NAMES[platform];
  await markNeedsReconnect(ctx.db, ctx.tenantId, account.id, `${why}: reconnect the ${name} account.`);
  return fail(ctx, row, platform, `${name}: ${why}; the ${name} account "${account.account_name}" needs reconnecting`);
}

function expiredAt(account: SocialAccountRow, now: Date): Date | undefined {
  if (account.token_expires_at === null) return undefined;
  const expires = new Date(account.token_expires_at);
  return expires.getTime() <= now.getTime() ? expires : undefined;
}

const UNDECRYPTABLE = 'the stored access token cannot be decrypted with the current key';

/** undefined when the ciphertext does not open with this key (rotated key, damaged value). */
function decrypted(cipher: TokenCipher, account: SocialAccountRow): string | undefined {
  try {
    return cipher.decrypt(account.access_token_ciphertext);
  } catch {
    return undefined;
  }
}

export async function postToPlatform(
  ctx: PlatformContext,
  row: ClaimedSchedule,
  platform: Platform,
): Promise<PlatformOutcome> {
  const attempt = row.publish_attempts[platform] ?? {};
  const done = row.platform_post_ids[platform];
  if (done) return { status: 'posted', postIds: attempt.post_ids ?? [done] };
  if (attempt.failed) return { status: 'failed', reason: attempt.failed };

  const name = PLATFORM_NAMES[platform];
  const account = await connectedAccount(ctx.db, ctx.tenantId, platform);
  if (!account) return fail(ctx, row, platform, `${name}: no connected ${name} account to post with`);
  const expired = expiredAt(account, ctx.now());
  let token: string | undefined;
  if (expired) {
    try {
      token = await ctx.renewToken?.(platform, account.id);
    } catch (error) {
      if (error instanceof PlatformAuthError) {
        return needsReconnect(ctx, row, platform, account, `the refresh token was refused (${error.message})`);
      }
      if (isRetryable(error)) return { status: 'retry', reason: (error as PlatformError).message };
      throw error;
    }
    if (token === undefined) {
      return needsReconnect(ctx, row, platform, account, `the access token expired on ${expired.toISOString()}`);
    }
  }
  token ??= decrypted(ctx.cipher, account);
  if (token === undefined) return needsReconnect(ctx, row, platform, account, UNDECRYPTABLE);
  const target: PlatformAccount = { platform, externalAccountId: account.external_account_id, accessToken: token };
  try {
    return await publishOnce(ctx, row, platform, target);
  } catch (error) {
    if (error instanceof LostClaimError) throw error;
    const reason = scrub(error instanceof Error ? error.message : String(error), token);
    if (error instanceof PlatformAuthError) {
      return needsReconnect(ctx, row, platform, account, 'the access token was refused (expired or revoked)');
    }
    // Anything that is not the platform's verdict (a database hiccup) is worth another try.
    if (isRetryable(error) || !(error instanceof PlatformError)) {
      const retryAfterMs = error instanceof PlatformRateLimitedError ? error.retryAfterMs : undefined;
      return { status: 'retry', reason: error instanceof PlatformError ? reason : `${name}: ${reason}`, retryAfterMs };
    }
    return fail(ctx, row, platform, reason);
  }
}

async function publishOnce(
  ctx: PlatformContext,
  row: ClaimedSchedule,
  platform: Platform,
  account: PlatformAccount,
): Promise<PlatformOutcome> {
  const adapter = ctx.adapters[platform];
  const content = contentFor(row, platform);
  const attempt = row.publish_attempts[platform] ?? {};
  let postedParts = attempt.post_ids ?? [];
  let reconciled = false;
  // Any earlier call counts, whatever its error said: a timeout or a 5xx may have posted, and one
  // lookup costs less than sorting out which failures can. started_at is our clock, hence the skew.
  if (attempt.started_at) {
    const since = new Date(Date.parse(attempt.started_at) - CLOCK_SKEW_MS);
    const found = await adapter.findPublished(account, content, since);
    if (found && found.postIds.length > postedParts.length) {
      postedParts = found.postIds;
      reconciled = true;
    }
  }
  await save(ctx, row, platform, { started_at: ctx.now().toISOString(), post_ids: postedParts }, { fenced: true });
  try {
    const published = await adapter.publish(account, content, { postedParts });
    const entry = { ...row.publish_attempts[platform], post_ids: published.postIds };
    await save(ctx, row, platform, entry, { fenced: false, postId: published.postId });
    return { status: reconciled ? 'reconciled' : 'posted', postIds: published.postIds };
  } catch (error) {
    // Parts of an X thread made before the failure: recorded so that no retry makes them again.
    if (error instanceof PlatformError && error.partialPostIds.length > postedParts.length) {
      const entry = { ...row.publish_attempts[platform], post_ids: error.partialPostIds };
      await save(ctx, row, platform, entry, { fenced: false });
    }
    throw error;
  }
}
