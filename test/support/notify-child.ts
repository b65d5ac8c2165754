// One run of the notifications deliverer in a process of its own, against a Postgres database, for
// test/notify-crash.pg.test.ts, which kills it while a receiver holds a request unanswered.
// Settings come from the environment; the report is printed as JSON.
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { trackingKey } from '../../src/delivery/tracking-token.ts';
import { actionLinkKey } from '../../src/notify/action-link-token.ts';
import { deliverDueNotifications } from '../../src/notify/deliver.ts';

const setting = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const db = await openPostgres(setting('DATABASE_URL'), { max: 2 });
try {
  const key = setting('ENCRYPTION_KEY');
  const deps = {
    cipher: createTokenCipher(key),
    trackingKey: trackingKey(key),
    actionLinkKey: actionLinkKey(key),
    publicUrl: 'http://127.0.0.1:9',
    twilioBaseUrl: 'http://127.0.0.1:9',
  };
  const report = await deliverDueNotifications(db, deps, setting('TENANT_ID'));
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await db.close();
}
