// The HTTP application: routes only; no listening, no process concerns (see serve.ts).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createTokenVerifier, type TokenSettings } from '../auth/verify-token.ts';
import { appliedMigrationCount, readMigrations } from '../db/migrate.ts';
import type { Database } from '../db/port.ts';
import type { Logger } from '../log.ts';
import { ProblemError, problemResponse } from './problem.ts';
import { seedFunctionRoutes } from './routes/seed-functions.ts';

/** The largest request body accepted (a 10,000-row stats batch fits with room to spare). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface AppContext {
  db: Database;
  log: Logger;
  /** False once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  isAccepting: () => boolean;
  auth: TokenSettings & { internalSecret: string };
}

export function createApp({ db, log, isAccepting, auth }: AppContext): Hono {
  const app = new Hono();
  const expectedMigrations = readMigrations().length;

  app.onError((error, c) => {
    if (error instanceof ProblemError) {
      const response = problemResponse(c, error.status, error.message, error.errors);
      for (const [name, value] of Object.entries(error.headers ?? {})) response.headers.set(name, value);
      return response;
    }
    if (error instanceof HTTPException) return problemResponse(c, error.status as ContentfulStatusCode, error.message);
    log.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    return problemResponse(c, 500, 'an unexpected error occurred; it has been logged');
  });
  app.notFound((c) => problemResponse(c, 404, `no route ${c.req.method} ${c.req.path}`));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problemResponse(c, 413, `the body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
  );

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.debug(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });

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

  app.route(
    '/',
    seedFunctionRoutes({ db, verifyToken: createTokenVerifier(auth), internalSecret: auth.internalSecret }),
  );

  app.get('/', (c) =>
    c.json({
      name: 'nightshift',
      endpoints: { health: '/healthz', readiness: '/readyz' },
    }),
  );

  return app;
}
