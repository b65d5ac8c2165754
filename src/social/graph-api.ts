// Facebook Page posts and Instagram posts through the Meta Graph API. The Page (or Instagram
// account) token travels as the `access_token` form field, never in the URL, so it stays out of
// proxy and server logs. Failures are sorted by the Graph error code, which says more than the
// HTTP status: rate limits come back as 400 or 403, an expired token as 400.
import { composePostText } from './compose.ts';
import {
  callOnce,
  type FailedResponse,
  type FailureKind,
  type HttpSettings,
  idField,
  kindOfStatus,
  platformFailure,
  retryAfterMs,
  textOf,
  withQuery,
} from './http.ts';
import {
  alreadyPublished,
  assertAccountOf,
  type Platform,
  type PlatformAccount,
  type PlatformAdapter,
  type PlatformError,
  PlatformRejectedError,
  type PostContent,
  type PublishedPost,
} from './platform.ts';

export interface GraphSettings extends HttpSettings {
  /** e.g. https://graph.facebook.com/v21.0 */
  baseUrl: string;
}

// developers.facebook.com/docs/graph-api/guides/error-handling
/** The token expired, was revoked or is invalid. */
const AUTH_CODES = new Set([102, 190]);
/** Application, user, Page and custom throttling, and the application limit. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613]);
/** Business Use Case limits, which Page and Instagram tokens are subject to (80001 Pages, 80002 Instagram…). */
const isBusinessUseCaseLimit = (code: number) => code >= 80000 && code <= 80014;
/** Temporary outages, and Instagram's "media not ready yet" at media_publish (a new container will do). */
const TRANSIENT_CODES = new Set([1, 2, 9007]);

