// A local stand-in for the Google Ads API over REST and Google's OAuth 2.0 endpoints, speaking
// their wire format: the consent page (answered at once with a redirect carrying a code), the
// token endpoint (authorization_code and refresh_token grants, invalid_grant), searchStream
// (a GAQL subset, answered as a JSON array of batches, int64 as strings), campaigns:mutate and
// campaignBudgets:mutate (update operations that change what later queries read, validateOnly,
// partialFailure), and the error envelope with its GoogleAdsFailure details. Knobs inject quota
// errors, expired tokens, transient failures, stalls and dropped connections; every call is
// logged. It listens on loopback, port 0. Tests use it, and so does bench:sync: it holds 10,000
// campaigns × 30 days and streams them in batches as they are built.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fieldMaskOf, parseQuery, QueryError, runQuery } from './google-ads-gaql.ts';
import { GoogleAdsWorld, type SimCustomer } from './google-ads-world.ts';

export const ADWORDS_SCOPE = 'https://www.googleapis.com/auth/adwords';
export const TOKEN_PATH = '/token';
export const AUTHORIZE_PATH = '/o/oauth2/v2/auth';

export type GoogleAdsCallKind =
  | 'authorize'
  | 'token'
  | 'searchStream'
  | 'campaigns:mutate'
  | 'campaignBudgets:mutate'
  | 'unknown';

export interface GoogleAdsCall {
  kind: GoogleAdsCallKind;
  method: string;
  path: string;
  /** v26…, for API calls. */
  version?: string | undefined;
  customerId?: string | undefined;
  headers: IncomingHttpHeaders;
  query: Record<string, string>;
  /** The JSON or form fields sent. */
  body: Record<string, unknown>;
  /** The GAQL of a searchStream. */
  gaql?: string | undefined;
  /** The HTTP status answered; undefined until answered, or when the connection was dropped. */
  status?: number;
  /** Batches a searchStream sent. */
  batches?: number;
}

/** What the next matching call gets instead of its answer. */
export type GoogleAdsFault =
  /** 429 RESOURCE_EXHAUSTED with a quotaError (and its retryDelay when given). */
  | { quota: 'RESOURCE_EXHAUSTED' | 'RESOURCE_TEMPORARILY_EXHAUSTED'; retryDelaySeconds?: number }
  /** 503 UNAVAILABLE. */
  | { unavailable: true }
  /** 500 INTERNAL with an internalError. */
  | { internal: true }
  /** 401 UNAUTHENTICATED, authenticationError OAUTH_TOKEN_EXPIRED, whatever the token. */
  | { tokenExpired: true }
  /** 400 whose message repeats the credentials sent (a careless proxy): for redaction tests. */
  | { echoCredentials: true }
  /** searchStream only: 200, `afterBatches` batches, then an error element (UNAVAILABLE) ending the stream. */
  | { failMidStream: true; afterBatches: number }
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** Close the connection without answering. */
  | { disconnect: true }
  /** Answer nothing for this long, then close. */
  | { stallMs: number };

export interface FaultOptions {
  /** Which calls: an API call (searchStream and the mutates) unless said. */
  on?: GoogleAdsCallKind | 'api';
  /** How many matching calls get it (default 1). */
  times?: number;
  /** Matching calls let through first. */
  skip?: number;
}

