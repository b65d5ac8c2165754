// Posts on X through API v2 (`POST /2/tweets`) with the user's OAuth 2.0 access token as a
// Bearer token. Copy longer than one tweet goes out as a thread, each part replying to the one
// before, so readers see it in order under the first. The image is not attached: that takes X's
// separate media upload, which this adapter does not do. A thread cut short is continued where
// it stopped (`postedParts`), and a lost one is found again on the user's timeline.
import { composePostText, splitIntoThread } from './compose.ts';
import {
  callOnce,
  type FailedResponse,
  type HttpSettings,
  idField,
  kindOfStatus,
  platformFailure,
  textOf,
  withQuery,
} from './http.ts';
import {
  assertAccountOf,
  type LookupOptions,
  type PlatformAccount,
  type PlatformAdapter,
  PlatformError,
  type PostContent,
  type PublishedPost,
} from './platform.ts';

export interface XSettings extends HttpSettings {
  /** e.g. https://api.x.com */
  baseUrl: string;
}

/** X answers problem details (`title`, `detail`), and for invalid requests a list of `errors`. */
interface XProblem {
  title?: string;
  detail?: string;
  errors?: { message?: string }[];
}

function xSaid(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return textOf(body);
  const problem = body as XProblem;
  const details = [problem.detail ?? problem.title, ...(problem.errors ?? []).map((error) => error.message)];
  return details.filter(Boolean).join('; ') || undefined;
}

function classifyX(response: FailedResponse): PlatformError {
  return platformFailure(kindOfStatus(response.status), 'twitter', response, xSaid(response.body));
}

async function postTweet(
  settings: XSettings,
  account: PlatformAccount,
  text: string,
  inReplyTo: string | undefined,
  signal: AbortSignal | undefined,
): Promise<string> {
  const body = inReplyTo ? { text, reply: { in_reply_to_tweet_id: inReplyTo } } : { text };
  const answer = await callOnce(
    settings,
    {
      platform: 'twitter',
      url: `${settings.baseUrl.replace(/\/+$/, '')}/2/tweets`,
      headers: { authorization: `Bearer ${account.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      secret: account.accessToken,
      signal,
    },
    classifyX,
  );
  return idField('twitter', (answer as { data?: unknown } | null)?.data);
}

/**
 * X shows a tweet's text with every link replaced by its t.co short link and &, < and > as HTML
 * entities: compared that way, the text we sent and the text X lists are equal.
 */
function comparable(text: string): string {
  const plain = text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return plain.replace(/https?:\/\/\S+/gi, '<link>').trim();
}

interface ListedTweet {
  id?: unknown;
  text?: unknown;
}

/**
 * The tweets of this content on the user's timeline since `since`: the thread's parts found in
 * order from the first, or null when not even the first is there. `GET /2/users/:id/tweets`
 * answers `{ data: [...], meta: { result_count } }`, newest first, without `data` when empty.
 */
async function findThread(
  settings: XSettings,
  account: PlatformAccount,
  content: PostContent,
  since: Date,
  options: LookupOptions,
): Promise<PublishedPost | null> {
  assertAccountOf('twitter', account);
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/2/users/${encodeURIComponent(account.externalAccountId)}/tweets`;
  const params = {
    // RFC 3339 to the second, as the API documents it.
    start_time: `${since.toISOString().slice(0, 19)}Z`,
    max_results: '100',
    'tweet.fields': 'created_at,text',
  };
  const answer = await callOnce(
    settings,
    {
      platform: 'twitter',
      method: 'GET',
      url: withQuery(url, params),
      headers: { authorization: `Bearer ${account.accessToken}` },
      secret: account.accessToken,
      signal: options.signal,
    },
    classifyX,
  );
  const tweets = (answer as { data?: ListedTweet[] } | null)?.data ?? [];
  const postIds: string[] = [];
  for (const part of splitIntoThread(composePostText(content))) {
    const tweet = tweets.find((t) => typeof t.text === 'string' && comparable(t.text) === comparable(part));
    if (!tweet) break;
    postIds.push(idField('twitter', tweet));
  }
  return postIds.length > 0 ? { platform: 'twitter', postId: postIds[0]!, postIds } : null;
}

/**
 * When a part after the first fails, the error (still of its own class) carries in
 * `partialPostIds` the tweets already posted, so the dispatcher does not post them again.
 */
export function createXAdapter(settings: XSettings): PlatformAdapter {
  return {
    platform: 'twitter',
    async publish(account, content, options = {}) {
      assertAccountOf('twitter', account);
      const parts = splitIntoThread(composePostText(content));
      const postIds = [...(options.postedParts ?? [])];
      try {
        for (const part of parts.slice(postIds.length)) {
          postIds.push(await postTweet(settings, account, part, postIds.at(-1), options.signal));
        }
      } catch (error) {
        if (error instanceof PlatformError) error.partialPostIds = postIds;
        throw error;
      }
      return { platform: 'twitter', postId: postIds[0]!, postIds };
    },
    findPublished(account, content, since, options = {}) {
      return findThread(settings, account, content, since, options);
    },
  };
}