interface GraphErrorBody {
  message?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

function graphKind(status: number, error: GraphErrorBody | undefined): FailureKind {
  const code = error?.code ?? 0;
  if (AUTH_CODES.has(code)) return 'auth';
  if (RATE_LIMIT_CODES.has(code) || isBusinessUseCaseLimit(code)) return 'rate-limited';
  if (TRANSIENT_CODES.has(code) || error?.is_transient) return 'unavailable';
  return kindOfStatus(status);
}

function graphSaid(error: GraphErrorBody): string {
  const code = [error.code, error.error_subcode].filter((part) => part !== undefined).join('/');
  const notes = [code && `code ${code}`, error.fbtrace_id && `fbtrace_id ${error.fbtrace_id}`].filter(Boolean);
  const message = error.message ?? 'no message';
  return notes.length > 0 ? `${message} [${notes.join(', ')}]` : message;
}

/**
 * Meta rarely sends retry-after; a throttled Page or Instagram account gets the
 * `x-business-use-case-usage` header instead: `{ "<id>": [{ "estimated_time_to_regain_access": minutes, … }] }`.
 */
function regainAccessMinutes(usage: string | null): number {
  if (!usage) return 0;
  try {
    const buckets = Object.values(JSON.parse(usage) as Record<string, { estimated_time_to_regain_access?: number }[]>);
    return Math.max(0, ...buckets.flat().map((bucket) => bucket.estimated_time_to_regain_access ?? 0));
  } catch {
    return 0;
  }
}

function graphRetryAfterMs(headers: Headers): number | undefined {
  const minutes = regainAccessMinutes(headers.get('x-business-use-case-usage'));
  return minutes > 0 ? minutes * 60_000 : retryAfterMs(headers);
}

export function classifyGraph(platform: Platform) {
  return (response: FailedResponse): PlatformError => {
    const error = (response.body as { error?: GraphErrorBody } | null)?.error;
    const said = error ? graphSaid(error) : textOf(response.body);
    const kind = graphKind(response.status, error);
    return platformFailure(kind, platform, response, said, graphRetryAfterMs(response.headers));
  };
}

/** POSTs form fields to `/{account id}/{edge}` with the account's token. */
function postToEdge(
  settings: GraphSettings,
  platform: Platform,
  account: PlatformAccount,
  edge: string,
  fields: Record<string, string | undefined>,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
  form.set('access_token', account.accessToken);
  return callOnce(
    settings,
    {
      platform,
      url: `${settings.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(account.externalAccountId)}/${edge}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      secret: account.accessToken,
      signal,
    },
    classifyGraph(platform),
  );
}

/** The page of recent posts a lookup reads: enough for the minutes between a lost call and its lookup. */
const LOOKUP_LIMIT = '100';

/**
 * The account's post of this text on a list edge since `since`: `/{page}/posts` (the text in
 * `message`) or `/{ig user}/media` (in `caption`). Graph answers `{ data: [...], paging }`, newest
 * first, filtered by `since` (Unix seconds). A GET has no form body, so the token goes in the
 * Authorization header, still not in the URL.
 */
async function findOnEdge(
  settings: GraphSettings,
  platform: Platform,
  account: PlatformAccount,
  list: { edge: string; textField: 'message' | 'caption'; timeField: string },
  content: PostContent,
  since: Date,
  signal: AbortSignal | undefined,
): Promise<PublishedPost | null> {
  assertAccountOf(platform, account);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(account.externalAccountId)}/${list.edge}`;
  const params = {
    fields: `id,${list.textField},${list.timeField}`,
    since: String(Math.floor(since.getTime() / 1000)),
    limit: LOOKUP_LIMIT,
  };
  const answer = await callOnce(
    settings,
    {
      platform,
      method: 'GET',
      url: withQuery(url, params),
      headers: { authorization: `Bearer ${account.accessToken}` },
      secret: account.accessToken,
      signal,
    },
    classifyGraph(platform),
  );
  const text = composePostText(content);
  const posts = (answer as { data?: Record<string, unknown>[] } | null)?.data ?? [];
  const found = posts.find((post) => typeof post[list.textField] === 'string' && post[list.textField] === text);
  if (!found) return null;
  const id = idField(platform, found);
  return { platform, postId: id, postIds: [id] };
}

/** A Page post: a photo post with the text as caption when there is an image, else a feed post with its link. */
export function createFacebookAdapter(settings: GraphSettings): PlatformAdapter {
  return {
    platform: 'facebook',
    async publish(account, content, options = {}) {
      assertAccountOf('facebook', account);
      const posted = alreadyPublished('facebook', options);
      if (posted) return posted;
      const message = composePostText(content);
      if (content.imageUrl) {
        const fields = { url: content.imageUrl, caption: message };
        const photo = await postToEdge(settings, 'facebook', account, 'photos', fields, options.signal);
        // `id` is the photo; `post_id` the Page post that shows it.
        const postId = (photo as { post_id?: unknown } | null)?.post_id;
        const id = typeof postId === 'string' && postId ? postId : idField('facebook', photo);
        return { platform: 'facebook', postId: id, postIds: [id] };
      }
      const fields = { message, link: content.link };
      const post = await postToEdge(settings, 'facebook', account, 'feed', fields, options.signal);
      const id = idField('facebook', post);
      return { platform: 'facebook', postId: id, postIds: [id] };
    },
    // A photo post is listed among the Page's posts too, with its caption as message.
    findPublished(account, content, since, options = {}) {
      const list = { edge: 'posts', textField: 'message', timeField: 'created_time' } as const;
      return findOnEdge(settings, 'facebook', account, list, content, since, options.signal);
    },
  };
}

/**
 * An Instagram post in the two documented steps: a media container for the image and caption,
 * then media_publish of that container. A container that is never published expires on its own,
 * so a failed publish leaves nothing behind and the whole post can be retried.
 */
export function createInstagramAdapter(settings: GraphSettings): PlatformAdapter {
  return {
    platform: 'instagram',
    async publish(account, content, options = {}) {
      assertAccountOf('instagram', account);
      const posted = alreadyPublished('instagram', options);
      if (posted) return posted;
      if (!content.imageUrl) {
        throw new PlatformRejectedError('instagram', 'a post needs an image, and this content has none');
      }
      const fields = { image_url: content.imageUrl, caption: composePostText(content) };
      const container = await postToEdge(settings, 'instagram', account, 'media', fields, options.signal);
      const creationId = idField('instagram', container);
      const media = await postToEdge(
        settings,
        'instagram',
        account,
        'media_publish',
        { creation_id: creationId },
        options.signal,
      );
      const id = idField('instagram', media);
      return { platform: 'instagram', postId: id, postIds: [id] };
    },
    // Only published media are listed: an unpublished container is nothing to reconcile.
    findPublished(account, content, since, options = {}) {
      const list = { edge: 'media', textField: 'caption', timeField: 'timestamp' } as const;
      return findOnEdge(settings, 'instagram', account, list, content, since, options.signal);
    },
  };
}
