// A local stand-in for the Meta Marketing API (Graph API wire format) on loopback: ad accounts,
// their campaigns and ad sets, and per-day insights with actions and action_values, served in
// cursor pages (`paging.cursors.after` and an absolute `paging.next`, which carries the access
// token the way Graph's does, so a client must not follow it blindly). Changes POSTed to a
// campaign or ad set are kept and read back. Answers carry Graph's error envelope and usage
// headers, and can be scripted: rate limits (codes 4, 17, 613, 80000, 80004, with
// x-business-use-case-usage), expired tokens (190), transient 500s, stalls and dropped
// connections, usage percentages on normal answers, or a call budget that throttles by itself.
// Every request is logged for assertions. Facebook Login is served too: the consent dialog
// (/{version}/dialog/oauth, which consents at once and redirects back with a code) and
// /{version}/oauth/access_token, which exchanges a code for a short-lived token and
// (grant_type=fb_exchange_token) a short-lived token for a long-lived one, with Graph's errors,
// and the Pages a person manages (GET /{version}/me/accounts: each with its own Page token and,
// when linked, its Instagram business account).
//
// Built for the tests and the sync benchmark alike: it holds 10,000 campaigns × 30 days of
// insights and serves a page from a cursor without rescanning what came before.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  /** Without the query: /v21.0/act_1/campaigns. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The form fields of a POST. */
  body: Record<string, string>;
  /** When it arrived, by the server's clock (`now`): a benchmark checks Meta's hourly limits against it. */
  at: Date;
  /** Undefined until answered, or when the connection was dropped or stalled. */
  status?: number;
}

export type ScriptedFailure =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Close the connection without answering: a network error. */
  | { disconnect: true }
  /** Answer nothing for this long, then close: a timeout. */
  | { stallMs: number };

export type RateLimitCode = 4 | 17 | 613 | 80000 | 80004;

export interface UsageSetting {
  /** x-business-use-case-usage, for the ad account the call is about. */
  callCount?: number;
  totalTime?: number;
  totalCputime?: number;
  /** estimated_time_to_regain_access, minutes. */
  regainMinutes?: number;
  /** x-ad-account-usage acc_id_util_pct, with reset_time_duration in seconds. */
  adAccountPct?: number;
  resetSeconds?: number;
  /** x-app-usage call_count. */
  appPct?: number;
}

export interface DayFigures {
  /** Decimal string in the account currency ("12.5"). */
  spend: string;
  impressions?: number | string;
  clicks?: number | string;
  /** action_type → value (decimal string), e.g. { 'offsite_conversion.fb_pixel_purchase': '3' }. */
  actions?: Record<string, string>;
  actionValues?: Record<string, string>;
}

export interface AccountSeed {
  /** Digits, without act_. */
  id: string;
  name?: string;
  currency?: string;
  timezoneName?: string;
  accountStatus?: number;
}

export interface ObjectSeed {
  id?: string;
  name?: string;
  status?: string;
  /** Minor units; absent when the budget lives on the other level. */
  dailyBudget?: string;
  lifetimeBudget?: string;
  objective?: string;
}

/** A campaign or ad set as the server holds it. */
export interface SimObject {
  kind: 'campaign' | 'adset';
  id: string;
  accountId: string;
  /** The ad set's campaign; the campaign's own id for a campaign. */
  campaignId: string;
  name: string;
  status: string;
  dailyBudget: string | null;
  lifetimeBudget: string | null;
  objective: string | null;
  updatedTime: Date;
}

export interface PortfolioSeed {
  accountId: string;
  campaigns: number;
  /** Days of insights per campaign (or per ad set), from `firstDay` on. */
  days: number;
  /** The first day (YYYY-MM-DD). */
  firstDay: string;
  conversionAction: string;
  currency?: string;
  /** Ad sets per campaign, each with its own day rows (none unless said). */
  adSetsPerCampaign?: number;
  /** PRNG seed, for the same portfolio every run. */
  seed?: number;
}

export interface PageSeed {
  id: string;
  name: string;
  instagram?: { id: string; username: string };
}

export interface MetaGraphServerOptions {
  /** Rows a page holds when the request sets no `limit` (Graph: 25). */
  defaultPageSize?: number;
  /** The most rows a page holds whatever `limit` asks. */
  maxPageSize?: number;
  /** When given, only these tokens are valid; otherwise any non-empty token is. */
  tokens?: string[];
  /** Put the caller's access token in `paging.next`, as Graph does (on unless said). */
  tokenInNextUrl?: boolean;
  /** Keep the call log (on unless said; a benchmark turns it off). */
  log?: boolean;
  now?: () => Date;
  /** The Meta app Facebook Login knows (the dialog and /oauth/access_token); defaults below. */
  appId?: string;
  appSecret?: string;
}

