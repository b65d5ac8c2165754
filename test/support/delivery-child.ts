// One delivery pass of the ad-platform outbox in a process of its own, against a Postgres database
// and the local Meta server, for test/ad-platform-changes-crash.pg.test.ts, which kills it between
// Meta's answer and the commit of the confirmation. Settings come from the environment (the key
// stays out of the process list); the report is printed as JSON.
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { deliverPlatformChanges } from '../../src/services/platform-changes.ts';

const setting = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const db = await openPostgres(setting('DATABASE_URL'), { max: 1, applicationName: setting('APPLICATION_NAME') });
try {
  const report = await deliverPlatformChanges(db, {
    tenantId: setting('TENANT_ID'),
    endpoints: { ...DEFAULT_AD_PLATFORM_ENDPOINTS, meta: { baseUrl: setting('META_BASE_URL'), apiVersion: 'v21.0' } },
    cipher: createTokenCipher(setting('ENCRYPTION_KEY')),
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await db.close();
}
