// Environment configuration, validated once at start-up. Wrong values stop the process with a
// message that names each variable and what it expects (ConfigError), every problem at once rather
// than one per start; nothing starts half-configured.

import { isIP } from 'node:net';
import { z } from 'zod';
import { type AdPlatformEndpoints, DEFAULT_AD_PLATFORM_ENDPOINTS } from './ads/endpoints.ts';
import {
  type AdOAuthConfig,
  DEFAULT_GOOGLE_AUTHORIZATION_URL,
  DEFAULT_META_DIALOG_ORIGIN,
} from './ads/oauth-config.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits } from './domain/run-limits.ts';
import { DEFAULT_X_AUTHORIZATION_URL, type XOAuthApp } from './social/oauth-config.ts';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';
/** Where Slack's response URLs (the follow-up to a button press) live. */
export const SLACK_HOOKS_BASE_URL = 'https://hooks.slack.com';

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(
      list.length === 1
        ? list[0]!
        : `${list.length} configuration problems:\n${list.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.problems = list;
  }
}

/** The campaign runner's own user, created by migration 0014. */
export const DEFAULT_SYSTEM_USER_ID = '00000000-0000-4000-8000-000000000001';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const postgresUrl = optionalText.refine(
  (value) => {
    if (value === undefined) return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
    } catch {
      return false;
    }
  },
  { message: 'expects a URL like postgres://user:password@host:5432/database' },
);

const httpUrl = (what: string) =>
  optionalText.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: `expects an http(s) URL of ${what}` },
  );

const secret = optionalText.refine((value) => value === undefined || value.length >= 32, {
  message: 'expects at least 32 characters (generate one with: openssl rand -hex 32)',
});

const encryptionKey = optionalText.refine((value) => value === undefined || /^[0-9a-fA-F]{64}$/.test(value), {
  message: 'expects 64 hex characters (a 256-bit key; generate one with: openssl rand -hex 32)',
});

const commaList = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** An IP address (`10.0.0.7`) or a network (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const positiveInteger = (fallback: string, max: number) =>
  optionalText.default(fallback).pipe(
    z
      .string()
      .regex(/^\d+$/, { message: `expects a whole number from 1 to ${max}` })
      .transform(Number)
      .refine((n) => n >= 1 && n <= max, { message: `expects a whole number from 1 to ${max}` }),
  );

const envSchema = z.object({
  DATABASE_URL: postgresUrl,
  NIGHTSHIFT_DATA_DIR: optionalText.default('./.nightshift'),
  HOST: optionalText.default('127.0.0.1'),
  PORT: optionalText.default('8787').pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, { message: 'expects an integer from 0 to 65535' })
      .transform(Number)
      .refine((port) => port <= 65535, { message: 'expects an integer from 0 to 65535' }),
  ),
  NIGHTSHIFT_JWT_SECRET: secret,
  NIGHTSHIFT_JWKS_URL: httpUrl('a JSON Web Key Set'),
  NIGHTSHIFT_INTERNAL_SECRET: secret,
  NIGHTSHIFT_ENCRYPTION_KEY: encryptionKey,
  NIGHTSHIFT_AI_BASE_URL: httpUrl('an OpenAI-compatible API (e.g. https://openrouter.ai/api/v1)'),
  NIGHTSHIFT_AI_API_KEY: optionalText,
  NIGHTSHIFT_AI_MODEL: optionalText.default('google/gemini-2.5-flash'),
  // Longest waits on the gateway: for its first chunk, between chunks, for a whole answer.
  NIGHTSHIFT_AI_FIRST_CHUNK_SECONDS: positiveInteger('60', 3600),
  NIGHTSHIFT_AI_CHUNK_SECONDS: positiveInteger('30', 3600),
  NIGHTSHIFT_AI_TIMEOUT_SECONDS: positiveInteger('300', 3600),
  // Origins a browser may call the authenticated routes from: none by default (the dashboard is
  // same-origin), a comma-separated list, or * for any.
  NIGHTSHIFT_CORS_ORIGINS: optionalText.default('').pipe(
    z
      .string()
      .transform(commaList)
      .refine((origins) => origins.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), {
        message: 'expects * or a comma-separated list of origins like https://app.example.com',
      }),
  ),
  // Reverse proxies whose X-Forwarded-For names the client (for throttling failed credentials).
  NIGHTSHIFT_TRUSTED_PROXIES: optionalText.default('').pipe(
    z
      .string()
      .transform(commaList)
      .refine((entries) => entries.every(isAddressOrNetwork), {
        message: 'expects a comma-separated list of IP addresses or networks like 10.0.0.0/8',
      }),
  ),
  // A second listener that serves /metrics alone, without the internal secret: host:port.
  NIGHTSHIFT_METRICS_ADDRESS: optionalText.pipe(
    z
      .string()
      .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, { message: 'expects host:port, e.g. 127.0.0.1:9464' })
      .refine((address) => Number(address.slice(address.lastIndexOf(':') + 1)) <= 65535, {
        message: 'expects a port from 0 to 65535',
      })
      .optional(),
  ),
  // The user the campaign runner launches campaigns as (recorded in campaigns.launched_by).
  NIGHTSHIFT_SYSTEM_USER_ID: optionalText
    .default(DEFAULT_SYSTEM_USER_ID)
    .pipe(z.uuid({ message: 'expects the id (a UUID) of a user' })),
  // Where the social dispatcher posts: the platforms' APIs unless pointed elsewhere (a proxy, a sandbox).
  NIGHTSHIFT_GRAPH_API_BASE_URL: httpUrl(
    'the Meta Graph API, with its version (e.g. https://graph.facebook.com/v21.0)',
  ),
  NIGHTSHIFT_X_API_BASE_URL: httpUrl('the X API (e.g. https://api.x.com)'),
  // Where the ad-platform connectors call: Meta's Marketing API is the Graph API above.
  NIGHTSHIFT_GOOGLE_ADS_API_BASE_URL: httpUrl('the Google Ads API (e.g. https://googleads.googleapis.com)'),
  // Where SMS goes out: Twilio's REST API unless pointed elsewhere (a proxy, a stand-in in tests).
  NIGHTSHIFT_TWILIO_API_BASE_URL: httpUrl('Twilio’s REST API (e.g. https://api.twilio.com)'),
  // Where a Slack button press is answered (its response_url): only addresses under it are called.
  NIGHTSHIFT_SLACK_BASE_URL: httpUrl('where Slack’s response URLs live (e.g. https://hooks.slack.com)'),
  NIGHTSHIFT_GOOGLE_OAUTH_TOKEN_URL: httpUrl(
    'Google’s OAuth token endpoint (e.g. https://oauth2.googleapis.com/token)',
  ),
  // Connecting ad accounts by consent (OAuth) from the dashboard: the address people reach this
  // install at (the callback is under it), the install's Meta app and Google OAuth client, and
  // where the consent pages are (local stand-ins in tests).
  NIGHTSHIFT_PUBLIC_URL: httpUrl('the address people reach this install at (e.g. https://nightshift.example.com)'),
  NIGHTSHIFT_META_APP_ID: optionalText,
  NIGHTSHIFT_META_APP_SECRET: optionalText,
  NIGHTSHIFT_META_OAUTH_DIALOG_URL: httpUrl('the origin of Facebook’s consent dialog (e.g. https://www.facebook.com)'),
  NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID: optionalText,
  NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET: optionalText,
  NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN: optionalText,
  NIGHTSHIFT_GOOGLE_OAUTH_AUTHORIZATION_URL: httpUrl(
    'Google’s consent page (e.g. https://accounts.google.com/o/oauth2/v2/auth)',
  ),
  // Connecting X accounts (OAuth 2.0 with PKCE) from the dashboard: the install's X app, and where
  // X's consent page is (a local stand-in in tests). Facebook and Instagram use the Meta app above.
  NIGHTSHIFT_X_CLIENT_ID: optionalText,
  NIGHTSHIFT_X_CLIENT_SECRET: optionalText,
  NIGHTSHIFT_X_OAUTH_AUTHORIZATION_URL: httpUrl('X’s consent page (e.g. https://x.com/i/oauth2/authorize)'),
  // Days after an executed action that its actual impact is measured.
  NIGHTSHIFT_IMPACT_AFTER_DAYS: positiveInteger('7', 90),
  // Seconds between a worker's scheduler passes, and between its looks for jobs of vanished workers.
  NIGHTSHIFT_SCHEDULER_SECONDS: positiveInteger('5', 60),
  NIGHTSHIFT_JOBS_MONITOR_SECONDS: positiveInteger('60', 3600),
  // Bounds on the autonomous cycle's and the CMO loop's database work: one statement, a wait for a
  // row another transaction holds, a wait for the tenant's run already in progress.
  NIGHTSHIFT_STATEMENT_TIMEOUT_SECONDS: positiveInteger(String(DEFAULT_RUN_LIMITS.statementTimeoutMs / 1000), 86_400),
  NIGHTSHIFT_LOCK_TIMEOUT_SECONDS: positiveInteger(String(DEFAULT_RUN_LIMITS.lockTimeoutMs / 1000), 3600),
  NIGHTSHIFT_LOCK_WAIT_SECONDS: positiveInteger(String(DEFAULT_RUN_LIMITS.lockWaitMs / 1000), 3600),
  LOG_LEVEL: optionalText
    .default('info')
    .pipe(z.enum(LOG_LEVELS, { message: `expects one of ${LOG_LEVELS.join(', ')}` })),
});

export type Env = z.output<typeof envSchema>;

export interface Secrets {
  jwtSecret?: string;
  internalSecret: string;
  encryptionKey: string;
}

export interface Config {
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  dataDir: string;
  host: string;
  port: number;
  jwksUrl?: string;
  /** Browser origins allowed by CORS on authenticated routes; none by default, ['*'] allows any. */
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For names the client. */
  trustedProxies: string[];
  /** Where a second listener serves /metrics without the internal secret; none by default. */
  metricsAddress?: { host: string; port: number };
  /** The LLM gateway; without baseUrl the agents use the offline provider. */
  ai: {
    baseUrl?: string;
    apiKey?: string;
    model: string;
    timeouts: { firstChunkMs: number; chunkMs: number; totalMs: number };
  };
  logLevel: (typeof LOG_LEVELS)[number];
  /** The user the campaign runner launches as. */
  systemUserId: string;
  /** Base URLs of the social platforms' APIs; the production ones when unset. */
  social: { graphBaseUrl?: string; xBaseUrl?: string; x?: XOAuthApp };
  /** The ad platforms' APIs: the production ones unless configured. */
  ads: AdPlatformEndpoints;
  /** The install's apps for connecting ad accounts by consent; a platform without one cannot be. */
  adsOAuth: AdOAuthConfig;
  /**
   * E-mail and SMS: where recipients reach this install (tracking, unsubscribe and callback
   * addresses: NIGHTSHIFT_PUBLIC_URL, else this server's own address), Twilio's API, and where
   * Slack's response URLs may point.
   */
  delivery: { publicUrl: string; twilioBaseUrl: string; slackBaseUrl: string };
  impactAfterDays: number;
  jobs: { schedulerSeconds: number; monitorSeconds: number };
  /** Bounds on the cycle's and the CMO loop's database work. */
  limits: RunLimits;
  /** Secrets given in the environment; for the embedded product the missing ones are generated later. */
  secrets: Partial<Secrets>;
}

/**
 * The ad platforms' endpoints. The Graph API base URL names its version (…/v21.0), as the social
 * dispatcher takes it; the Marketing API client takes the two apart.
 */
function adPlatformEndpoints(env: Env): AdPlatformEndpoints {
  const defaults = DEFAULT_AD_PLATFORM_ENDPOINTS;
  const graph = env.NIGHTSHIFT_GRAPH_API_BASE_URL?.replace(/\/+$/, '');
  const versioned = graph?.match(/^(.*)\/(v\d+\.\d+)$/);
  return {
    meta: versioned
      ? { baseUrl: versioned[1]!, apiVersion: versioned[2]! }
      : { baseUrl: graph ?? defaults.meta.baseUrl, apiVersion: defaults.meta.apiVersion },
    googleAds: {
      ...defaults.googleAds,
      baseUrl: env.NIGHTSHIFT_GOOGLE_ADS_API_BASE_URL ?? defaults.googleAds.baseUrl,
      oauthTokenUrl: env.NIGHTSHIFT_GOOGLE_OAUTH_TOKEN_URL ?? defaults.googleAds.oauthTokenUrl,
    },
    timeoutMs: defaults.timeoutMs,
  };
}

/** The variables of each OAuth app: all set, or none (a half-set app is a configuration problem). */
const OAUTH_APPS = {
  meta: ['NIGHTSHIFT_META_APP_ID', 'NIGHTSHIFT_META_APP_SECRET'],
  google: [
    'NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID',
    'NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET',
    'NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN',
  ],
  x: ['NIGHTSHIFT_X_CLIENT_ID', 'NIGHTSHIFT_X_CLIENT_SECRET'],
} as const satisfies Record<string, readonly (keyof Env)[]>;

/** A variable counts as set when it holds more than blanks (as the schema reads it). */
const isSet = (source: NodeJS.ProcessEnv, name: string) => (source[name]?.trim() ?? '') !== '';

/** What the schema cannot say alone: variables required together, or by DATABASE_URL. */
function problemsBetweenVariables(source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  for (const names of Object.values(OAUTH_APPS)) {
    const set = names.filter((name) => isSet(source, name));
    if (set.length > 0 && set.length < names.length) {
      const missing = names.filter((name) => !isSet(source, name));
      problems.push(`${missing.join(' and ')} must be set with ${set.join(' and ')}`);
    }
  }
  if (isSet(source, 'DATABASE_URL')) {
    if (!isSet(source, 'NIGHTSHIFT_JWT_SECRET') && !isSet(source, 'NIGHTSHIFT_JWKS_URL')) {
      problems.push('NIGHTSHIFT_JWT_SECRET (or NIGHTSHIFT_JWKS_URL) is required when DATABASE_URL is set');
    }
    for (const name of ['NIGHTSHIFT_INTERNAL_SECRET', 'NIGHTSHIFT_ENCRYPTION_KEY']) {
      if (!isSet(source, name)) problems.push(`${name} is required when DATABASE_URL is set`);
    }
  }
  return problems;
}

/** The install's OAuth apps, each only when all of its parts are set (checked by problemsBetweenVariables). */
function adOAuthConfig(env: Env): AdOAuthConfig {
  const all = (names: readonly (keyof Env)[]) => names.every((name) => env[name] !== undefined);
  const meta = all(OAUTH_APPS.meta);
  const google = all(OAUTH_APPS.google);
  return {
    publicUrl: env.NIGHTSHIFT_PUBLIC_URL?.replace(/\/+$/, ''),
    meta: meta
      ? {
          appId: env.NIGHTSHIFT_META_APP_ID!,
          appSecret: env.NIGHTSHIFT_META_APP_SECRET!,
          dialogOrigin: env.NIGHTSHIFT_META_OAUTH_DIALOG_URL ?? DEFAULT_META_DIALOG_ORIGIN,
        }
      : undefined,
    google: google
      ? {
          clientId: env.NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID!,
          clientSecret: env.NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET!,
          developerToken: env.NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN!,
          authorizationUrl: env.NIGHTSHIFT_GOOGLE_OAUTH_AUTHORIZATION_URL ?? DEFAULT_GOOGLE_AUTHORIZATION_URL,
        }
      : undefined,
  };
}

/** Parses the environment. Throws ConfigError naming every bad variable, never echoing a secret. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(source, issue));
  problems.push(...problemsBetweenVariables(source));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

function describeIssue(source: NodeJS.ProcessEnv, issue: z.core.$ZodIssue): string {
  const variable = String(issue.path[0] ?? 'environment');
  const shown =
    variable === 'DATABASE_URL' || /SECRET|KEY|TOKEN/.test(variable)
      ? ''
      : ` (got ${JSON.stringify(source[variable])})`;
  return `${variable} ${issue.message}${shown}`;
}

/** Builds the configuration. With DATABASE_URL the secrets are required: a server is shared. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const env = loadEnv(source);
  const secrets: Partial<Secrets> = {
    jwtSecret: env.NIGHTSHIFT_JWT_SECRET,
    internalSecret: env.NIGHTSHIFT_INTERNAL_SECRET,
    encryptionKey: env.NIGHTSHIFT_ENCRYPTION_KEY,
  };
  return {
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.NIGHTSHIFT_DATA_DIR },
    dataDir: env.NIGHTSHIFT_DATA_DIR,
    host: env.HOST,
    port: env.PORT,
    jwksUrl: env.NIGHTSHIFT_JWKS_URL,
    corsOrigins: env.NIGHTSHIFT_CORS_ORIGINS,
    trustedProxies: env.NIGHTSHIFT_TRUSTED_PROXIES,
    metricsAddress: env.NIGHTSHIFT_METRICS_ADDRESS ? hostAndPort(env.NIGHTSHIFT_METRICS_ADDRESS) : undefined,
    ai: {
      baseUrl: env.NIGHTSHIFT_AI_BASE_URL,
      apiKey: env.NIGHTSHIFT_AI_API_KEY,
      model: env.NIGHTSHIFT_AI_MODEL,
      timeouts: {
        firstChunkMs: env.NIGHTSHIFT_AI_FIRST_CHUNK_SECONDS * 1000,
        chunkMs: env.NIGHTSHIFT_AI_CHUNK_SECONDS * 1000,
        totalMs: env.NIGHTSHIFT_AI_TIMEOUT_SECONDS * 1000,
      },
    },
    logLevel: env.LOG_LEVEL,
    systemUserId: env.NIGHTSHIFT_SYSTEM_USER_ID,
    social: {
      graphBaseUrl: env.NIGHTSHIFT_GRAPH_API_BASE_URL,
      xBaseUrl: env.NIGHTSHIFT_X_API_BASE_URL,
      x:
        env.NIGHTSHIFT_X_CLIENT_ID && env.NIGHTSHIFT_X_CLIENT_SECRET
          ? {
              clientId: env.NIGHTSHIFT_X_CLIENT_ID,
              clientSecret: env.NIGHTSHIFT_X_CLIENT_SECRET,
              authorizationUrl: env.NIGHTSHIFT_X_OAUTH_AUTHORIZATION_URL ?? DEFAULT_X_AUTHORIZATION_URL,
            }
          : undefined,
    },
    ads: adPlatformEndpoints(env),
    adsOAuth: adOAuthConfig(env),
    delivery: {
      publicUrl: env.NIGHTSHIFT_PUBLIC_URL?.replace(/\/+$/, '') ?? `http://${env.HOST}:${env.PORT}`,
      twilioBaseUrl: env.NIGHTSHIFT_TWILIO_API_BASE_URL?.replace(/\/+$/, '') ?? TWILIO_API_BASE_URL,
      slackBaseUrl: env.NIGHTSHIFT_SLACK_BASE_URL?.replace(/\/+$/, '') ?? SLACK_HOOKS_BASE_URL,
    },
    impactAfterDays: env.NIGHTSHIFT_IMPACT_AFTER_DAYS,
    limits: {
      statementTimeoutMs: env.NIGHTSHIFT_STATEMENT_TIMEOUT_SECONDS * 1000,
      lockTimeoutMs: env.NIGHTSHIFT_LOCK_TIMEOUT_SECONDS * 1000,
      lockWaitMs: env.NIGHTSHIFT_LOCK_WAIT_SECONDS * 1000,
    },
    jobs: { schedulerSeconds: env.NIGHTSHIFT_SCHEDULER_SECONDS, monitorSeconds: env.NIGHTSHIFT_JOBS_MONITOR_SECONDS },
    secrets,
  };
}

/** `127.0.0.1:9464` or `[::1]:9464`, already validated. */
function hostAndPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) };
}

/** A database URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}
