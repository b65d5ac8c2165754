// Posts on X through API v2 (`POST /2/tweets`) with the user's OAuth 2.0 access token as a
// Bearer token. Copy longer than one tweet goes out as a thread, each part replying to the one
// before, so readers see it in order under the first. The image is not attached: that takes X's
// separate media upload, which this adapter does not do.
import { composePostText, splitIntoThread } from './compose.ts';
import {
  type FailedResponse,
  type HttpSettings,
  idField,
  kindOfStatus,
  platformFailure,
  postOnce,
  textOf,
} from './http.ts';
import { assertAccountOf, type PlatformAccount, type PlatformAdapter, PlatformError } from './platform.ts';

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
  const answer = await postOnce(
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
 * When a part after the first fails, the error (still of its own class) carries in
 * `partialPostIds` the tweets already posted, so the dispatcher does not post them again.
 */
export function createXAdapter(settings: XSettings): PlatformAdapter {
  return {
    platform: 'twitter',
    async publish(account, content, options = {}) {
      assertAccountOf('twitter', account);
      const parts = splitIntoThread(composePostText(content));
      const postIds: string[] = [];
      try {
        for (const part of parts) {
          postIds.push(await postTweet(settings, account, part, postIds.at(-1), options.signal));
        }
      } catch (error) {
        if (error instanceof PlatformError) error.partialPostIds = postIds;
        throw error;
      }
      return { platform: 'twitter', postId: postIds[0]!, postIds };
    },
  };
}
