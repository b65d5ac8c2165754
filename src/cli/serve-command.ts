import { findMembership } from '../auth/members.ts';
import { mintToken } from '../auth/tokens.ts';
import { LOCAL_ADMIN_EMAIL } from '../demo/load-demo.ts';
import { resolveSecrets } from '../secrets.ts';
import { type RunningServer, startServer } from '../server/serve.ts';
import { commandConfig } from './context.ts';

export async function serveCommand(options: { demo: boolean }): Promise<void> {
  const { config, log } = commandConfig();
  const secrets = resolveSecrets(config);

  // Signals are handled from the start: one that arrives while the database is being migrated or
  // the demo loaded waits for that to finish, then shuts down cleanly like any other.
  let server: RunningServer | undefined;
  let stopRequested = false;
  let signals = 0;
  const stop = (running: RunningServer) =>
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      process.stderr.write(`nightshift: second ${signal}: exiting without a clean shutdown\n`);
      process.exit(130);
    }
    log.info({ signal }, 'signal received');
    stopRequested = true;
    if (server) void stop(server);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  server = await startServer(config, log, secrets, { demo: options.demo });
  if (stopRequested) {
    await stop(server);
    return;
  }

  const lines = [`Nightshift is running (${server.db.kind})`, `  Dashboard: ${server.url}/`];
  // Only the embedded product prints a ready-made admin token: on a shared server, tokens are
  // minted on purpose with `nightshift token`.
  if (config.database.kind === 'pglite' && secrets.jwtSecret) {
    const admin = await findMembership(server.db, LOCAL_ADMIN_EMAIL);
    if (admin) {
      const token = await mintToken(secrets.jwtSecret, { ...admin, role: 'admin' });
      lines.push(`  Admin token (tenant ${admin.slug}, valid 30 days): ${token}`);
    }
  }
  lines.push('  Stop with Ctrl-C.');
  process.stdout.write(`${lines.join('\n')}\n`);
}