export interface MetaGraphServer {
  /** The origin, for a client's baseUrl: http://127.0.0.1:<port>. */
  baseUrl: string;
  /** Where the consent dialog is: `${dialogOrigin}/v21.0/dialog/oauth` (the same origin here). */
  dialogOrigin: string;
  appId: string;
  appSecret: string;
  /** The long-lived tokens /oauth/access_token issued, oldest first; each is accepted by the API. */
  readonly issuedTokens: string[];
  readonly calls: RecordedCall[];
  addAdAccount(seed: AccountSeed): void;
  /** A Page the consenting person manages, listed by /me/accounts (kept across reset()). */
  addPage(seed: PageSeed): void;
  /** The Page tokens /me/accounts handed out last, by Page id. */
  readonly pageTokens: Map<string, string>;
  addCampaign(accountId: string, seed?: ObjectSeed): SimObject;
  addAdSet(accountId: string, campaignId: string, seed?: ObjectSeed): SimObject;
  /** Sets (replaces) one day's figures of a campaign or ad set. Levels are not summed into each other. */
  setDay(objectId: string, date: string, figures: DayFigures): void;
  /** A deterministic account of `campaigns` campaigns with `days` days each; answers the campaign ids. */
  seedPortfolio(seed: PortfolioSeed): string[];
  /** The campaign or ad set as held now (a copy). */
  object(id: string): SimObject | undefined;

  /** The next requests (after `skip`) get `failure`, `times` of them (1 unless said). Queued in order. */
  failNext(failure: ScriptedFailure, options?: { skip?: number; times?: number }): void;
  /** The next `times` requests are refused with a rate-limit error of `code` and its usage headers. */
  rateLimitNext(options?: { code?: RateLimitCode; regainMinutes?: number; times?: number; status?: number }): void;
  /** The next `times` requests get Graph's transient 500 (code 2, is_transient). */
  failTransient(times?: number): void;
  /** From now on this token is refused as expired (190/463). */
  expireToken(token: string): void;
  /** Usage headers on every answer from now on; null stops them. */
  setUsage(usage: UsageSetting | null): void;
  /**
   * A call budget: each call counts; the BUC header reports count / perWindow as call_count; past it
   * calls are refused (80004, or 80000 on insights) until resetUsage. null removes it.
   */
  limitCalls(limit: { perWindow: number; regainMinutes: number } | null): void;
  resetUsage(): void;

  /** Forgets the log, the scripts, usage settings and expired tokens; the accounts stay. */
  resetScripts(): void;
  /** Forgets everything, accounts included. */
  reset(): void;
  close(): Promise<void>;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

interface Account {
  id: string;
  name: string;
  currency: string;
  timezoneName: string;
  accountStatus: number;
  campaigns: SimObject[];
  adSets: SimObject[];
}

/**
 * One object's days in date order, column by column: 300,000 rows as a few strings each rather
 * than a dozen objects each, which keeps the garbage collector out of the way of a benchmark.
 */
interface Days {
  dates: string[];
  spend: string[];
  impressions: number[];
  clicks: number[];
  /** The actions and action_values lists as JSON text; '' when empty. */
  actions: string[];
  actionValues: string[];
}

interface World {
  accounts: Map<string, Account>;
  objects: Map<string, SimObject>;
  days: Map<string, Days>;
  /**
   * Each object's insights rows as JSON text for the fields last asked, written once: the stand-in
   * is not what the sync benchmark measures, and writing the rows out on every read took 16% of
   * the samples of a profile of reading 5,000 campaigns × 30 days (cpu-prof, the client included).
   */
  rowJson: Map<string, { fields: string; rows: string[] }>;
  nextId: bigint;
}

const newWorld = (): World => ({
  accounts: new Map(),
  objects: new Map(),
  days: new Map(),
  rowJson: new Map(),
  nextId: 120210000000000001n,
});

/** Graph's time format: 2025-06-11T09:00:00+0000. */
const graphTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+0000');
const fbtrace = () => `A${randomBytes(9).toString('base64url')}`;

function graphError(status: number, error: Record<string, unknown>, headers?: Record<string, string>): Answer {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { error: { type: 'OAuthException', ...error, fbtrace_id: fbtrace() } },
  };
}

const RATE_LIMITS: Record<RateLimitCode, { message: string; subcode?: number; transient?: boolean; type: string }> = {
  4: { message: '(#4) Application request limit reached', subcode: 1504022, transient: true, type: 'ads_insights' },
  17: { message: '(#17) User request limit reached', subcode: 2446079, transient: true, type: 'ads_management' },
  613: {
    message: '(#613) Calls to this api have exceeded the rate limit.',
    subcode: 1487742,
    type: 'ads_management',
  },
  80000: {
    message: '(#80000) There have been too many calls from this ad-account. Wait a bit and try again.',
    subcode: 2446079,
    type: 'ads_insights',
  },
  80004: {
    message:
      '(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.',
    subcode: 2446079,
    type: 'ads_management',
  },
};