export interface GoogleAdsServerOptions {
  clientId?: string;
  clientSecret?: string;
  developerToken?: string;
  /** Rows per searchStream batch: 10,000, as Google, unless said. */
  batchSize?: number;
  /** expires_in of issued access tokens (3599 s unless said). */
  accessTokenLifetimeSeconds?: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

interface IssuedToken {
  refreshToken: string;
  expiresAt: number;
  expired: boolean;
}

interface IssuedCode {
  redirectUri: string;
  offline: boolean;
  scope: string;
  used: boolean;
}

const API_ROUTE = /^\/(v\d+)\/customers\/([^/]+)\/(googleAds:searchStream|campaigns:mutate|campaignBudgets:mutate)$/;
const requestId = () => randomBytes(16).toString('base64url');
const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

interface AdsErrorSpec {
  type: string;
  code: string;
  message: string;
  trigger?: { stringValue: string } | { int64Value: string };
  location?: { fieldName: string; index?: number }[];
  details?: Record<string, unknown>;
}

function adsError(spec: AdsErrorSpec): Record<string, unknown> {
  return {
    errorCode: { [spec.type]: spec.code },
    message: spec.message,
    ...(spec.trigger ? { trigger: spec.trigger } : {}),
    ...(spec.location ? { location: { fieldPathElements: spec.location } } : {}),
    ...(spec.details ? { details: spec.details } : {}),
  };
}

function failureDetail(version: string, errors: AdsErrorSpec[]) {
  return {
    '@type': `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`,
    errors: errors.map(adsError),
    requestId: requestId(),
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** The API's error envelope. */
function apiError(status: number, message: string, version?: string, errors: AdsErrorSpec[] = []): Answer {
  const details = version && errors.length > 0 ? [failureDetail(version, errors)] : [];
  return {
    status,
    body: { error: { code: status, message, status: STATUS_TEXT[status] ?? 'UNKNOWN', details } },
  };
}

/** Documented failures, by name. */
export const googleAdsFailures = {
  quota: (version: string, code = 'RESOURCE_EXHAUSTED', retryDelaySeconds?: number): Answer =>
    apiError(429, 'Resource has been exhausted (e.g. check quota).', version, [
      {
        type: 'quotaError',
        code,
        message:
          retryDelaySeconds === undefined
            ? 'Too many requests.'
            : `Too many requests. Retry in ${retryDelaySeconds} seconds.`,
        details: {
          quotaErrorDetails: {
            rateScope: 'DEVELOPER',
            rateName: 'Number of operations for basic access',
            ...(retryDelaySeconds === undefined ? {} : { retryDelay: `${retryDelaySeconds}s` }),
          },
        },
      },
    ]),
  unavailable: (): Answer => apiError(503, 'The service is currently unavailable.'),
  internal: (version: string): Answer =>
    apiError(500, 'Internal error encountered.', version, [
      { type: 'internalError', code: 'INTERNAL_ERROR', message: 'An internal error has occurred.' },
    ]),
  tokenExpired: (version: string): Answer =>
    apiError(401, 'Request had invalid authentication credentials.', version, [
      { type: 'authenticationError', code: 'OAUTH_TOKEN_EXPIRED', message: 'OAuth token in the header has expired.' },
    ]),
};

const oauthError = (status: number, error: string, description: string): Answer => ({
  status,
  body: { error, error_description: description },
});

function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export interface GoogleAdsServer {
  /** Point the client's baseUrl here (no version: the client adds it). */
  baseUrl: string;
  tokenUrl: string;
  authorizationUrl: string;
  clientId: string;
  clientSecret: string;
  developerToken: string;
  world: GoogleAdsWorld;
  readonly calls: GoogleAdsCall[];
  callsOf(kind: GoogleAdsCallKind): GoogleAdsCall[];
  /** A refresh token as if a user had connected before. */
  issueRefreshToken(): string;
  /** The refresh token stops working (invalid_grant), and access tokens from it are refused. */
  revokeRefreshToken(refreshToken: string): void;
  /** Every access token issued so far is expired from now on (OAUTH_TOKEN_EXPIRED). */
  expireAccessTokens(): void;
  failNext(fault: GoogleAdsFault, options?: FaultOptions): void;
  /** Forgets calls and faults (the data and tokens stay). */
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startGoogleAdsServer(options: GoogleAdsServerOptions = {}): Promise<GoogleAdsServer> {
  const clientId = options.clientId ?? 'nightshift-test.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? `GOCSPX-${randomBytes(12).toString('base64url')}`;
  const developerToken = options.developerToken ?? `devtoken-${randomBytes(8).toString('hex')}`;
  const batchSize = options.batchSize ?? 10_000;
  const lifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3599;
  const world = new GoogleAdsWorld();
  const calls: GoogleAdsCall[] = [];
  const refreshTokens = new Map<string, { revoked: boolean }>();
  const accessTokens = new Map<string, IssuedToken>();
  const codes = new Map<string, IssuedCode>();
  let faults: { fault: GoogleAdsFault; on: GoogleAdsCallKind | 'api'; times: number; skip: number }[] = [];
  const stalls = new Set<NodeJS.Timeout>();

  const issueRefreshToken = () => {
    const refreshToken = token('1//');
    refreshTokens.set(refreshToken, { revoked: false });
    return refreshToken;
  };

  const issueAccessToken = (refreshToken: string) => {
    const accessToken = token('ya29.');
    accessTokens.set(accessToken, { refreshToken, expiresAt: Date.now() + lifetimeSeconds * 1000, expired: false });
    return { access_token: accessToken, expires_in: lifetimeSeconds, scope: ADWORDS_SCOPE, token_type: 'Bearer' };
  };

  const takeFault = (kind: GoogleAdsCallKind): GoogleAdsFault | undefined => {
    const isApi = kind === 'searchStream' || kind === 'campaigns:mutate' || kind === 'campaignBudgets:mutate';
    const entry = faults.find((f) => f.on === kind || (f.on === 'api' && isApi));
    if (!entry) return undefined;
    if (entry.skip > 0) {
      entry.skip -= 1;
      return undefined;
    }
    entry.times -= 1;
    if (entry.times <= 0) faults = faults.filter((f) => f !== entry);
    return entry.fault;
  };

  // --- OAuth ----------------------------------------------------------------------------------

  const authorize = (call: GoogleAdsCall): Answer => {
    const { client_id: id, redirect_uri: redirectUri, response_type: type, scope = '', state } = call.query;
    if (id !== clientId) return { status: 401, body: 'Error 401: invalid_client. The OAuth client was not found.' };
    if (!redirectUri || type !== 'code') return { status: 400, body: 'Error 400: invalid_request' };
    const code = token('4/0A');
    codes.set(code, { redirectUri, offline: call.query.access_type === 'offline', scope, used: false });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (state !== undefined) back.searchParams.set('state', state);
    back.searchParams.set('scope', scope);
    return { status: 302, headers: { location: back.toString() }, body: '' };
  };

  const tokenGrant = (call: GoogleAdsCall): Answer => {
    const form = call.body as Record<string, string | undefined>;
    if (form.client_id !== clientId || form.client_secret !== clientSecret) {
      return oauthError(401, 'invalid_client', 'Unauthorized');
    }
    if (form.grant_type === 'refresh_token') {
      const known = refreshTokens.get(form.refresh_token ?? '');
      if (!known || known.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      return { status: 200, body: issueAccessToken(form.refresh_token!) };
    }
    if (form.grant_type === 'authorization_code') {
      const code = codes.get(form.code ?? '');
      if (!code || code.used) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
      if (code.redirectUri !== form.redirect_uri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      code.used = true;
      const refreshToken = issueRefreshToken();
      const answer = { ...issueAccessToken(refreshToken), scope: code.scope };
      return { status: 200, body: code.offline ? { ...answer, refresh_token: refreshToken } : answer };
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`);
  };

  // --- the API's checks -------------------------------------------------------------------------

  /** The customer the call may act on, or the refusal. */
  const admit = (call: GoogleAdsCall, version: string, customerId: string): SimCustomer | Answer => {
    const bearer = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    const issued = bearer ? accessTokens.get(bearer) : undefined;
    if (!issued) {
      return apiError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    }
    if (refreshTokens.get(issued.refreshToken)?.revoked) {
      return apiError(401, 'Request had invalid authentication credentials.', version, [
        {
          type: 'authenticationError',
          code: 'OAUTH_TOKEN_REVOKED',
          message: 'OAuth token in the header has been revoked.',
        },
      ]);
    }
    if (issued.expired || Date.now() >= issued.expiresAt) return googleAdsFailures.tokenExpired(version);
    if (call.headers['developer-token'] !== developerToken) {
      return apiError(401, 'Request had invalid authentication credentials.', version, [
        { type: 'authenticationError', code: 'DEVELOPER_TOKEN_INVALID', message: 'The developer token is not valid.' },
      ]);
    }
    if (!/^\d+$/.test(customerId)) {
      return apiError(400, 'Request contains an invalid argument.', version, [
        { type: 'requestError', code: 'INVALID_CUSTOMER_ID', message: 'Customer id is invalid.' },
      ]);
    }
    const customer = world.customers.get(customerId);
    if (!customer) {
      return apiError(403, 'The caller does not have permission', version, [
        {
          type: 'authorizationError',
          code: 'USER_PERMISSION_DENIED',
          message: "User doesn't have permission to access customer.",
        },
      ]);
    }
    const login = call.headers['login-customer-id'];
    if (customer.managerId !== undefined && login !== customer.managerId) {
      return apiError(403, 'The caller does not have permission', version, [
        {
          type: 'authorizationError',
          code: 'USER_PERMISSION_DENIED',
          message:
            "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.",
        },
      ]);
    }
    return customer;
  };

  // --- searchStream ---------------------------------------------------------------------------

  const stream = async (
    response: ServerResponse,
    call: GoogleAdsCall,
    version: string,
    customer: SimCustomer,
    fault: GoogleAdsFault | undefined,
  ): Promise<Answer | undefined> => {
    const text = typeof call.body.query === 'string' ? call.body.query : '';
    call.gaql = text;
    let query: ReturnType<typeof parseQuery>;
    try {
      query = parseQuery(text);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      return apiError(400, 'Request contains an invalid argument.', version, [
        {
          type: 'queryError',
          code: error.code,
          message: error.message,
          ...(error.trigger ? { trigger: { stringValue: error.trigger } } : {}),
        },
      ]);
    }
    const failAfter = fault && 'failMidStream' in fault ? fault.afterBatches : undefined;
    const fieldMask = fieldMaskOf(query);
    const id = requestId();
    call.status = 200;
    call.batches = 0;
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    const write = async (chunk: string) => {
      if (response.write(chunk) || response.destroyed) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    };
    await write('[');
    let batch: unknown[] = [];
    const flush = async (last: boolean) => {
      const body = {
        ...(batch.length > 0 ? { results: batch } : {}),
        fieldMask,
        requestId: id,
        ...(last ? { queryResourceConsumption: '1' } : {}),
      };
      await write(`${call.batches! > 0 ? ',' : ''}${JSON.stringify(body)}`);
      call.batches! += 1;
      batch = [];
    };
    for (const row of runQuery(customer, query)) {
      if (response.destroyed) return undefined;
      batch.push(row);
      if (batch.length >= batchSize) {
        if (failAfter !== undefined && call.batches >= failAfter) break;
        await flush(false);
      }
    }
    if (failAfter !== undefined && call.batches >= failAfter) {
      const error = googleAdsFailures.unavailable().body as { error: unknown };
      await write(`${call.batches > 0 ? ',' : ''}${JSON.stringify({ error: error.error })}]`);
    } else {
      if (batch.length > 0 || call.batches === 0) await flush(true);
      await write(']');
    }
    response.end();
    return undefined;
  };

  // --- mutates --------------------------------------------------------------------------------

  type Check = (
    customer: SimCustomer,
    update: Record<string, unknown>,
    index: number,
  ) => { errors: AdsErrorSpec[]; apply: () => string };

  const at = (index: number, ...names: string[]) => [
    { fieldName: 'operations', index },
    { fieldName: 'update' },
    ...names.map((fieldName) => ({ fieldName })),
  ];

  const notFound = (index: number, resourceName: unknown): AdsErrorSpec => ({
    type: 'mutateError',
    code: 'RESOURCE_NOT_FOUND',
    message: 'The requested resource was not found.',
    trigger: { stringValue: String(resourceName ?? '') },
    location: at(index, 'resource_name'),
  });

  const campaignCheck: Check = (customer, update, index) => {
    const match = /^customers\/(\d+)\/campaigns\/(\d+)$/.exec(String(update.resourceName ?? ''));
    const campaign = match?.[1] === customer.id ? customer.campaigns.get(match[2]!) : undefined;
    if (!campaign) return { errors: [notFound(index, update.resourceName)], apply: () => '' };
    const errors: AdsErrorSpec[] = [];
    if (campaign.status === 'REMOVED') {
      errors.push({
        type: 'operationAccessDeniedError',
        code: 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE',
        message: 'Operation is not permitted for a removed resource.',
        location: at(index),
      });
    }
    const status = update.status;
    if (status !== 'ENABLED' && status !== 'PAUSED') {
      errors.push({
        type: 'fieldError',
        code: 'INVALID_VALUE',
        message: 'The field is not allowed to have this value.',
        trigger: { stringValue: String(status) },
        location: at(index, 'status'),
      });
    }
    return {
      errors,
      apply: () => {
        campaign.status = status as 'ENABLED' | 'PAUSED';
        return `customers/${customer.id}/campaigns/${campaign.id}`;
      },
    };
  };

  const budgetCheck: Check = (customer, update, index) => {
    const match = /^customers\/(\d+)\/campaignBudgets\/(\d+)$/.exec(String(update.resourceName ?? ''));
    const budget = match?.[1] === customer.id ? customer.budgets.get(match[2]!) : undefined;
    if (!budget) return { errors: [notFound(index, update.resourceName)], apply: () => '' };
    const raw = update.amountMicros;
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    const location = at(index, 'amount_micros');
    if (!/^-?\d{1,19}$/.test(text) || BigInt(text) > 9_223_372_036_854_775_807n) {
      return {
        errors: [
          {
            type: 'requestError',
            code: 'INVALID_INPUT',
            message: 'The input is invalid.',
            trigger: { stringValue: text },
            location,
          },
        ],
        apply: () => '',
      };
    }
    const amount = BigInt(text);
    const trigger = { int64Value: text };
    const errors: AdsErrorSpec[] = [];
    if (amount < 0n) {
      errors.push({
        type: 'campaignBudgetError',
        code: 'NEGATIVE_MONEY_AMOUNT',
        message: 'A money amount was negative.',
        trigger,
        location,
      });
    } else if (amount % 10_000n !== 0n) {
      errors.push({
        type: 'campaignBudgetError',
        code: 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT',
        message: 'A money amount was not a multiple of a minimum unit.',
        trigger,
        location,
      });
    }
    return {
      errors,
      apply: () => {
        budget.amountMicros = amount;
        return `customers/${customer.id}/campaignBudgets/${budget.id}`;
      },
    };
  };

  const mutate = (call: GoogleAdsCall, version: string, customer: SimCustomer, check: Check, mask: string): Answer => {
    const operations = Array.isArray(call.body.operations) ? (call.body.operations as unknown[]) : [];
    if (operations.length === 0) {
      return apiError(400, 'Request contains an invalid argument.', version, [
        { type: 'mutateError', code: 'OPERATIONS_REQUIRED', message: 'At least one operation is required.' },
      ]);
    }
    if (operations.length > 10_000) {
      return apiError(400, 'Request contains an invalid argument.', version, [
        { type: 'requestError', code: 'TOO_MANY_MUTATE_OPERATIONS', message: 'Too many mutate operations.' },
      ]);
    }
    const checked = operations.map((raw, index) => {
      const operation = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const update = operation.update;
      if (typeof update !== 'object' || update === null) {
        const errors: AdsErrorSpec[] = [
          {
            type: 'fieldError',
            code: 'REQUIRED',
            message: 'The required field was not present.',
            location: [{ fieldName: 'operations', index }, { fieldName: 'update' }],
          },
        ];
        return { errors, apply: () => '' };
      }
      const paths = String(operation.updateMask ?? '')
        .split(',')
        .map((path) => snake(path.trim()))
        .filter(Boolean);
      if (paths.length === 0 || paths.some((path) => path !== mask)) {
        const errors: AdsErrorSpec[] = [
          {
            type: 'fieldMaskError',
            code: paths.length === 0 ? 'FIELD_MASK_MISSING' : 'FIELD_NOT_FOUND',
            message:
              paths.length === 0
                ? 'The field mask must be provided for update operations.'
                : 'The field mask specified a field this stand-in does not update.',
            trigger: { stringValue: String(operation.updateMask ?? '') },
            location: [{ fieldName: 'operations', index }, { fieldName: 'update_mask' }],
          },
        ];
        return { errors, apply: () => '' };
      }
      return check(customer, update as Record<string, unknown>, index);
    });
    const errors = checked.flatMap((c) => c.errors);
    const validateOnly = call.body.validateOnly === true;
    if (errors.length > 0 && call.body.partialFailure !== true) {
      return apiError(400, 'Request contains an invalid argument.', version, errors);
    }
    const results = checked.map((c) => {
      if (c.errors.length > 0) return {};
      const name = validateOnly ? '' : c.apply();
      return name ? { resourceName: name } : {};
    });
    if (validateOnly && errors.length === 0) return { status: 200, body: {} };
    const body: Record<string, unknown> = validateOnly ? {} : { results };
    if (errors.length > 0) {
      const first = errors[0]!;
      const where = (first.location ?? [])
        .map((e) => (e.index === undefined ? e.fieldName : `${e.fieldName}[${e.index}]`))
        .join('.');
      body.partialFailureError = {
        code: 3,
        message: `Multiple errors in ‘details’. First error: ${first.message}, at ${where}`,
        details: [failureDetail(version, errors)],
      };
    }
    return { status: 200, body };
  };

  // --- routing ----------------------------------------------------------------------------------

  const send = (response: ServerResponse, call: GoogleAdsCall, answer: Answer) => {
    call.status = answer.status;
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    const type = typeof answer.body === 'string' ? 'text/html; charset=UTF-8' : 'application/json; charset=UTF-8';
    response.writeHead(answer.status, { 'content-type': type, ...answer.headers });
    response.end(body);
  };

  const echo = (call: GoogleAdsCall, version: string): Answer => {
    const sent = [
      call.headers.authorization,
      call.headers['developer-token'],
      call.body.refresh_token,
      call.body.client_secret,
    ]
      .filter(Boolean)
      .join(' | ');
    if (call.kind === 'token') return oauthError(400, 'invalid_request', `Could not read ${sent}`);
    return apiError(400, `Invalid request, credentials sent: ${sent}`, version, [
      {
        type: 'requestError',
        code: 'INVALID_INPUT',
        message: `Could not read ${sent}`,
        trigger: { stringValue: sent },
      },
    ]);
  };

  const faultAnswer = (fault: GoogleAdsFault, call: GoogleAdsCall, version: string): Answer | undefined => {
    if ('quota' in fault) return googleAdsFailures.quota(version, fault.quota, fault.retryDelaySeconds);
    if ('unavailable' in fault) return googleAdsFailures.unavailable();
    if ('internal' in fault) return googleAdsFailures.internal(version);
    if ('tokenExpired' in fault) return googleAdsFailures.tokenExpired(version);
    if ('echoCredentials' in fault) return echo(call, version);
    if ('status' in fault)
      return { status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) };
    return undefined;
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const method = incoming.method ?? 'GET';
    const api = method === 'POST' ? API_ROUTE.exec(url.pathname) : null;
    const kind: GoogleAdsCallKind = api
      ? (api[3]!.replace('googleAds:', '') as GoogleAdsCallKind)
      : method === 'POST' && url.pathname === TOKEN_PATH
        ? 'token'
        : method === 'GET' && url.pathname === AUTHORIZE_PATH
          ? 'authorize'
          : 'unknown';
    const version = api?.[1] ?? 'v26';
    const call: GoogleAdsCall = {
      kind,
      method,
      path: url.pathname,
      version: api?.[1],
      customerId: api?.[2],
      headers: incoming.headers,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(incoming.headers['content-type'], rawBody),
    };
    calls.push(call);
    const fault = kind === 'unknown' ? undefined : takeFault(kind);
    if (fault && 'disconnect' in fault) return void incoming.socket.destroy();
    if (fault && 'stallMs' in fault) {
      const timer = setTimeout(() => {
        stalls.delete(timer);
        incoming.socket.destroy();
      }, fault.stallMs);
      stalls.add(timer);
      return;
    }
    const scripted = fault && faultAnswer(fault, call, version);
    if (scripted) return send(response, call, scripted);
    if (kind === 'authorize') return send(response, call, authorize(call));
    if (kind === 'token') return send(response, call, tokenGrant(call));
    if (!api) return send(response, call, apiError(404, `No route for ${method} ${url.pathname}`));
    const admitted = admit(call, version, api[2]!);
    if (!('campaigns' in admitted)) return send(response, call, admitted);
    if (kind === 'searchStream') {
      const refused = await stream(response, call, version, admitted, fault);
      if (refused) send(response, call, refused);
      return;
    }
    const check = kind === 'campaigns:mutate' ? campaignCheck : budgetCheck;
    return send(
      response,
      call,
      mutate(call, version, admitted, check, kind === 'campaigns:mutate' ? 'status' : 'amount_micros'),
    );
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    authorizationUrl: `${origin}${AUTHORIZE_PATH}`,
    clientId,
    clientSecret,
    developerToken,
    world,
    calls,
    callsOf: (kind) => calls.filter((call) => call.kind === kind),
    issueRefreshToken,
    revokeRefreshToken: (refreshToken) => {
      const known = refreshTokens.get(refreshToken);
      if (known) known.revoked = true;
    },
    expireAccessTokens: () => {
      for (const issued of accessTokens.values()) issued.expired = true;
    },
    failNext: (fault, faultOptions = {}) =>
      faults.push({
        fault,
        on: faultOptions.on ?? 'api',
        times: faultOptions.times ?? 1,
        skip: faultOptions.skip ?? 0,
      }),
    resetCalls: () => {
      calls.length = 0;
      faults = [];
    },
    close: () => {
      for (const timer of stalls) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
