// One dispatcher pass in a process of its own, against a Postgres database and the platform test
// server, for test/social-dispatcher-crash.pg.test.ts, which kills it mid-post. Settings come from
// the environment (the key stays out of the process list); the report is printed as JSON.
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createPlatformAdapters } from '../../src/social/adapters.ts';
import { dispatchDuePosts } from '../../src/social/dispatcher.ts';

const setting = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const db = await openPostgres(setting('DATABASE_URL'), { max: 1, applicationName: setting('APPLICATION_NAME') });
try {
  const report = await dispatchDuePosts(db, {
    tenantId: setting('TENANT_ID'),
    adapters: createPlatformAdapters({ graphBaseUrl: setting('GRAPH_BASE_URL'), xBaseUrl: setting('X_BASE_URL') }),
    cipher: createTokenCipher(setting('ENCRYPTION_KEY')),
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await db.close();
}
