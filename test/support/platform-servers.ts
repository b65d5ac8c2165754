// A local stand-in for the Meta Graph API (Facebook Page posts, Instagram containers and
// media_publish) and X API v2 (POST /2/tweets), answering the documented success and error
// bodies. It keeps what was posted and lists it back like the platforms' own timelines
// (GET /{page}/posts, GET /{ig user}/media, GET /2/users/:id/tweets). It records every request and
// can be scripted per test: `failNext` answers the next request of a platform with a given
// failure, `expireToken` makes a token refused from then on, `holdNext` keeps a post's answer
// back until the test lets it go (the post is made; its author just does not know yet).
// X's OAuth 2.0 with PKCE is served too: the consent page (GET /x/i/oauth2/authorize, which
// consents at once and redirects back with a code), the token endpoint (POST /x/2/oauth2/token:
// the code with its verifier, or a refresh token, for tokens; the client's Basic credentials),
// POST /x/2/oauth2/revoke and GET /x/2/users/me.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '../../src/social/platform.ts';

export interface RecordedRequest {
  /** By route: /feed and /photos are Facebook, /media and /media_publish Instagram; undefined if unknown. */
  platform: Platform | undefined;
  method: string;
  /** From the server root, without the query: /graph/v21.0/{id}/feed, /x/2/tweets. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The form or JSON fields sent. */
  body: Record<string, unknown>;
  rawBody: string;
  /** The HTTP status answered; undefined until answered, or when the connection was dropped. */
  status?: number;
}

/** A post held back by holdNext: `arrived` resolves once the platform has made it. */
export interface HeldPost {
  arrived: Promise<RecordedRequest>;
  /** Sends the answer (to a client that may be gone by then). */
  release(): void;
}

export type ScriptedFailure =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Close the connection without answering: a network error. */
  | { disconnect: true }
  /** Answer nothing for this long, then close: a timeout. */
  | { stallMs: number };

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

const graphError = (status: number, error: Record<string, unknown>): Answer => ({
  status,
  body: { error: { type: 'OAuthException', ...error, fbtrace_id: `A${randomBytes(9).toString('base64url')}` } },
});

const GRAPH_RATE_LIMITS = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
};

/** Documented Graph API error answers. */
export const graphFailures = {
  expiredToken: () =>
    graphError(400, {
      message:
        'Error validating access token: Session has expired on Tuesday, 10-Jun-25 12:00:00 PDT. The current time is Wednesday, 11-Jun-25 09:00:00 PDT.',
      code: 190,
      error_subcode: 463,
    }),
  rateLimited: (code: keyof typeof GRAPH_RATE_LIMITS = 4, status: 400 | 403 = 403) =>
    graphError(status, { message: GRAPH_RATE_LIMITS[code], code }),
  /** A Business Use Case limit (Page tokens), with the usage header saying when access comes back. */
  pageUseCaseLimited: (accountId: string, estimatedMinutes: number) => ({
    ...graphError(400, {
      message: '(#80001) There have been too many calls to this Page account. Wait a bit and try again.',
      code: 80001,
    }),
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        [accountId]: [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: estimatedMinutes }],
      }),
    },
  }),
  duplicate: () => graphError(400, { message: '(#506) Duplicate status message', code: 506 }),
  serverError: () =>
    graphError(500, {
      message: 'An unexpected error has occurred. Please retry your request later.',
      code: 2,
      is_transient: true,
    }),
};

const xProblem = (status: number, title: string, detail = title): Answer => ({
  status,
  body: { title, type: 'about:blank', status, detail },
});

