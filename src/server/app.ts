// The HTTP application: middleware and routes only; no listening, no process concerns (serve.ts).

import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import type { AdOAuthConfig } from '../ads/oauth-config.ts';
import { createBuiltinOptimizer } from '../agents/builtin-optimizer.ts';
import type { TextStreamModel } from '../agents/gateway-model.ts';
import type { CampaignOptimizer } from '../agents/optimizer.ts';
import { registerApiRoutes } from '../api/index.ts';
import { createMemberRoles } from '../auth/member-roles.ts';
import { createTokenVerifier, type TokenSettings } from '../auth/verify-token.ts';
import { DEFAULT_SYSTEM_USER_ID } from '../config.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import { appliedMigrationCount, readMigrations } from '../db/migrate.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../domain/run-limits.ts';
import type { Logger } from '../log.ts';
import { type SocialAppsConfig, socialConnectDeps } from '../services/social-accounts.ts';
import { actionLinkRoutes } from './action-link-routes.ts';
import type { AuthEnv } from './authenticate.ts';
import { clientAddress } from './client-address.ts';
import { createCredentialThrottle, DEFAULT_THROTTLE, type ThrottleSettings } from './credential-throttle.ts';
import { DASHBOARD_DIR, dashboardRoutes } from './dashboard.ts';
import { deliveryHookRoutes } from './delivery-hooks.ts';
import { internalSecretHeaderOrBearer, requireInternalSecret } from './internal-secret-guard.ts';
import { createMetrics, type Metrics, metricsHandler } from './metrics.ts';
import { problemResponse } from './problem.ts';
import { problemFromError } from './problem-from-error.ts';
import { trackingRoutes } from './tracking-routes.ts';

/** The largest request body accepted (a 10,000-row stats batch fits with room to spare). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The headers the seeds' functions allow a browser to send (their corsHeaders). */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'x-client-info',
  'apikey',
  'content-type',
  'if-match',
  'x-request-id',
];

export interface AppContext {
  db: Database;
  log: Logger;
  /** False once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  isAccepting: () => boolean;
  auth: TokenSettings & { internalSecret: string };
  /**
   * Browser origins allowed by CORS on every route that takes credentials; none by default (the
   * dashboard is same-origin), ['*'] allows any. Public routes (health, the API description)
   * allow any origin.
   */
  corsOrigins?: string[];
  /** Proxies whose X-Forwarded-For names the client (client-address.ts); none by default. */
  trustedProxies?: string[];
  /** How many failed credentials a client may send, and in what window (credential-throttle.ts). */
  throttle?: ThrottleSettings;
  /** The clock of the throttle and of the membership reads' trust (tests move it). */
  now?: () => number;
  metrics?: Metrics;
  /** The user the campaign runner launches as (DEFAULT_SYSTEM_USER_ID unless configured). */
  systemUserId?: string;
  /** The CMO loop's optimizer (the built-in one unless given). */
  optimizer?: CampaignOptimizer;
  /** The CMO agents' gateway; null (the default) runs them on the offline provider. */
  agentModel?: TextStreamModel | null;
  /** The built dashboard's folder (web/dist unless given). */
  dashboardDir?: string;
  /** Bounds on the cycle's and the CMO loop's database work (the defaults unless configured). */
  limits?: RunLimits;
  /** Where the ad platforms are, and the key their accounts' credentials are encrypted with. */
  adPlatforms: { endpoints: AdPlatformEndpoints; cipher: TokenCipher; oauth?: AdOAuthConfig };
  /** The senders' and tracking links' keys and addresses. */
  delivery: DeliveryDeps;
  /** The X API and the install's X app, for connecting social accounts (Facebook's is the Meta app above). */
  social?: SocialAppsConfig;
}

/** Routes that take no credentials: a browser anywhere may read them. */
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json', '/docs']);

/** A client's own request id is kept if it is a plain token; otherwise one is made. */
const requestIdPattern = /^[\w.:-]{1,128}$/;

