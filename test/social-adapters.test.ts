// The social adapters against a local server that speaks the Graph API and X API v2: the exact
// requests each platform receives, X threads, and every failure sorted into the class the
// dispatcher acts on, with the access token in no message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformAdapters, GRAPH_API_BASE_URL, X_API_BASE_URL } from '../src/social/adapters.ts';
import { composePostText, splitIntoThread, tweetWeight } from '../src/social/compose.ts';
import {
  isRetryable,
  PLATFORM_NAMES,
  type Platform,
  type PlatformAccount,
  PlatformAuthError,
  PlatformError,
  PlatformRateLimitedError,
  PlatformRejectedError,
  PlatformUnavailableError,
  type PostContent,
  type PublishOptions,
} from '../src/social/platform.ts';
import {
  graphFailures,
  type PlatformServer,
  type ScriptedFailure,
  startPlatformServer,
  xFailures,
} from './support/platform-servers.ts';

const PLATFORMS: Platform[] = ['facebook', 'instagram', 'twitter'];
const TOKENS = { facebook: 'EAAGpageTokenSecret1', instagram: 'EAAGigTokenSecret2', twitter: 'xUserTokenSecret3' };
const IDS = { facebook: '104523456789012', instagram: '17841405822304914', twitter: '2244994945' };
const account = (platform: Platform): PlatformAccount => ({
  platform,
  externalAccountId: IDS[platform],
  accessToken: TOKENS[platform],
});

const link = 'https://shop.example.com/spring?utm_source=social&utm_medium=organic&utm_campaign=spring-sale';
const content: PostContent = {
  title: 'Spring sale',
  copy: 'Everything 20% off until Sunday.',
  imageUrl: 'https://cdn.example.com/spring.jpg',
  callToAction: 'Shop now',
  link,
};
const text = `Spring sale\n\nEverything 20% off until Sunday.\n\nShop now: ${link}`;
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