/** Documented X API v2 error answers. */
export const xFailures = {
  unauthorized: () => xProblem(401, 'Unauthorized'),
  rateLimited: (resetEpochSeconds: number) => ({
    ...xProblem(429, 'Too Many Requests'),
    headers: {
      'x-rate-limit-limit': '100',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': `${resetEpochSeconds}`,
    },
  }),
  duplicate: () => xProblem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.'),
  serviceUnavailable: () => xProblem(503, 'Service Unavailable'),
  invalidRequest: (message: string): Answer => ({
    status: 400,
    body: {
      errors: [{ message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  }),
};

export const GRAPH_PATH = '/graph/v21.0';
export const X_PATH = '/x';

/** A post on a timeline: a Page's, an Instagram account's, or an X user's (known by its token). */
interface TimelinePost {
  platform: Platform;
  owner: string;
  id: string;
  text: string;
  created: Date;
}

/** The X app the stand-in knows, and the user who consents on its page. */
export const X_APP = { clientId: 'bG9jYWwteC1jbGllbnQ6MTpjaQ', clientSecret: 'local-x-client-secret-0123456789abcdef' };
export const X_USER = { id: '1580661436132757506', name: 'Acme Coffee', username: 'acmecoffee' };

interface World {
  posted: Set<string>;
  /** Codes the consent page gave, and the tokens issued (access → refresh; refresh tokens in use). */
  codes: Map<string, { redirectUri: string; challenge: string; used: boolean }>;
  refreshTokens: Set<string>;
  containers: Map<string, { account: string; caption: string; published: boolean }>;
  tweets: Set<string>;
  timeline: TimelinePost[];
  expiredTokens: Set<string>;
  nextId: bigint;
}

const newWorld = (): World => ({
  posted: new Set(),
  codes: new Map(),
  refreshTokens: new Set(),
  containers: new Map(),
  tweets: new Set(),
  timeline: [],
  expiredTokens: new Set(),
  nextId: 1445880548472328192n,
});

const newId = (world: World) => String(world.nextId++);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Graph takes the token as a form/JSON field, a query parameter, or an Authorization header. */
function graphToken(request: RecordedRequest): string | undefined {
  const bearer = request.headers.authorization?.match(/^(?:Bearer|OAuth) (.+)$/)?.[1];
  return text(request.body.access_token) ?? request.query.access_token ?? bearer;
}

function answerGraph(world: World, request: RecordedRequest, account: string, edge: string): Answer {
  const token = graphToken(request);
  if (!token) return graphError(400, { message: 'An access token is required to request this resource.', code: 104 });
  if (world.expiredTokens.has(token)) return graphFailures.expiredToken();
  const { message, link, url, caption, image_url: imageUrl, creation_id: creationId } = request.body;
  if (edge === 'feed' || edge === 'photos') {
    if (edge === 'feed' && !message && !link) {
      return graphError(400, { message: '(#100) Missing message or attachment', code: 100 });
    }
    if (edge === 'photos' && !url) return graphError(400, { message: '(#324) Requires upload file', code: 324 });
    const key = `${account}\n${text(message) ?? text(caption) ?? ''}`;
    if (world.posted.has(key)) return graphFailures.duplicate();
    world.posted.add(key);
    const id = newId(world);
    const postId = `${account}_${id}`;
    const postText = text(message) ?? text(caption) ?? '';
    world.timeline.push({ platform: 'facebook', owner: account, id: postId, text: postText, created: new Date() });
    return { status: 200, body: edge === 'feed' ? { id: postId } : { id, post_id: postId } };
  }
  if (edge === 'media') {
    if (!imageUrl) return graphError(400, { message: '(#100) The parameter image_url is required', code: 100 });
    const id = newId(world);
    world.containers.set(id, { account, caption: text(caption) ?? '', published: false });
    return { status: 200, body: { id } };
  }
  const container = world.containers.get(text(creationId) ?? '');
  if (!container || container.account !== account || container.published) {
    return graphError(400, { message: 'Invalid parameter', code: 100, error_user_msg: 'The media was not found.' });
  }
  container.published = true;
  const id = newId(world);
  world.timeline.push({ platform: 'instagram', owner: account, id, text: container.caption, created: new Date() });
  return { status: 200, body: { id } };
}

function answerX(world: World, request: RecordedRequest): Answer {
  const token = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  if (!token || world.expiredTokens.has(token)) return xFailures.unauthorized();
  const tweet = text(request.body.text);
  if (!tweet) return xFailures.invalidRequest('The `text` field is required and must be a non-empty string.');
  const reply = request.body.reply as { in_reply_to_tweet_id?: unknown } | undefined;
  if (reply && !world.tweets.has(text(reply.in_reply_to_tweet_id) ?? '')) {
    return xProblem(403, 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.');
  }
  const key = `${token}\n${tweet}`;
  if (world.posted.has(key)) return xFailures.duplicate();
  world.posted.add(key);
  const id = newId(world);
  world.tweets.add(id);
  world.timeline.push({ platform: 'twitter', owner: token, id, text: tweet, created: new Date() });
  return { status: 201, body: { data: { id, text: tweet } } };
}

/** Newest first, as every platform lists them. */
const timelineOf = (world: World, platform: Platform, owner: string, since: number) =>
  world.timeline
    .filter((post) => post.platform === platform && post.owner === owner && post.created.getTime() >= since)
    .reverse();

/** Graph's time format: 2025-06-11T09:00:00+0000. */
const graphTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+0000');

/** GET /{page}/posts (message, created_time) and /{ig user}/media (caption, timestamp): `{ data, paging }`. */
function listGraph(world: World, request: RecordedRequest, account: string, edge: string): Answer {
  const token = graphToken(request);
  if (!token) return graphError(400, { message: 'An access token is required to request this resource.', code: 104 });
  if (world.expiredTokens.has(token)) return graphFailures.expiredToken();
  const platform = GRAPH_LISTS[edge]!;
  const since = Number(request.query.since ?? 0) * 1000;
  const data = timelineOf(world, platform, account, since).map((post) =>
    platform === 'facebook'
      ? { id: post.id, message: post.text, created_time: graphTime(post.created) }
      : { id: post.id, caption: post.text, timestamp: graphTime(post.created) },
  );
  const cursors = { before: 'QVFIUmRfYmVmb3Jl', after: 'QVFIUmFfYWZ0ZXI' };
  return { status: 200, body: data.length > 0 ? { data, paging: { cursors } } : { data } };
}

/**
 * GET /2/users/:id/tweets: `{ data, meta }`, without `data` when there is none. The server knows
 * users by their tokens only, so the timeline is the tweets posted with the token asking.
 */
function listX(world: World, request: RecordedRequest): Answer {
  const token = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  if (!token || world.expiredTokens.has(token)) return xFailures.unauthorized();
  const since = request.query.start_time ? Date.parse(request.query.start_time) : 0;
  const tweets = timelineOf(world, 'twitter', token, since).map((post) => ({
    id: post.id,
    text: post.text,
    created_at: post.created.toISOString(),
    edit_history_tweet_ids: [post.id],
  }));
  if (tweets.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
  const meta = { result_count: tweets.length, newest_id: tweets[0]!.id, oldest_id: tweets.at(-1)!.id };
  return { status: 200, body: { data: tweets, meta } };
}

const oauthError = (error: string, description: string): Answer => ({
  status: 400,
  body: { error, error_description: description },
});

/** The consent page: the person always consents, and is sent back at once with a code. */
function xAuthorize(world: World, request: RecordedRequest): Answer {
  const q = request.query;
  if (q.client_id !== X_APP.clientId) return { status: 400, body: 'Something went wrong: unknown client.' };
  if (q.response_type !== 'code' || !q.redirect_uri || q.code_challenge_method !== 'S256' || !q.code_challenge) {
    return { status: 400, body: 'Something went wrong: invalid authorization request.' };
  }
  const code = randomBytes(40).toString('base64url');
  world.codes.set(code, { redirectUri: q.redirect_uri, challenge: q.code_challenge, used: false });
  const back = new URL(q.redirect_uri);
  back.searchParams.set('state', q.state ?? '');
  back.searchParams.set('code', code);
  return { status: 302, headers: { location: back.toString() }, body: '' };
}

function issueXTokens(world: World): Answer {
  const refreshToken = randomBytes(40).toString('base64url');
  world.refreshTokens.add(refreshToken);
  const accessToken = randomBytes(40).toString('base64url');
  const scope = 'tweet.read tweet.write users.read offline.access';
  const body = {
    token_type: 'bearer',
    expires_in: 7200,
    access_token: accessToken,
    scope,
    refresh_token: refreshToken,
  };
  return { status: 200, body };
}

/** The confidential client's Basic credentials, or X's refusal. */
const clientRefused = (request: RecordedRequest): Answer | undefined => {
  const basic = Buffer.from(`${X_APP.clientId}:${X_APP.clientSecret}`).toString('base64');
  if (request.headers.authorization === `Basic ${basic}`) return undefined;
  return {
    status: 401,
    body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' },
  };
};

/** POST /2/oauth2/token, as a confidential client: Basic credentials, then the grant. */
function xToken(world: World, request: RecordedRequest): Answer {
  const refused = clientRefused(request);
  if (refused) return refused;
  const form = request.body as Record<string, string>;
  if (form.grant_type === 'refresh_token') {
    if (!world.refreshTokens.delete(form.refresh_token ?? '')) {
      return oauthError('invalid_request', 'Value passed for the token was invalid.');
    }
    return issueXTokens(world);
  }
  if (form.grant_type !== 'authorization_code') return oauthError('unsupported_grant_type', 'Unsupported grant type');
  const code = world.codes.get(form.code ?? '');
  if (!code || code.used) return oauthError('invalid_request', 'Value passed for the authorization code was invalid.');
  const verified =
    createHash('sha256')
      .update(form.code_verifier ?? '')
      .digest('base64url') === code.challenge;
  if (code.redirectUri !== form.redirect_uri || !verified) {
    return oauthError('invalid_request', 'Value passed for the authorization code was invalid.');
  }
  code.used = true;
  return issueXTokens(world);
}

/** POST /2/oauth2/revoke: the token stops working (an unknown one is answered the same, as RFC 7009 says). */
function xRevoke(world: World, request: RecordedRequest): Answer {
  const refused = clientRefused(request);
  if (refused) return refused;
  const token = text(request.body.token) ?? '';
  world.refreshTokens.delete(token);
  world.expiredTokens.add(token);
  return { status: 200, body: { revoked: true } };
}

function xMe(world: World, request: RecordedRequest): Answer {
  const token = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  if (!token || world.expiredTokens.has(token)) return xFailures.unauthorized();
  return { status: 200, body: { data: X_USER } };
}

const X_OAUTH_ROUTES: Record<string, Route['answer']> = {
  [`GET ${X_PATH}/i/oauth2/authorize`]: xAuthorize,
  [`POST ${X_PATH}/2/oauth2/token`]: xToken,
  [`POST ${X_PATH}/2/oauth2/revoke`]: xRevoke,
  [`GET ${X_PATH}/2/users/me`]: xMe,
};

const GRAPH_ROUTE = new RegExp(`^${GRAPH_PATH.replaceAll('.', '\\.')}/([^/]+)/(feed|photos|media|media_publish)$`);
const GRAPH_PLATFORMS: Record<string, Platform> = {
  feed: 'facebook',
  photos: 'facebook',
  media: 'instagram',
  media_publish: 'instagram',
};

const GRAPH_LIST_ROUTE = new RegExp(`^${GRAPH_PATH.replaceAll('.', '\\.')}/([^/]+)/(posts|media)$`);
const GRAPH_LISTS: Record<string, Platform> = { posts: 'facebook', media: 'instagram' };
const X_LIST_ROUTE = new RegExp(`^${X_PATH}/2/users/([^/]+)/tweets$`);

type Route = { platform: Platform; answer: (world: World, r: RecordedRequest) => Answer };

function listRoute(path: string): Route | undefined {
  if (X_LIST_ROUTE.test(path)) return { platform: 'twitter', answer: listX };
  const [, account, edge] = path.match(GRAPH_LIST_ROUTE) ?? [];
  if (!account || !edge) return undefined;
  return { platform: GRAPH_LISTS[edge]!, answer: (world, r) => listGraph(world, r, account, edge) };
}

function route(method: string, path: string): Route | undefined {
  const oauth = X_OAUTH_ROUTES[`${method} ${path}`];
  if (oauth) return { platform: 'twitter', answer: oauth };
  if (method === 'GET') return listRoute(path);
  if (method !== 'POST') return undefined;
  if (path === `${X_PATH}/2/tweets`) return { platform: 'twitter', answer: answerX };
  const [, account, edge] = path.match(GRAPH_ROUTE) ?? [];
  if (!account || !edge) return undefined;
  return { platform: GRAPH_PLATFORMS[edge]!, answer: (world, r) => answerGraph(world, r, account, edge) };
}

function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  if (contentType?.startsWith('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return {};
}

export interface PlatformServer {
  /** Point createPlatformAdapters' graphBaseUrl and xBaseUrl here. */
  graphBaseUrl: string;
  xBaseUrl: string;
  /** X's consent page here. */
  xAuthorizationUrl: string;
  readonly requests: RecordedRequest[];
  requestsOf(platform: Platform): RecordedRequest[];
  /** The next request of `platform`, after letting `skip` of them through, gets `failure`. Queued in order. */
  failNext(platform: Platform, failure: ScriptedFailure, options?: { skip?: number }): void;
  /**
   * The next post (POST) of `platform` is made, but its answer waits for `release()`: a test can
   * act in the moment between the platform posting and its client hearing of it.
   */
  holdNext(platform: Platform): HeldPost;
  /** From now on, requests with this token get the platform's expired-token answer. */
  expireToken(token: string): void;
  /** Forgets requests, scripts, expired tokens and posts (so nothing counts as a duplicate). */
  reset(): void;
  close(): Promise<void>;
}

export async function startPlatformServer(): Promise<PlatformServer> {
  const requests: RecordedRequest[] = [];
  let world = newWorld();
  let script: { platform: Platform; failure: ScriptedFailure; skip: number }[] = [];
  let holds: { platform: Platform; arrive: (request: RecordedRequest) => void; released: Promise<void> }[] = [];
  const stalls = new Set<NodeJS.Timeout>();

  const takeHold = (platform: Platform) => {
    const hold = holds.find((entry) => entry.platform === platform);
    holds = holds.filter((entry) => entry !== hold);
    return hold;
  };

  const takeFailure = (platform: Platform): ScriptedFailure | undefined => {
    const next = script.find((entry) => entry.platform === platform);
    if (!next) return undefined;
    if (next.skip > 0) {
      next.skip -= 1;
      return undefined;
    }
    script = script.filter((entry) => entry !== next);
    return next.failure;
  };

  const send = (response: ServerResponse, request: RecordedRequest, answer: Answer) => {
    request.status = answer.status;
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
    response.end(body);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const method = incoming.method ?? 'GET';
    const matched = route(method, url.pathname);
    const request: RecordedRequest = {
      platform: matched?.platform,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      body: parseBody(incoming.headers['content-type'], rawBody),
      rawBody,
    };
    requests.push(request);
    const failure = matched && takeFailure(matched.platform);
    if (failure && 'disconnect' in failure) incoming.socket.destroy();
    else if (failure && 'stallMs' in failure) stalls.add(setTimeout(() => incoming.socket.destroy(), failure.stallMs));
    else if (failure) send(response, request, { ...failure, body: failure.body ?? {} });
    else if (matched) {
      const answer = matched.answer(world, request);
      const hold = method === 'POST' ? takeHold(matched.platform) : undefined;
      if (hold) {
        hold.arrive(request);
        await hold.released;
      }
      send(response, request, answer);
    } else send(response, request, xProblem(404, 'Not Found', `No route for ${method} ${url.pathname}`));
  };

  const server = createServer((incoming, response) => void handle(incoming, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    graphBaseUrl: `${origin}${GRAPH_PATH}`,
    xBaseUrl: `${origin}${X_PATH}`,
    xAuthorizationUrl: `${origin}${X_PATH}/i/oauth2/authorize`,
    requests,
    requestsOf: (platform) => requests.filter((request) => request.platform === platform),
    failNext: (platform, failure, options = {}) => script.push({ platform, failure, skip: options.skip ?? 0 }),
    holdNext: (platform) => {
      const arrived = Promise.withResolvers<RecordedRequest>();
      const released = Promise.withResolvers<void>();
      holds.push({ platform, arrive: arrived.resolve, released: released.promise });
      return { arrived: arrived.promise, release: () => released.resolve() };
    },
    expireToken: (token) => world.expiredTokens.add(token),
    reset: () => {
      requests.length = 0;
      script = [];
      holds = [];
      world = newWorld();
    },
    close: () => {
      for (const timer of stalls) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