function bucHeader(accountId: string, type: string, usage: UsageSetting): Record<string, string> {
  const bucket = {
    type,
    call_count: usage.callCount ?? 0,
    total_cputime: usage.totalCputime ?? 0,
    total_time: usage.totalTime ?? 0,
    estimated_time_to_regain_access: usage.regainMinutes ?? 0,
  };
  return { 'x-business-use-case-usage': JSON.stringify({ [accountId || '0']: [bucket] }) };
}

function usageHeaders(accountId: string, type: string, usage: UsageSetting): Record<string, string> {
  const headers = bucHeader(accountId, type, usage);
  if (usage.adAccountPct !== undefined) {
    headers['x-ad-account-usage'] = JSON.stringify({
      acc_id_util_pct: usage.adAccountPct,
      reset_time_duration: usage.resetSeconds ?? 0,
      ads_api_access_tier: 'standard_access',
    });
  }
  if (usage.appPct !== undefined) {
    headers['x-app-usage'] = JSON.stringify({ call_count: usage.appPct, total_time: 0, total_cputime: 0 });
  }
  return headers;
}

function rateLimitAnswer(code: RateLimitCode, accountId: string, regainMinutes: number, status = 400): Answer {
  const limit = RATE_LIMITS[code];
  const headers = bucHeader(accountId, limit.type, { callCount: 100, totalTime: 100, regainMinutes });
  return graphError(
    status,
    {
      message: limit.message,
      code,
      ...(limit.subcode ? { error_subcode: limit.subcode } : {}),
      ...(limit.transient ? { is_transient: true } : {}),
    },
    headers,
  );
}

export const metaFailures = {
  expiredToken: () =>
    graphError(400, {
      message:
        'Error validating access token: Session has expired on Tuesday, 10-Jun-25 12:00:00 PDT. The current time is Wednesday, 11-Jun-25 09:00:00 PDT.',
      code: 190,
      error_subcode: 463,
    }),
  invalidToken: () => graphError(400, { message: 'Invalid OAuth access token - Cannot parse access token', code: 190 }),
  transient: () =>
    graphError(500, {
      message: 'An unexpected error has occurred. Please retry your request later.',
      code: 2,
      is_transient: true,
    }),
  rateLimited: rateLimitAnswer,
  unknownObject: (id: string, method: string) =>
    graphError(400, {
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      code: 100,
      error_subcode: 33,
      type: 'GraphMethodException',
    }),
  invalidParameter: (userMessage: string) =>
    graphError(400, {
      message: 'Invalid parameter',
      code: 100,
      error_user_title: 'Invalid parameter',
      error_user_msg: userMessage,
    }),
};

function tokenOf(headers: IncomingHttpHeaders, query: URLSearchParams, body: Record<string, string>) {
  const bearer = headers.authorization?.match(/^(?:Bearer|OAuth) (.+)$/)?.[1];
  return body.access_token ?? query.get('access_token') ?? bearer;
}

