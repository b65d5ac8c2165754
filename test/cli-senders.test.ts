// `nightshift senders` as an operator runs it: an SMTP sender set from the command line with its
// password from a file (never argv), listed without its secrets, and tried with a real test
// message that arrives at a local SMTP server; a bad option is refused naming it, changing nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../scripts/support/cli-process.ts';
import { migrate } from '../src/db/migrate.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { backend } from './support/test-db.ts';

const cli = ownCliDatabase('cli-senders');
const dir = mkdtempSync(join(tmpdir(), 'nightshift-cli-senders-'));
let sink: SmtpSink;
let t: TestTenant;
const nightshift = (...args: string[]) => runCli(args, { LOG_LEVEL: 'warn', ...cli.env() });

beforeAll(async () => {
  sink = await startSmtpSink({ auth: { username: 'mailer', password: 'smtp-password-42' } });
  t = await cli.withDb(async (db) => {
    await migrate(db);
    return createTenant(db);
  });
});
afterAll(async () => {
  await sink?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`nightshift senders (${backend})`, () => {
  it('sets an SMTP sender, lists it without secrets, and sends a real test message', async () => {
    const passwordFile = join(dir, 'smtp-password');
    writeFileSync(passwordFile, 'smtp-password-42\n', { mode: 0o600 });
    const set = await nightshift(
      'senders',
      'email',
      '--tenant',
      t.tenantId,
      '--host',
      sink.host,
      '--port',
      String(sink.port),
      '--security',
      'none',
      '--username',
      'mailer',
      '--password-file',
      passwordFile,
      '--from',
      'news@sender.example',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`news@sender.example via ${sink.host}:${sink.port}`);

    const listed = await nightshift('senders', 'list', '--tenant', t.tenantId, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain('smtp-password-42');
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { channel: 'email', status: 'active', secrets_set: ['password'] },
    ]);

    const tested = await nightshift('senders', 'test', 'email', '--tenant', t.tenantId, '--to', 'ops@example.com');
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^Sent \(<ns\.test\./);
    const [received] = await sink.waitFor(1);
    expect(received?.envelope.to).toEqual(['ops@example.com']);
    expect(received?.parsed.subject).toBe('Nightshift test message');
  }, 240_000);

  it('refuses a bad option naming it, and a test message to a non-address', async () => {
    const bad = await nightshift(
      'senders',
      'email',
      '--tenant',
      t.tenantId,
      '--host',
      'smtp.example.com',
      '--from',
      'nope',
    );
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--from expects an e-mail address');
    const to = await nightshift('senders', 'test', 'email', '--tenant', t.tenantId, '--to', '+14155550100');
    expect(to.code).toBe(64);
    expect(to.stderr).toContain('--to expects an e-mail address');
    // The sender set before is unchanged.
    const listed = await nightshift('senders', 'list', '--tenant', t.tenantId, '--json');
    expect(JSON.parse(listed.stdout)[0].settings.host).toBe(sink.host);
  }, 240_000);
});
