// What every social platform adapter promises the dispatcher: one publish call per post, one
// attempt per API call (retries and backoff are the dispatcher's), and failures sorted into four
// classes so the dispatcher knows whether to retry later, ask for a reconnect, or give up.
export type Platform = 'facebook' | 'instagram' | 'twitter';

export const PLATFORM_NAMES: Record<Platform, string> = { facebook: 'Facebook', instagram: 'Instagram', twitter: 'X' };

export interface PostContent {
  title: string;
  copy: string;
  imageUrl?: string;
  callToAction?: string;
  /** Already carries the UTM parameters. */
  link?: string;
}

export interface PlatformAccount {
  platform: Platform;
  /** The Facebook Page id, the Instagram professional account id, or the X user id. */
  externalAccountId: string;
  accessToken: string;
}

export interface PublishedPost {
  platform: Platform;
  /** The post people see first (for an X thread, its first tweet). */
  postId: string;
  /** Every post made, in order: one id, or each tweet of a thread. */
  postIds: string[];
}

export interface PublishOptions {
  /** Cancels the call in flight; the adapter then fails with PlatformUnavailableError. */
  signal?: AbortSignal;
  /**
   * Posts of this content already made, in order (from `partialPostIds` or `findPublished`): the
   * adapter continues after them and never makes them again. For a single post, any id is the
   * whole post and nothing is called; for an X thread, the next part replies to the last one.
   */
  postedParts?: readonly string[];
}

export interface LookupOptions {
  signal?: AbortSignal;
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /** Rejects only with a PlatformError. */
  publish(account: PlatformAccount, content: PostContent, options?: PublishOptions): Promise<PublishedPost>;
  /**
   * The account's post of exactly this content made since `since`, read from the platform's list
   * of the account's recent posts; null when there is none. How the dispatcher learns whether a
   * call it lost track of (a crash, a timeout) posted after all. For an X thread, the parts found
   * in order from the first. Rejects only with a PlatformError, classified like publish.
   */
  findPublished(
    account: PlatformAccount,
    content: PostContent,
    since: Date,
    options?: LookupOptions,
  ): Promise<PublishedPost | null>;
}

interface PlatformErrorOptions {
  /** The HTTP status the platform answered; undefined when no answer came (or none was asked). */
  status?: number;
  cause?: unknown;
}

/** A failed publish. Messages name the platform and what it said, and never carry the access token. */
export class PlatformError extends Error {
  override name = 'PlatformError';
  readonly platform: Platform;
  readonly status: number | undefined;
  /**
   * Posts that were made before the failure, in order: parts of an X thread already on the
   * timeline. Retrying the whole publish would post them twice, so the dispatcher should record
   * them and not blindly start over. Empty when nothing was posted.
   */
  partialPostIds: string[] = [];

  constructor(platform: Platform, detail: string, options: PlatformErrorOptions = {}) {
    super(`${PLATFORM_NAMES[platform]}: ${detail}`, { cause: options.cause });
    this.platform = platform;
    this.status = options.status;
  }
}

/** Too many calls for now; retry after `retryAfterMs` when the platform said how long. */
export class PlatformRateLimitedError extends PlatformError {
  override name = 'PlatformRateLimitedError';
  readonly retryAfterMs: number | undefined;

  constructor(platform: Platform, detail: string, options: PlatformErrorOptions & { retryAfterMs?: number } = {}) {
    super(platform, detail, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The platform failed (5xx), could not be reached, did not answer in time, or the call was cancelled. */
export class PlatformUnavailableError extends PlatformError {
  override name = 'PlatformUnavailableError';
}

/** The access token is invalid, expired or revoked: the account needs reconnecting before any retry. */
export class PlatformAuthError extends PlatformError {
  override name = 'PlatformAuthError';
}

/** The platform refused this post (duplicate, invalid, missing image…): retrying will not help. */
export class PlatformRejectedError extends PlatformError {
  override name = 'PlatformRejectedError';
}

export function isRetryable(error: unknown): boolean {
  return error instanceof PlatformRateLimitedError || error instanceof PlatformUnavailableError;
}

/** The post itself when a single-post platform is given its id back in `postedParts`. */
export function alreadyPublished(platform: Platform, options: PublishOptions): PublishedPost | undefined {
  const [postId] = options.postedParts ?? [];
  return postId ? { platform, postId, postIds: [postId] } : undefined;
}

/** An account of another platform would send its token to the wrong API. */
export function assertAccountOf(platform: Platform, account: PlatformAccount): void {
  if (account.platform !== platform) {
    throw new PlatformRejectedError(platform, `cannot publish with a ${PLATFORM_NAMES[account.platform]} account`);
  }
}
