// `nightshift serve`: open and migrate the database, load the demo tenant on an empty embedded
// database, start the job worker (unless API only), listen, and shut down gracefully: stop
// accepting, drain in-flight requests, let running jobs finish, then close the database (PGlite
// flushes its files on close, so its data is never left half-written).

import type { AddressInfo } from 'node:net';
import { serve as listen } from '@hono/node-server';
import { Hono } from 'hono';
import { optimizerFromConfig } from '../agents/content-optimizer.ts';
import { gatewayModelFromConfig } from '../agents/gateway-model.ts';
import type { Config } from '../config.ts';
import { createTokenCipher } from '../crypto/token-cipher.ts';
import { type EmbeddedLink, startEmbeddedLink } from '../db/embedded-link/server.ts';
import { embeddedLinkSocket } from '../db/embedded-link/socket-path.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import { ensureEmbeddedDemo } from '../demo/embedded-demo.ts';
import { deliveryDeps, taskDeps } from '../jobs/task-deps.ts';
import { type RunningWorker, startWorker } from '../jobs/worker.ts';
import type { Logger } from '../log.ts';
import { assertSystemUser } from '../runner/campaign-runner.ts';
import { createApp } from './app.ts';
import { createMetrics, metricsHandler } from './metrics.ts';

const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  url: string;
  db: Database;
  /** Graceful: waits for in-flight requests (up to a bound), then closes the database. */
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Load demo data into an empty embedded database (default true). */
  demo?: boolean;
  /** Run a job worker in this process: schedules, the runner, the dispatcher (default true). */
  worker?: boolean;
}

/** What the API needs to check callers: the token secret (or a key set) and the internal secret. */
export interface ServeSecrets {
  jwtSecret?: string;
  internalSecret: string;
  /** Decrypts the social accounts' tokens for the dispatcher. */
  encryptionKey: string;
}

export async function startServer(
  config: Config,
  log: Logger,
  secrets: ServeSecrets,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const db = await openDatabase(config.database);
  let accepting = true;
  try {
    const { applied } = await migrate(db);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    if (config.database.kind === 'pglite' && options.demo !== false) await ensureEmbeddedDemo(db, log);
    await assertSystemUser(db, config.systemUserId);
  } catch (error) {
    await db.close();
    throw error;
  }

  const metrics = createMetrics();
  const app = createApp({
    db,
    log,
    isAccepting: () => accepting,
    auth: { jwtSecret: secrets.jwtSecret, jwksUrl: config.jwksUrl, internalSecret: secrets.internalSecret },
    corsOrigins: config.corsOrigins,
    trustedProxies: config.trustedProxies,
    metrics,
    systemUserId: config.systemUserId,
    agentModel: gatewayModelFromConfig(config.ai),
    optimizer: optimizerFromConfig(config.ai),
    limits: config.limits,
    adPlatforms: { endpoints: config.ads, cipher: createTokenCipher(secrets.encryptionKey), oauth: config.adsOAuth },
    delivery: deliveryDeps(config, secrets),
    social: config.social,
  });
  const server = await listenOn(app.fetch, config.host, config.port, 'PORT').catch(async (error) => {
    await db.close();
    throw error;
  });
  // The metrics listener's address is its protection (loopback, an internal network): no secret.
  let metricsServer: Listener | undefined;
  if (config.metricsAddress) {
    const { host, port } = config.metricsAddress;
    const metricsOnly = new Hono().get('/metrics', metricsHandler(metrics));
    metricsServer = await listenOn(metricsOnly.fetch, host, port, 'NIGHTSHIFT_METRICS_ADDRESS').catch(async (error) => {
      await closeAtOnce(server);
      await db.close();
      throw error;
    });
    log.info({ url: `${urlOf(host, metricsServer)}/metrics` }, 'metrics listening');
  }
  // Commands on the same data folder (`nightshift token --link` beside `npm start`) go through this
  // process, which holds the embedded database: src/db/embedded-link/server.ts.
  const url = urlOf(config.host, server);
  let link: EmbeddedLink | undefined;
  if (config.database.kind === 'pglite') {
    const socket = embeddedLinkSocket(config.database.dataDir);
    link = await startEmbeddedLink(db, socket, { url, pid: process.pid }).catch((error) => {
      log.warn({ err: error, socket }, 'commands cannot reach the embedded database while this server runs');
      return undefined;
    });
  }
  let worker: RunningWorker | undefined;
  log.info({ url, database: db.kind }, 'listening');
  // Jobs start once the server could listen: a process that fails to start runs none.
  if (options.worker !== false) worker = await startWorker(taskDeps(config, secrets, db, log), config.jobs);

  let closing: Promise<void> | undefined;
  return {
    url,
    db,
    close() {
      closing ??= (async () => {
        accepting = false;
        log.info('shutting down: draining requests');
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            log.warn('drain timeout: closing remaining connections');
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, DRAIN_TIMEOUT_MS);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          // Keep-alive sockets with no request in flight would hold close() open.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        if (metricsServer) await closeAtOnce(metricsServer);
        await link?.close();
        await worker?.stop();
        await db.close();
        log.info('database closed; bye');
      })();
      return closing;
    },
  };
}

type Listener = ReturnType<typeof listen>;

/** Listens on host:port; a refusal names the address, why, and the setting that chooses another. */
async function listenOn(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
  setting: 'PORT' | 'NIGHTSHIFT_METRICS_ADDRESS',
) {
  return new Promise<Listener>((resolve, reject) => {
    const s = listen({ fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  }).catch((error: NodeJS.ErrnoException) => {
    const where = `cannot listen on ${host}:${port}: ${error.code ?? error.message}`;
    const other = setting === 'PORT' ? `PORT=${port + 1}` : `NIGHTSHIFT_METRICS_ADDRESS=${host}:${port + 1}`;
    if (error.code === 'EADDRINUSE') {
      throw new Error(
        `${where} (another program, or another Nightshift, has the port): stop it, or choose another port, e.g. ${other}`,
      );
    }
    if (error.code === 'EACCES')
      throw new Error(`${where} (ports below 1024 need privileges): choose another, e.g. ${other}`);
    throw new Error(where);
  });
}

function urlOf(host: string, listener: Listener): string {
  const { port } = listener.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Closes a listener without draining: for one that served nothing yet, or only idempotent scrapes. */
function closeAtOnce(listener: Listener): Promise<void> {
  return new Promise((resolve) => {
    listener.close(() => resolve());
    if ('closeAllConnections' in listener) listener.closeAllConnections();
  });
}