/** Opaque cursors, as Graph's are. */
const encodeCursor = (position: object) => Buffer.from(JSON.stringify(position)).toString('base64url');
function decodeCursor<T>(cursor: string | null): T | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Meta writes amounts without trailing zeros: "5339.5", "12", "0.07". */
function metaDecimal(cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** mulberry32: a small deterministic PRNG for seeded portfolios. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A list of actions as Graph writes it, as JSON text: [{"action_type": …, "value": …}, …]; '' when empty. */
function actionList(values: Record<string, string> | undefined): string {
  const entries = Object.entries(values ?? {});
  return entries.length > 0 ? JSON.stringify(entries.map(([type, value]) => ({ action_type: type, value }))) : '';
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function fieldsOf(query: URLSearchParams, fallback: string): Set<string> {
  return new Set((query.get('fields') ?? fallback).split(',').map((field) => field.trim()));
}

function objectFields(object: SimObject, fields: Set<string>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: object.id,
    name: object.name,
    status: object.status,
    configured_status: object.status,
    effective_status: object.status,
    daily_budget: object.dailyBudget ?? undefined,
    lifetime_budget: object.lifetimeBudget ?? undefined,
    objective: object.kind === 'campaign' ? (object.objective ?? undefined) : undefined,
    campaign_id: object.kind === 'adset' ? object.campaignId : undefined,
    account_id: object.accountId,
    updated_time: graphTime(object.updatedTime),
  };
  const out: Record<string, unknown> = { id: object.id };
  for (const field of fields) if (all[field] !== undefined) out[field] = all[field];
  return out;
}

interface Request {
  method: string;
  url: URL;
  /** Path segments after the version. */
  segments: string[];
  body: Record<string, string>;
}

export async function startMetaGraphServer(options: MetaGraphServerOptions = {}): Promise<MetaGraphServer> {
  const defaultPageSize = options.defaultPageSize ?? 25;
  const maxPageSize = options.maxPageSize ?? 500;
  const logging = options.log ?? true;
  const tokenInNext = options.tokenInNextUrl ?? true;
  const now = options.now ?? (() => new Date());
  const validTokens = options.tokens ? new Set(options.tokens) : undefined;
  const appId = options.appId ?? '1234567890123456';
  const appSecret = options.appSecret ?? 'local-meta-app-secret-0123456789abcdef';
  /** Codes the dialog gave: their redirect URI, and whether they were exchanged already. */
  const codes = new Map<string, { redirectUri: string; used: boolean }>();
  const shortLived = new Set<string>();
  const issuedTokens: string[] = [];
  const issued = new Set<string>();
  const pages: PageSeed[] = [];
  const pageTokens = new Map<string, string>();

  const calls: RecordedCall[] = [];
  let world = newWorld();
  /** What the next requests get instead of their answer: a failure, given the request. */
  let script: { failure: (request: Request) => Answer | ScriptedFailure; skip: number }[] = [];
  let expired = new Set<string>();
  let usage: UsageSetting | null = null;
  let callLimit: { perWindow: number; regainMinutes: number } | null = null;
  let counted = 0;
  const stalls = new Set<NodeJS.Timeout>();

  const newId = () => String(world.nextId++);

  const accountOf = (id: string) => world.accounts.get(id.replace(/^act_/, ''));

  function addAdAccount(seed: AccountSeed): void {
    world.accounts.set(seed.id, {
      id: seed.id,
      name: seed.name ?? `Ad account ${seed.id}`,
      currency: seed.currency ?? 'USD',
      timezoneName: seed.timezoneName ?? 'America/Los_Angeles',
      accountStatus: seed.accountStatus ?? 1,
      campaigns: [],
      adSets: [],
    });
  }

  function addObject(kind: 'campaign' | 'adset', accountId: string, campaignId: string | undefined, seed: ObjectSeed) {
    const account = accountOf(accountId);
    if (!account) throw new Error(`no ad account ${accountId}`);
    const id = seed.id ?? newId();
    const object: SimObject = {
      kind,
      id,
      accountId: account.id,
      campaignId: campaignId ?? id,
      name: seed.name ?? `${kind === 'campaign' ? 'Campaign' : 'Ad set'} ${id}`,
      status: seed.status ?? 'ACTIVE',
      dailyBudget: seed.dailyBudget ?? null,
      lifetimeBudget: seed.lifetimeBudget ?? null,
      objective: kind === 'campaign' ? (seed.objective ?? 'OUTCOME_SALES') : null,
      updatedTime: now(),
    };
    world.objects.set(id, object);
    (kind === 'campaign' ? account.campaigns : account.adSets).push(object);
    return object;
  }

  /** Stores one row of an object's days, in date order, replacing the day if it is there. */
  function putRow(objectId: string, row: { [K in keyof Days]: Days[K][number] }) {
    let days = world.days.get(objectId);
    if (!days) {
      days = { dates: [], spend: [], impressions: [], clicks: [], actions: [], actionValues: [] };
      world.days.set(objectId, days);
    }
    world.rowJson.delete(objectId);
    const last = days.dates.length - 1;
    const at = last < 0 || days.dates[last]! < row.dates ? last + 1 : lowerBound(days.dates, row.dates);
    const replace = days.dates[at] === row.dates ? 1 : 0;
    for (const column of Object.keys(row) as (keyof Days)[]) {
      const values = days[column] as unknown[];
      if (at === values.length) values.push(row[column]);
      else values.splice(at, replace, row[column]);
    }
  }

  function setDay(objectId: string, date: string, figures: DayFigures) {
    putRow(objectId, {
      dates: date,
      spend: figures.spend,
      impressions: Number(figures.impressions ?? 0),
      clicks: Number(figures.clicks ?? 0),
      actions: actionList(figures.actions),
      actionValues: actionList(figures.actionValues),
    });
  }

  /**
   * A page's `paging`: its cursors, and an absolute `next` (carrying the token, as Graph's links
   * do) when `nextPosition` says where the next page starts. Undefined for an empty last page.
   */
  function pagingOf(request: Request, rows: number, nextPosition: object | undefined, token: string | undefined) {
    const before = request.url.searchParams.get('after') ?? encodeCursor({ start: true });
    if (!nextPosition) return rows > 0 ? { cursors: { before, after: encodeCursor({ end: true }) } } : undefined;
    const after = encodeCursor(nextPosition);
    const next = new URL(request.url);
    next.searchParams.set('after', after);
    if (tokenInNext && token) next.searchParams.set('access_token', token);
    return { cursors: { before, after }, next: next.toString() };
  }

  function pageSizeOf(request: Request): number {
    const limit = Number(request.url.searchParams.get('limit') ?? defaultPageSize);
    return Math.max(1, Math.min(maxPageSize, Number.isInteger(limit) ? limit : defaultPageSize));
  }

  function listObjects(request: Request, list: SimObject[], fallback: string, token: string | undefined): Answer {
    const fields = fieldsOf(request.url.searchParams, fallback);
    const start = decodeCursor<{ i: number }>(request.url.searchParams.get('after'))?.i ?? 0;
    const size = pageSizeOf(request);
    const rows = list.slice(start, start + size).map((object) => objectFields(object, fields));
    const more = start + size < list.length;
    const paging = pagingOf(request, rows.length, more ? { i: start + size } : undefined, token);
    return { status: 200, body: { data: rows, ...(paging ? { paging } : {}) } };
  }

  function insights(request: Request, account: Account, token: string | undefined): Answer {
    const query = request.url.searchParams;
    const level = query.get('level') ?? 'account';
    if (level !== 'campaign' && level !== 'adset') {
      return metaFailures.invalidParameter('This stand-in serves level=campaign and level=adset.');
    }
    let range: { since?: unknown; until?: unknown } | undefined;
    try {
      range = JSON.parse(query.get('time_range') ?? 'null');
    } catch {
      range = undefined;
    }
    const since = typeof range?.since === 'string' ? range.since : undefined;
    const until = typeof range?.until === 'string' ? range.until : undefined;
    if (!since || !until || since > until) {
      return metaFailures.invalidParameter('time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}.');
    }
    if (query.get('time_increment') !== '1') {
      return metaFailures.invalidParameter('This stand-in serves time_increment=1.');
    }
    const fields = fieldsOf(query, 'spend,impressions');
    const objects = level === 'campaign' ? account.campaigns : account.adSets;
    const size = pageSizeOf(request);
    const cursor = decodeCursor<{ o: number; d: number }>(query.get('after')) ?? { o: 0, d: -1 };
    const rows: string[] = [];
    let next: { o: number; d: number } | undefined;

    const fieldsKey = [...fields].sort().join(',');
    /** A row's JSON as written before for these fields, or now. */
    const rowOf = (object: SimObject, days: Days, i: number) => {
      let cached = world.rowJson.get(object.id);
      if (cached?.fields !== fieldsKey) {
        cached = { fields: fieldsKey, rows: [] };
        world.rowJson.set(object.id, cached);
      }
      cached.rows[i] ??= rowText(object, days, i);
      return cached.rows[i]!;
    };
    /** A row's JSON, written out directly: Graph's numbers are strings, its lists already JSON. */
    const rowText = (object: SimObject, days: Days, i: number) => {
      const parts: string[] = [];
      const add = (name: string, value: string) => parts.push(`"${name}":${JSON.stringify(value)}`);
      if (fields.has('account_id')) add('account_id', account.id);
      if (fields.has('campaign_id')) add('campaign_id', object.campaignId);
      if (fields.has('adset_id') && object.kind === 'adset') add('adset_id', object.id);
      if (fields.has('spend')) add('spend', days.spend[i]!);
      if (fields.has('impressions')) add('impressions', String(days.impressions[i]));
      if (fields.has('clicks')) add('clicks', String(days.clicks[i]));
      if (fields.has('actions') && days.actions[i]) parts.push(`"actions":${days.actions[i]}`);
      if (fields.has('action_values') && days.actionValues[i]) parts.push(`"action_values":${days.actionValues[i]}`);
      add('date_start', days.dates[i]!);
      add('date_stop', days.dates[i]!);
      return `{${parts.join(',')}}`;
    };

    let o = cursor.o;
    let d = cursor.d;
    scan: for (; o < objects.length; o += 1, d = -1) {
      const object = objects[o]!;
      const days = world.days.get(object.id);
      if (!days) continue;
      for (let i = d >= 0 ? d : lowerBound(days.dates, since); i < days.dates.length; i += 1) {
        const date = days.dates[i]!;
        if (date > until) break;
        if (rows.length === size) {
          next = { o, d: i };
          break scan;
        }
        rows.push(rowOf(object, days, i));
      }
    }
    const paging = pagingOf(request, rows.length, next, token);
    const tail = paging ? `,"paging":${JSON.stringify(paging)}` : '';
    return { status: 200, body: `{"data":[${rows.join(',')}]${tail}}` };
  }

  /** `execution_options`, a JSON array as Graph takes it (`["validate_only"]`); undefined when malformed. */
  function executionOptions(text: string | undefined): string[] | undefined {
    if (text === undefined) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) && parsed.every((o) => typeof o === 'string') ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  function update(object: SimObject, body: Record<string, string>): Answer {
    const { status, daily_budget: dailyBudget } = body;
    const execution = executionOptions(body.execution_options);
    if (!execution) return metaFailures.invalidParameter('execution_options must be a JSON array of strings.');
    if (status === undefined && dailyBudget === undefined) {
      return metaFailures.invalidParameter('Nothing to update: send status or daily_budget.');
    }
    if (status !== undefined && !['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'].includes(status)) {
      return metaFailures.invalidParameter(`Status "${status}" is not a valid status.`);
    }
    if (dailyBudget !== undefined) {
      if (!/^\d+$/.test(dailyBudget)) {
        return metaFailures.invalidParameter('The daily budget must be an integer in minor units.');
      }
      if (object.lifetimeBudget !== null) {
        return metaFailures.invalidParameter('You cannot set a daily budget on an object that has a lifetime budget.');
      }
    }
    // A dry run: checked as above, and nothing changes.
    if (execution.includes('validate_only')) return { status: 200, body: { success: true } };
    if (status !== undefined) object.status = status;
    if (dailyBudget !== undefined) object.dailyBudget = dailyBudget;
    object.updatedTime = now();
    return { status: 200, body: { success: true } };
  }

  /** The ad account a request is about, for the usage headers. */
  function accountIdOf(request: Request): string {
    const [first] = request.segments;
    if (first?.startsWith('act_')) return first.slice(4);
    return (first && world.objects.get(first)?.accountId) ?? '0';
  }

  /** GET /me/accounts: the Pages with the fields asked (id, name, access_token, instagram_business_account{…}). */
  function managedPages(request: Request): Answer {
    const fields = request.url.searchParams.get('fields') ?? 'id,name';
    const data = pages.map((page) => {
      // A new Page token each time, as a new consent gives: a reconnect can be told from the old token.
      const token = `EAAP${randomBytes(30).toString('base64url')}`;
      pageTokens.set(page.id, token);
      const all: Record<string, unknown> = {
        id: page.id,
        name: page.name,
        access_token: token,
        category: 'Brand',
        tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
        instagram_business_account: page.instagram,
      };
      return Object.fromEntries(
        Object.entries(all).filter(([name, value]) => value !== undefined && fields.includes(name)),
      );
    });
    return { status: 200, body: { data, paging: { cursors: { before: 'QVFIUmJlZm9yZQ', after: 'QVFIUmFmdGVy' } } } };
  }

  function answer(request: Request, token: string): Answer {
    const [first, edge, ...rest] = request.segments;
    if (first === 'me' && edge === 'accounts' && rest.length === 0 && request.method === 'GET') {
      return managedPages(request);
    }
    if (!first || rest.length > 0) return metaFailures.unknownObject(request.url.pathname, request.method);
    if (first.startsWith('act_')) {
      const account = accountOf(first);
      if (!account || request.method !== 'GET') return metaFailures.unknownObject(first, request.method);
      if (edge === undefined) {
        const fields = fieldsOf(request.url.searchParams, 'id');
        const all: Record<string, unknown> = {
          id: `act_${account.id}`,
          account_id: account.id,
          name: account.name,
          currency: account.currency,
          timezone_name: account.timezoneName,
          account_status: account.accountStatus,
        };
        const body: Record<string, unknown> = { id: all.id };
        for (const field of fields) if (all[field] !== undefined) body[field] = all[field];
        return { status: 200, body };
      }
      if (edge === 'campaigns') return listObjects(request, account.campaigns, 'id', token);
      if (edge === 'adsets') return listObjects(request, account.adSets, 'id', token);
      if (edge === 'insights') return insights(request, account, token);
      return metaFailures.unknownObject(`${first}/${edge}`, request.method);
    }
    const object = world.objects.get(first);
    if (!object || edge !== undefined) return metaFailures.unknownObject(first, request.method);
    if (request.method === 'POST') return update(object, request.body);
    return { status: 200, body: objectFields(object, fieldsOf(request.url.searchParams, 'id')) };
  }

  /** The consent dialog: a person who always consents, sent back at once with a code. */
  function dialog(request: Request): Answer {
    const query = request.url.searchParams;
    if (query.get('client_id') !== appId) {
      return { status: 400, body: 'Invalid App ID: The provided app ID does not look like a valid app ID.' };
    }
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri) return { status: 400, body: 'URL blocked: the redirect_uri is missing.' };
    const code = `AQ${randomBytes(32).toString('base64url')}`;
    codes.set(code, { redirectUri, used: false });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, headers: { location: `${back.toString()}#_=_` }, body: '' };
  }

  /** /oauth/access_token: a code for a short-lived token, or a short-lived token for a long-lived one. */
  function accessToken(params: Record<string, string>): Answer {
    const oauthError = (message: string, code: number, subcode?: number) =>
      graphError(400, { message, code, ...(subcode ? { error_subcode: subcode } : {}) });
    if (params.client_id !== appId) return oauthError('Error validating application. Invalid application ID.', 101);
    if (params.client_secret !== appSecret) return oauthError('Error validating client secret.', 1);
    const issue = (lifetime: number, long: boolean) => {
      const token = `EAA${randomBytes(40).toString('base64url')}`;
      if (long) {
        issued.add(token);
        issuedTokens.push(token);
      } else shortLived.add(token);
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: lifetime } };
    };
    if (params.grant_type === 'fb_exchange_token') {
      const given = params.fb_exchange_token ?? '';
      if (!shortLived.has(given) && !issued.has(given)) {
        return oauthError('Error validating access token: The session is invalid.', 190, 460);
      }
      return issue(5_184_000, true);
    }
    const code = codes.get(params.code ?? '');
    if (!code) return oauthError('Invalid verification code format.', 100, 36007);
    if (code.used) return oauthError('This authorization code has been used.', 100, 36009);
    if (code.redirectUri !== params.redirect_uri) {
      return oauthError(
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        100,
        36008,
      );
    }
    code.used = true;
    return issue(5_400, false);
  }

  /** Scripts first, then the token, then the call budget, then the world. */
  function respond(request: Request, token: string | undefined): Answer | ScriptedFailure {
    const next = script[0];
    if (next && next.skip > 0) next.skip -= 1;
    else if (next) {
      script.shift();
      return next.failure(request);
    }
    if (!token) {
      return graphError(400, { message: 'An active access token must be used to query information.', code: 2500 });
    }
    if (expired.has(token)) return metaFailures.expiredToken();
    if (validTokens && !validTokens.has(token) && !issued.has(token)) return metaFailures.invalidToken();
    const accountId = accountIdOf(request);
    const type = request.segments[1] === 'insights' ? 'ads_insights' : 'ads_management';
    if (callLimit) {
      counted += 1;
      if (counted > callLimit.perWindow) {
        return rateLimitAnswer(type === 'ads_insights' ? 80000 : 80004, accountId, callLimit.regainMinutes);
      }
    }
    const answered = answer(request, token);
    const percent = callLimit ? Math.floor((counted * 100) / callLimit.perWindow) : undefined;
    if (usage || percent !== undefined) {
      const reading = {
        ...usage,
        ...(percent !== undefined ? { callCount: Math.max(percent, usage?.callCount ?? 0) } : {}),
      };
      answered.headers = { ...usageHeaders(accountId, type, reading), ...answered.headers };
    }
    return answered;
  }

  const send = (response: ServerResponse, call: RecordedCall | undefined, answer: Answer) => {
    if (call) call.status = answer.status;
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
    response.end(body);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const host = incoming.headers.host ?? '127.0.0.1';
    const absolute = new URL(`${url.pathname}${url.search}`, `http://${host}`);
    const method = incoming.method ?? 'GET';
    const body = incoming.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(raw))
      : {};
    const call: RecordedCall | undefined = logging
      ? {
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: incoming.headers,
          body,
          at: now(),
        }
      : undefined;
    if (call) calls.push(call);
    const [version, ...segments] = url.pathname.split('/').filter(Boolean);
    const request: Request = { method, url: absolute, segments, body };
    if (!version || !/^v\d+\.\d+$/.test(version) || (method !== 'GET' && method !== 'POST')) {
      send(response, call, graphError(400, { message: 'Unknown path components', code: 2500 }));
      return;
    }
    if (segments[0] === 'dialog' && segments[1] === 'oauth' && segments.length === 2) {
      send(response, call, dialog(request));
      return;
    }
    if (segments[0] === 'oauth' && segments[1] === 'access_token' && segments.length === 2) {
      const next = script[0];
      if (next && next.skip === 0) {
        script.shift();
        const failed = next.failure(request);
        if ('status' in failed) {
          send(response, call, { ...failed, body: failed.body ?? {} });
          return;
        }
      } else if (next) next.skip -= 1;
      send(response, call, accessToken({ ...Object.fromEntries(url.searchParams), ...body }));
      return;
    }
    let result: Answer | ScriptedFailure;
    try {
      result = respond(request, tokenOf(incoming.headers, url.searchParams, body));
    } catch (error) {
      result = graphError(500, { message: `stand-in failure: ${(error as Error).message}`, code: 1 });
    }
    if ('disconnect' in result) incoming.socket.destroy();
    else if ('stallMs' in result) stalls.add(setTimeout(() => incoming.socket.destroy(), result.stallMs));
    else send(response, call, { ...result, body: result.body ?? {} });
  };

  const server = createServer((incoming, response) => void handle(incoming, response));
  // Seeding a large portfolio blocks the loop for a while; a keep-alive socket closed meanwhile
  // would reset the client's next request, which real Graph does not do to a busy client.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    dialogOrigin: baseUrl,
    appId,
    appSecret,
    issuedTokens,
    calls,
    addAdAccount,
    addPage: (seed) => pages.push(seed),
    pageTokens,
    addCampaign: (accountId, seed = {}) => ({ ...addObject('campaign', accountId, undefined, seed) }),
    addAdSet: (accountId, campaignId, seed = {}) => ({ ...addObject('adset', accountId, campaignId, seed) }),
    setDay,
    seedPortfolio: (seed) => {
      const next = random(seed.seed ?? 1);
      if (!accountOf(seed.accountId))
        addAdAccount({ id: seed.accountId, ...(seed.currency ? { currency: seed.currency } : {}) });
      const ids: string[] = [];
      const dates = Array.from({ length: seed.days }, (_, d) => addDays(seed.firstDay, d));
      const action = JSON.stringify(seed.conversionAction);
      for (let c = 0; c < seed.campaigns; c += 1) {
        const budget = 1000 + Math.floor(next() * 50) * 1000;
        const perAdSet = seed.adSetsPerCampaign ?? 0;
        const campaign = addObject('campaign', seed.accountId, undefined, {
          name: `Campaign ${c + 1}`,
          status: next() < 0.8 ? 'ACTIVE' : 'PAUSED',
          ...(perAdSet > 0 ? {} : { dailyBudget: String(budget) }),
        });
        ids.push(campaign.id);
        const targets = [campaign];
        for (let a = 0; a < perAdSet; a += 1) {
          targets.push(addObject('adset', seed.accountId, campaign.id, { dailyBudget: String(budget) }));
        }
        for (const target of perAdSet > 0 ? targets.slice(1) : targets) {
          for (let d = 0; d < seed.days; d += 1) {
            const cents = Math.floor(next() * budget);
            const impressions = Math.floor(cents * (5 + next() * 20));
            const clicks = Math.floor(impressions * next() * 0.03);
            const conversions = Math.floor(clicks * next() * 0.1);
            const values = conversions * (1500 + Math.floor(next() * 6000));
            // setDay's row, its action lists written out directly: 300,000 of them take a while otherwise.
            putRow(target.id, {
              dates: dates[d]!,
              spend: metaDecimal(cents),
              impressions,
              clicks,
              actions: `[{"action_type":"link_click","value":"${clicks}"},{"action_type":${action},"value":"${conversions}"}]`,
              actionValues: conversions > 0 ? `[{"action_type":${action},"value":"${metaDecimal(values)}"}]` : '',
            });
          }
        }
      }
      return ids;
    },
    object: (id) => {
      const object = world.objects.get(id);
      return object ? { ...object, updatedTime: new Date(object.updatedTime) } : undefined;
    },
    failNext: (failure, opts = {}) => {
      const times = opts.times ?? 1;
      for (let i = 0; i < times; i += 1) script.push({ failure: () => failure, skip: i === 0 ? (opts.skip ?? 0) : 0 });
    },
    rateLimitNext: (opts = {}) => {
      const code = opts.code ?? 80004;
      for (let i = 0; i < (opts.times ?? 1); i += 1) {
        const failure = (request: Request) =>
          rateLimitAnswer(code, accountIdOf(request), opts.regainMinutes ?? 5, opts.status);
        script.push({ failure, skip: 0 });
      }
    },
    failTransient: (times = 1) => {
      for (let i = 0; i < times; i += 1) script.push({ failure: () => metaFailures.transient(), skip: 0 });
    },
    expireToken: (token) => expired.add(token),
    setUsage: (setting) => {
      usage = setting;
    },
    limitCalls: (limit) => {
      callLimit = limit;
      counted = 0;
    },
    resetUsage: () => {
      counted = 0;
    },
    resetScripts: () => {
      calls.length = 0;
      script = [];
      expired = new Set();
      usage = null;
      callLimit = null;
      counted = 0;
    },
    reset: () => {
      calls.length = 0;
      script = [];
      expired = new Set();
      usage = null;
      callLimit = null;
      counted = 0;
      world = newWorld();
    },
    close: () => {
      for (const timer of stalls) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
