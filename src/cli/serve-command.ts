import { mintToken } from '../auth/tokens.ts';
import type { Database } from '../db/port.ts';
import { LOCAL_ADMIN_EMAIL } from '../demo/load-demo.ts';
import { resolveSecrets } from '../secrets.ts';
import { startServer } from '../server/serve.ts';
import { commandConfig } from './context.ts';

export async function serveCommand(options: { demo: boolean }): Promise<void> {
  const { config, log } = commandConfig();
  const secrets = resolveSecrets(config);
  const server = await startServer(config, log, { demo: options.demo });

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      process.stderr.write(`nightshift: second ${signal}: exiting without a clean shutdown\n`);
      process.exit(130);
    }
    log.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const lines = [`Nightshift is running (${server.db.kind})`, `  Dashboard: ${server.url}/`];
  // Only the embedded product prints a ready-made admin token: on a shared server, tokens are
  // minted on purpose with `nightshift token`.
  if (config.database.kind === 'pglite' && secrets.jwtSecret) {
    const token = await localAdminToken(server.db, secrets.jwtSecret);
    if (token) lines.push(`  Admin token (tenant ${token.slug}, valid 30 days): ${token.token}`);
  }
  lines.push('  Stop with Ctrl-C.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function localAdminToken(db: Database, secret: string): Promise<{ slug: string; token: string } | undefined> {
  const row = await db.kysely
    .selectFrom('tenant_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('tenants as t', 't.id', 'm.tenant_id')
    .select(['u.id as userId', 't.id as tenantId', 't.slug'])
    .where('u.email', '=', LOCAL_ADMIN_EMAIL)
    .orderBy('t.created_at')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    slug: row.slug,
    token: await mintToken(secret, { userId: row.userId, tenantId: row.tenantId, role: 'admin' }),
  };
}
