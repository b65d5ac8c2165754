import { findMembership } from '../auth/members.ts';
import { mintToken, TOKEN_HOURS } from '../auth/tokens.ts';
import { LOCAL_ADMIN_EMAIL } from '../demo/load-demo.ts';
import { createLogger } from '../log.ts';
import { resolveSecrets } from '../secrets.ts';
import { startServer } from '../server/serve.ts';
import { signInLink } from '../server/sign-in-link.ts';
import { commandConfig } from './context.ts';
import { exitAfter, shutdownSignal } from './shutdown-signal.ts';

export async function serveCommand(options: { demo: boolean; worker: boolean }): Promise<void> {
  const { config } = commandConfig();
  const log = createLogger(config.logLevel);
  const secrets = resolveSecrets(config);
  const signal = shutdownSignal(log);

  const server = await startServer(config, log, secrets, { demo: options.demo, worker: options.worker });
  if (signal.came()) await exitAfter(log, server.close);

  const lines = [
    `Nightshift is running (${server.db.kind}${options.worker ? ', with a job worker' : ', API only'})`,
    `  Dashboard: ${server.url}/`,
  ];
  // Only the embedded product prints a ready-made admin token: on a shared server, tokens are
  // minted on purpose with `nightshift token`.
  if (config.database.kind === 'pglite' && secrets.jwtSecret) {
    const admin = await findMembership(server.db, LOCAL_ADMIN_EMAIL);
    if (admin) {
      const token = await mintToken(secrets.jwtSecret, { ...admin, role: 'admin' });
      lines.push(
        `  Sign in as the local admin (tenant ${admin.slug}, valid ${TOKEN_HOURS} h): ${signInLink(server.url, token)}`,
      );
    }
  }
  lines.push('  Stop with Ctrl-C.');
  process.stdout.write(`${lines.join('\n')}\n`);
  await signal.received;
  await exitAfter(log, server.close);
}
