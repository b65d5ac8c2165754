// One run of the e-mail and SMS delivery worker in a process of its own, against a Postgres
// database and the senders stored there, for test/delivery-crash.pg.test.ts, which kills it while a
// message's acknowledgement is held back. Settings come from the environment; the report is
// printed as JSON.
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { deliverForTenant } from '../../src/delivery/run-delivery.ts';
import { trackingKey } from '../../src/delivery/tracking-token.ts';
import { actionLinkKey } from '../../src/notify/action-link-token.ts';

const setting = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const db = await openPostgres(setting('DATABASE_URL'), { max: 2 });
try {
  const key = setting('ENCRYPTION_KEY');
  const report = await deliverForTenant(
    db,
    {
      cipher: createTokenCipher(key),
      trackingKey: trackingKey(key),
      actionLinkKey: actionLinkKey(key),
      publicUrl: 'http://127.0.0.1:9',
      twilioBaseUrl: 'http://127.0.0.1:9',
    },
    setting('TENANT_ID'),
    { batchSize: Number(setting('BATCH_SIZE')) },
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await db.close();
}