let server: PlatformServer;
let adapters: ReturnType<typeof createPlatformAdapters>;
beforeAll(async () => {
  server = await startPlatformServer();
  adapters = createPlatformAdapters({ graphBaseUrl: server.graphBaseUrl, xBaseUrl: server.xBaseUrl, timeoutMs: 300 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** The publish's failure, checked to be a PlatformError of that platform that does not leak its token. */
async function failureOf(platform: Platform, post = content, options?: PublishOptions): Promise<PlatformError> {
  const error = await adapters[platform].publish(account(platform), post, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  const failure = error as PlatformError;
  expect(failure.platform).toBe(platform);
  expect(failure.message.startsWith(`${PLATFORM_NAMES[platform]}: `)).toBe(true);
  expect(failure.message).not.toContain(TOKENS[platform]);
  return failure;
}

describe('the text of a post', () => {
  it('puts the title, the copy and "call to action: link" in paragraphs, leaving out what is missing', () => {
    expect(composePostText(content)).toBe(text);
    expect(composePostText({ title: 'T ', copy: ' C', link })).toBe(`T\n\nC\n\n${link}`);
    expect(composePostText({ title: 'T', copy: 'C', callToAction: 'Call us' })).toBe('T\n\nC\n\nCall us');
    expect(composePostText({ title: '', copy: 'C' })).toBe('C');
  });

  it('stays one tweet, unnumbered, when it fits in 280', () => {
    expect(splitIntoThread('x'.repeat(280))).toEqual(['x'.repeat(280)]);
    expect(splitIntoThread(text)).toEqual([text]);
  });

  it('splits long copy at word boundaries into numbered parts of at most 280', () => {
    const parts = splitIntoThread(`Intro\n\n${words(150)}`);
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((part, i) => {
      expect(part.endsWith(` (${i + 1}/${parts.length})`)).toBe(true);
      expect(tweetWeight(part)).toBeLessThanOrEqual(280);
    });
    const unnumbered = parts.map((part) => part.replace(/ \(\d+\/\d+\)$/, ''));
    expect(unnumbered[0]?.startsWith('Intro\n\nword0 word1')).toBe(true);
    expect(unnumbered.join(' ').split(/\s+/)).toEqual(['Intro', ...words(150).split(' ')]);
  });

  it('counts a link as 23 and never cuts it; cuts only a word longer than a tweet; counts CJK double', () => {
    const longLink = `https://shop.example.com/?utm_campaign=${'c'.repeat(400)}`;
    expect(tweetWeight(`See ${longLink}`)).toBe(4 + 23);
    const parts = splitIntoThread(`${words(60)} ${longLink}`);
    expect(parts.some((part) => part.includes(longLink))).toBe(true);
    expect(splitIntoThread('y'.repeat(600)).map((part) => part.length)).toEqual([280, 280, 58]);
    expect(tweetWeight('春'.repeat(150))).toBe(300);
    expect(splitIntoThread('春'.repeat(150))).toHaveLength(2);
  });
});

describe('Facebook', () => {
  it('posts text and link to the Page feed, with the token as a form field and not in the URL', async () => {
    const post = await adapters.facebook.publish(account('facebook'), { ...content, imageUrl: undefined });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/graph/v21.0/${IDS.facebook}/feed`,
        query: {},
        body: { message: text, link, access_token: TOKENS.facebook },
      }),
    ]);
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(post).toEqual({
      platform: 'facebook',
      postId: expect.stringMatching(/^104523456789012_\d+$/),
      postIds: [post.postId],
    });
  });

  it('posts an image as a Page photo with the text as caption, answering the Page post id', async () => {
    const post = await adapters.facebook.publish(account('facebook'), content);
    expect(server.requests.map((r) => [r.path, r.body])).toEqual([
      [`/graph/v21.0/${IDS.facebook}/photos`, { url: content.imageUrl, caption: text, access_token: TOKENS.facebook }],
    ]);
    expect(post.postId).toMatch(/^104523456789012_\d+$/);
    expect(post.postIds).toEqual([post.postId]);
  });
});

describe('Instagram', () => {
  it('creates a media container for image and caption, then publishes that container', async () => {
    const post = await adapters.instagram.publish(account('instagram'), content);
    const [container, publish] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(container).toMatchObject({
      method: 'POST',
      path: `/graph/v21.0/${IDS.instagram}/media`,
      query: {},
      body: { image_url: content.imageUrl, caption: text, access_token: TOKENS.instagram },
    });
    expect(publish).toMatchObject({
      path: `/graph/v21.0/${IDS.instagram}/media_publish`,
      body: { creation_id: expect.stringMatching(/^\d+$/), access_token: TOKENS.instagram },
    });
    expect(post).toEqual({ platform: 'instagram', postId: expect.stringMatching(/^\d+$/), postIds: [post.postId] });
    expect(post.postId).not.toBe(publish?.body.creation_id);
  });

  it('refuses a post without an image before calling the API', async () => {
    const error = await failureOf('instagram', { ...content, imageUrl: undefined });
    expect(error).toBeInstanceOf(PlatformRejectedError);
    expect(error.message).toBe('Instagram: a post needs an image, and this content has none');
    expect(error.status).toBeUndefined();
    expect(server.requests).toEqual([]);
  });
});

describe('X', () => {
  it('posts a tweet with the user token as Bearer and only the text as JSON', async () => {
    const post = await adapters.twitter.publish(account('twitter'), content);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/x/2/tweets', query: {}, body: { text } });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKENS.twitter}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.rawBody).not.toContain(TOKENS.twitter);
    expect(post).toEqual({ platform: 'twitter', postId: expect.stringMatching(/^\d+$/), postIds: [post.postId] });
  });

  it('posts long copy as a thread, each part replying to the one before', async () => {
    const post = await adapters.twitter.publish(account('twitter'), { ...content, copy: words(120) });
    const bodies = server.requests.map((r) => r.body as { text: string; reply?: { in_reply_to_tweet_id: string } });
    expect(bodies.length).toBeGreaterThan(2);
    expect(post.postIds).toHaveLength(bodies.length);
    expect(post.postId).toBe(post.postIds[0]);
    expect(bodies[0]?.reply).toBeUndefined();
    bodies.forEach((body, i) => {
      expect(body.text.endsWith(` (${i + 1}/${bodies.length})`)).toBe(true);
      expect(tweetWeight(body.text)).toBeLessThanOrEqual(280);
      if (i > 0) expect(body.reply).toEqual({ in_reply_to_tweet_id: post.postIds[i - 1] });
    });
    expect(bodies[0]?.text.startsWith('Spring sale\n\nword0 ')).toBe(true);
    expect(bodies.at(-1)?.text).toContain(link);
  });

  it('when a later part fails, carries the tweets already posted and posts nothing after', async () => {
    server.failNext('twitter', xFailures.serviceUnavailable(), { skip: 1 });
    const error = await failureOf('twitter', { ...content, copy: words(120) });
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(server.requests).toHaveLength(2);
    expect(error.partialPostIds).toEqual([expect.stringMatching(/^\d+$/)]);
    expect(server.requests[1]?.body.reply).toEqual({ in_reply_to_tweet_id: error.partialPostIds[0] });
  });
});

type Arrange = (platform: Platform) => unknown;
const expire: Arrange = (platform) => server.expireToken(TOKENS[platform]);
const fail =
  (failure: ScriptedFailure, skip = 0): Arrange =>
  (platform) =>
    server.failNext(platform, failure, { skip });
const postFirst: Arrange = (platform) =>
  adapters[platform].publish(account(platform), { ...content, imageUrl: undefined });
const badImage = { status: 400, body: { error: { message: 'Only photo or video can be accepted', code: 9004 } } };
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

describe.each([
  ['facebook', 400, 'Session has expired', expire, PlatformAuthError],
  [
    'facebook',
    403,
    '(#32) Page request limit reached [code 32',
    fail(graphFailures.rateLimited(32)),
    PlatformRateLimitedError,
  ],
  [
    'facebook',
    400,
    '(#4) Application request limit',
    fail(graphFailures.rateLimited(4, 400)),
    PlatformRateLimitedError,
  ],
  ['facebook', 500, 'An unexpected error', fail(graphFailures.serverError()), PlatformUnavailableError],
  ['facebook', 400, '(#506) Duplicate status message', postFirst, PlatformRejectedError],
  ['instagram', 400, 'PDT. [code 190/463, fbtrace_id A', expire, PlatformAuthError],
  [
    'instagram',
    400,
    '(#613) Calls to this api',
    fail(graphFailures.rateLimited(613, 400), 1),
    PlatformRateLimitedError,
  ],
  ['instagram', 500, 'An unexpected error', fail(graphFailures.serverError()), PlatformUnavailableError],
  ['instagram', 400, 'can be accepted [code 9004]', fail(badImage), PlatformRejectedError],
  ['twitter', 401, 'HTTP 401: Unauthorized', expire, PlatformAuthError],
  ['twitter', 429, 'Too Many Requests', fail(xFailures.rateLimited(inAMinute())), PlatformRateLimitedError],
  ['twitter', 503, 'Service Unavailable', fail(xFailures.serviceUnavailable()), PlatformUnavailableError],
  ['twitter', 403, 'with duplicate content', postFirst, PlatformRejectedError],
] as const)('%s answering %i "%s"', (platform, status, said, arrange, expected) => {
  it(`fails with ${expected.name}, its status, and what the platform said`, async () => {
    await arrange(platform);
    const error = await failureOf(platform);
    expect(error).toBeInstanceOf(expected);
    expect(error.status).toBe(status);
    expect(error.message).toContain(said);
    expect(isRetryable(error)).toBe(expected === PlatformRateLimitedError || expected === PlatformUnavailableError);
  });
});

describe('failures every adapter shares', () => {
  it('takes the wait from retry-after, Meta’s business use case usage header, or X’s x-rate-limit-reset', async () => {
    server.failNext('facebook', { ...graphFailures.rateLimited(17, 400), headers: { 'retry-after': '7' } });
    expect(await failureOf('facebook')).toMatchObject({ retryAfterMs: 7000 });
    server.failNext('instagram', graphFailures.rateLimited(4));
    expect(await failureOf('instagram')).toMatchObject({ retryAfterMs: undefined });
    server.failNext('facebook', graphFailures.pageUseCaseLimited(IDS.facebook, 5));
    const pageLimit = await failureOf('facebook');
    expect(pageLimit).toBeInstanceOf(PlatformRateLimitedError);
    expect(pageLimit).toMatchObject({ status: 400, retryAfterMs: 300_000 });
    server.failNext('twitter', xFailures.rateLimited(inAMinute()));
    const { retryAfterMs } = (await failureOf('twitter')) as PlatformRateLimitedError;
    expect(retryAfterMs).toBeGreaterThan(58_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it.each(PLATFORMS)('%s: a dropped connection, a timeout and a cancelled call are unavailable', async (platform) => {
    server.failNext(platform, { disconnect: true });
    const dropped = await failureOf(platform);
    expect(dropped).toBeInstanceOf(PlatformUnavailableError);
    expect(dropped.message).toContain('could not be reached');
    expect(dropped.status).toBeUndefined();
    server.failNext(platform, { stallMs: 2000 });
    const timedOut = await failureOf(platform);
    expect(timedOut).toBeInstanceOf(PlatformUnavailableError);
    expect(timedOut.message).toContain('did not answer in time');
    const requestsBefore = server.requests.length;
    const cancelled = await failureOf(platform, content, { signal: AbortSignal.abort() });
    expect(cancelled.message).toContain('the call was cancelled');
    expect(isRetryable(cancelled)).toBe(true);
    expect(server.requests).toHaveLength(requestsBefore);
  });

  it('answers unavailable when the API cannot be reached at all', async () => {
    const closed = await startPlatformServer();
    await closed.close();
    const unreachable = createPlatformAdapters({ graphBaseUrl: closed.graphBaseUrl, xBaseUrl: closed.xBaseUrl });
    for (const platform of PLATFORMS) {
      const error = await unreachable[platform].publish(account(platform), content).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformUnavailableError);
      expect((error as Error).message).toMatch(/could not be reached \(.*ECONNREFUSED/);
    }
  });

  it('removes the token from whatever the platform echoes back', async () => {
    const echo = `Malformed access token ${TOKENS.facebook}`;
    server.failNext('facebook', { status: 400, body: { error: { message: echo, type: 'OAuthException', code: 190 } } });
    const graph = await failureOf('facebook');
    expect(graph).toBeInstanceOf(PlatformAuthError);
    expect(graph.message).toContain('Malformed access token [redacted]');
    server.failNext('twitter', xFailures.invalidRequest(`bad token ${TOKENS.twitter}`));
    expect((await failureOf('twitter')).message).toContain('bad token [redacted]');
  });

  it('refuses an account of another platform without calling any API', async () => {
    const error = await adapters.twitter.publish(account('facebook'), content).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRejectedError);
    expect((error as Error).message).toBe('X: cannot publish with a Facebook account');
    expect(server.requests).toEqual([]);
  });

  it('does not retry a success without an id, since the post may exist', async () => {
    server.failNext('twitter', { status: 201, body: { data: {} } });
    const error = await failureOf('twitter');
    expect(error).toBeInstanceOf(PlatformRejectedError);
    expect(server.requests).toHaveLength(1);
  });

  it('uses the fetch it is given, and knows the production APIs', async () => {
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const custom = createPlatformAdapters({
      graphBaseUrl: `${server.graphBaseUrl}/`,
      xBaseUrl: server.xBaseUrl,
      fetch: counting,
    });
    await custom.facebook.publish(account('facebook'), content);
    expect(urls).toEqual([`${server.graphBaseUrl}/${IDS.facebook}/photos`]);
    expect([GRAPH_API_BASE_URL, X_API_BASE_URL]).toEqual(['https://graph.facebook.com/v21.0', 'https://api.x.com']);
  });

  it('sorts errors for the dispatcher: only rate limits and outages are retryable', () => {
    expect(isRetryable(new PlatformRateLimitedError('twitter', 'x'))).toBe(true);
    expect(isRetryable(new PlatformUnavailableError('twitter', 'x'))).toBe(true);
    expect(isRetryable(new PlatformAuthError('twitter', 'x'))).toBe(false);
    expect(isRetryable(new PlatformRejectedError('twitter', 'x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });
});

describe('finding a post already made (the dispatcher’s reconciliation)', () => {
  const anHourAgo = () => new Date(Date.now() - 3_600_000);
  const other: PostContent = { ...content, title: 'Another post' };

  it('Facebook: reads the Page’s posts since then with the token in a header, matching the text exactly', async () => {
    expect(await adapters.facebook.findPublished(account('facebook'), content, anHourAgo())).toBeNull();
    const post = await adapters.facebook.publish(account('facebook'), content);
    const made = server.requests.at(-1)!;
    expect(await adapters.facebook.findPublished(account('facebook'), content, anHourAgo())).toEqual(post);
    expect(made.path).toBe(`/graph/v21.0/${IDS.facebook}/photos`);
    const lookup = server.requests.at(-1)!;
    expect(lookup).toMatchObject({ method: 'GET', path: `/graph/v21.0/${IDS.facebook}/posts`, body: {} });
    expect(lookup.query).toEqual({
      fields: 'id,message,created_time',
      since: expect.stringMatching(/^\d+$/),
      limit: '100',
    });
    expect(lookup.headers.authorization).toBe(`Bearer ${TOKENS.facebook}`);
    expect(await adapters.facebook.findPublished(account('facebook'), other, anHourAgo())).toBeNull();
    expect(
      await adapters.facebook.findPublished(account('facebook'), content, new Date(Date.now() + 60_000)),
    ).toBeNull();
  });

  it('Instagram: reads the account’s published media by caption; an unpublished container is not a post', async () => {
    server.failNext('instagram', graphFailures.serverError(), { skip: 1 });
    await failureOf('instagram');
    expect(await adapters.instagram.findPublished(account('instagram'), content, anHourAgo())).toBeNull();
    const post = await adapters.instagram.publish(account('instagram'), content);
    expect(await adapters.instagram.findPublished(account('instagram'), content, anHourAgo())).toEqual(post);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/graph/v21.0/${IDS.instagram}/media`,
      query: { fields: 'id,caption,timestamp' },
    });
  });

  it('X: finds a whole thread, or the parts posted before it broke off, and continues it from there', async () => {
    const long = { ...content, copy: words(120) };
    expect(await adapters.twitter.findPublished(account('twitter'), long, anHourAgo())).toBeNull();
    const lookup = server.requests.at(-1)!;
    expect(lookup).toMatchObject({ method: 'GET', path: `/x/2/users/${IDS.twitter}/tweets`, status: 200 });
    expect(lookup.query).toEqual({
      start_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      max_results: '100',
      'tweet.fields': 'created_at,text',
    });
    expect(lookup.headers.authorization).toBe(`Bearer ${TOKENS.twitter}`);

    server.failNext('twitter', xFailures.serviceUnavailable(), { skip: 1 });
    const broken = await failureOf('twitter', long);
    const found = await adapters.twitter.findPublished(account('twitter'), long, anHourAgo());
    expect(found?.postIds).toEqual(broken.partialPostIds);
    const before = server.requests.length;
    const thread = await adapters.twitter.publish(account('twitter'), long, { postedParts: found!.postIds });
    const posts = server.requests.slice(before);
    expect(thread.postIds.slice(0, 1)).toEqual(broken.partialPostIds);
    expect(posts).toHaveLength(thread.postIds.length - 1);
    expect(posts[0]?.body.reply).toEqual({ in_reply_to_tweet_id: broken.partialPostIds[0] });
    expect(await adapters.twitter.findPublished(account('twitter'), long, anHourAgo())).toEqual(thread);
    expect(await adapters.twitter.publish(account('twitter'), long, { postedParts: thread.postIds })).toEqual(thread);
  });

  it('X: matches the text as X lists it, links shortened to t.co and & escaped', async () => {
    const listed = `Spring sale &amp; more\n\nEverything 20% off until Sunday.\n\nShop now: https://t.co/AbC123xyz`;
    server.failNext('twitter', {
      status: 200,
      body: { data: [{ id: '1799', text: listed }], meta: { result_count: 1 } },
    });
    const found = await adapters.twitter.findPublished(
      account('twitter'),
      { ...content, title: 'Spring sale & more' },
      anHourAgo(),
    );
    expect(found).toEqual({ platform: 'twitter', postId: '1799', postIds: ['1799'] });
  });

  it('Facebook and Instagram: a post given back in postedParts is the whole post, nothing is called', async () => {
    for (const platform of ['facebook', 'instagram'] as const) {
      const post = await adapters[platform].publish(account(platform), content, { postedParts: ['42'] });
      expect(post).toEqual({ platform, postId: '42', postIds: ['42'] });
    }
    expect(server.requests).toEqual([]);
  });

  it.each(PLATFORMS)('%s: a lookup fails like a publish, classified and without the token', async (platform) => {
    server.failNext(platform, platform === 'twitter' ? xFailures.serviceUnavailable() : graphFailures.serverError());
    const lookup = () => adapters[platform].findPublished(account(platform), content, anHourAgo());
    const unavailable = await lookup().catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(PlatformUnavailableError);
    server.expireToken(TOKENS[platform]);
    const refused = (await lookup().catch((e: unknown) => e)) as PlatformError;
    expect(refused).toBeInstanceOf(PlatformAuthError);
    expect(refused.message.startsWith(`${PLATFORM_NAMES[platform]}: `)).toBe(true);
    expect(refused.message).not.toContain(TOKENS[platform]);
  });
});
