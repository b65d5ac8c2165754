// The HTTP application: routes only; no listening, no process concerns (see serve.ts).
import { Hono } from 'hono';
import { appliedMigrationCount, readMigrations } from '../db/migrate.ts';
import type { Database } from '../db/port.ts';
import type { Logger } from '../log.ts';

export interface AppContext {
  db: Database;
  log: Logger;
  /** False once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  isAccepting: () => boolean;
}

export function createApp({ db, log, isAccepting }: AppContext): Hono {
  const app = new Hono();
  const expectedMigrations = readMigrations().length;

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

  app.get('/', (c) =>
    c.json({
      name: 'nightshift',
      endpoints: { health: '/healthz', readiness: '/readyz' },
    }),
  );

  return app;
}