export function createApp({
  db,
  log,
  isAccepting,
  auth,
  corsOrigins = [],
  trustedProxies = [],
  throttle: throttleSettings = DEFAULT_THROTTLE,
  now = Date.now,
  metrics = createMetrics(),
  systemUserId = DEFAULT_SYSTEM_USER_ID,
  optimizer = createBuiltinOptimizer(),
  agentModel = null,
  dashboardDir = DASHBOARD_DIR,
  limits = DEFAULT_RUN_LIMITS,
  adPlatforms,
  delivery,
  social = {},
}: AppContext) {
  const app = new Hono<AuthEnv>();
  const expectedMigrations = readMigrations().length;
  const throttle = createCredentialThrottle(clientAddress(trustedProxies), throttleSettings, now);

  app.onError((error, c) => {
    const problem = problemFromError(error);
    if (problem) {
      const response = problemResponse(c, problem.status, problem.message, problem.errors, problem.extensions);
      for (const [name, value] of Object.entries(problem.headers ?? {})) response.headers.set(name, value);
      return response;
    }
    if (error instanceof HTTPException) return problemResponse(c, error.status as ContentfulStatusCode, error.message);
    log.error({ err: error, reqId: c.get('requestId'), method: c.req.method, path: c.req.path }, 'request failed');
    return problemResponse(c, 500, `an unexpected error occurred; it has been logged (request ${c.get('requestId')})`);
  });
  app.notFound((c) => problemResponse(c, 404, `no route ${c.req.method} ${c.req.path}`));

  app.use(
    requestId({
      generator: (c) => {
        const given = c.req.header('x-request-id');
        return given && requestIdPattern.test(given) ? given : crypto.randomUUID();
      },
    }),
  );
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.res.status === 404 && routePath(c) === '/*' ? 'unmatched' : routePath(c);
    metrics.observeRequest({ method: c.req.method, route, status: c.res.status }, seconds);
    log.debug(
      { reqId: c.get('requestId'), method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) },
      'request',
    );
  });
  // Only the configured origins may call the routes that take credentials from a browser (none by
  // default: the dashboard is same-origin), so scripts on other sites a person visits cannot reach
  // an instance on their network with a credential they got hold of.
  const corsOptions = {
    allowHeaders: CORS_ALLOWED_HEADERS,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['etag', 'location', 'x-request-id'],
    maxAge: 600,
  };
  const publicCors = cors({ ...corsOptions, origin: '*' });
  const listedCors = cors({ ...corsOptions, origin: corsOrigins.includes('*') ? '*' : corsOrigins });
  app.use((c, next) => (PUBLIC_PATHS.has(c.req.path) ? publicCors : listedCors)(c, next));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problemResponse(c, 413, `the body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
  );

  // Liveness: the process is up and serving HTTP. Cheap; never touches the database.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  // Readiness: the database answers and carries every migration this build knows.
  app.get('/readyz', async (c) => {
    if (!isAccepting()) return c.json({ status: 'shutting_down' }, 503);
    try {
      const applied = await appliedMigrationCount(db);
      const ready = applied >= expectedMigrations;
      return c.json(
        { status: ready ? 'ready' : 'migrations_pending', database: db.kind, migrations: applied },
        ready ? 200 : 503,
      );
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      return c.json({ status: 'database_unavailable', database: db.kind }, 503);
    }
  });

  // Route names and their counts are for operators: the internal secret, as a scraper sends it.
  app.get(
    '/metrics',
    requireInternalSecret(auth.internalSecret, throttle, internalSecretHeaderOrBearer),
    metricsHandler(metrics),
  );

  registerApiRoutes(app, {
    db,
    verifyToken: createTokenVerifier(auth),
    memberRoles: createMemberRoles(db, now),
    throttle,
    internalSecret: auth.internalSecret,
    tenantDatabase: (tenantId) => tenantScoped(db, tenantId),
    jwtSecret: auth.jwtSecret,
    metrics,
    systemUserId,
    optimizer,
    log,
    agentModel,
    limits,
    adPlatforms,
    delivery,
    social: socialConnectDeps(adPlatforms, social),
  });

  const endpointIndex = (c: Context) =>
    c.json({
      name: 'nightshift',
      endpoints: {
        dashboard: '/',
        health: '/healthz',
        readiness: '/readyz',
        metrics: '/metrics',
        openapi: '/openapi.json',
        docs: '/docs',
      },
    });
  trackingRoutes(app, { db, trackingKey: delivery.trackingKey });
  deliveryHookRoutes(app, { db, delivery });
  actionLinkRoutes(app, { db, delivery, now, log });
  dashboardRoutes(app, endpointIndex, dashboardDir);

  return app;
}
