// A local stand-in for the Meta Graph API (Facebook Page posts, Instagram containers and
// media_publish) and X API v2 (POST /2/tweets), answering the documented success and error
// bodies. It records every request and can be scripted per test: `failNext` answers the next
// request of a platform with a given failure, `expireToken` makes a token refused from then on.
import { randomBytes } from 'node:crypto';
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

interface World {
  posted: Set<string>;
  containers: Map<string, { account: string; published: boolean }>;
  tweets: Set<string>;
  expiredTokens: Set<string>;
  nextId: bigint;
}

const newWorld = (): World => ({
  posted: new Set(),
  containers: new Map(),
  tweets: new Set(),
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
    return { status: 200, body: edge === 'feed' ? { id: `${account}_${id}` } : { id, post_id: `${account}_${id}` } };
  }
  if (edge === 'media') {
    if (!imageUrl) return graphError(400, { message: '(#100) The parameter image_url is required', code: 100 });
    const id = newId(world);
    world.containers.set(id, { account, published: false });
    return { status: 200, body: { id } };
  }
  const container = world.containers.get(text(creationId) ?? '');
  if (!container || container.account !== account || container.published) {
    return graphError(400, { message: 'Invalid parameter', code: 100, error_user_msg: 'The media was not found.' });
  }
  container.published = true;
  return { status: 200, body: { id: newId(world) } };
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
  return { status: 201, body: { data: { id, text: tweet } } };
}

const GRAPH_ROUTE = new RegExp(`^${GRAPH_PATH.replaceAll('.', '\\.')}/([^/]+)/(feed|photos|media|media_publish)$`);
const GRAPH_PLATFORMS: Record<string, Platform> = {
  feed: 'facebook',
  photos: 'facebook',
  media: 'instagram',
  media_publish: 'instagram',
};

function route(
  method: string,
  path: string,
): { platform: Platform; answer: (world: World, r: RecordedRequest) => Answer } | undefined {
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
  readonly requests: RecordedRequest[];
  requestsOf(platform: Platform): RecordedRequest[];
  /** The next request of `platform`, after letting `skip` of them through, gets `failure`. Queued in order. */
  failNext(platform: Platform, failure: ScriptedFailure, options?: { skip?: number }): void;
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
  const stalls = new Set<NodeJS.Timeout>();

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

  const send = (response: ServerResponse, answer: Answer) => {
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
    else if (failure) send(response, { ...failure, body: failure.body ?? {} });
    else if (matched) send(response, matched.answer(world, request));
    else send(response, xProblem(404, 'Not Found', `No route for ${method} ${url.pathname}`));
  };

  const server = createServer((incoming, response) => void handle(incoming, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    graphBaseUrl: `${origin}${GRAPH_PATH}`,
    xBaseUrl: `${origin}${X_PATH}`,
    requests,
    requestsOf: (platform) => requests.filter((request) => request.platform === platform),
    failNext: (platform, failure, options = {}) => script.push({ platform, failure, skip: options.skip ?? 0 }),
    expireToken: (token) => world.expiredTokens.add(token),
    reset: () => {
      requests.length = 0;
      script = [];
      world = newWorld();
    },
    close: () => {
      for (const timer of stalls) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
