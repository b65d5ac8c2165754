import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SERVER_SECRETS } from './support/cli-process.ts';
import { backend, postgresTestUrl } from './support/test-db.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  ...(backend === 'postgres'
    ? { DATABASE_URL: postgresTestUrl(), ...SERVER_SECRETS }
    : { NIGHTSHIFT_DATA_DIR: dataDir }),
});
const jwtSecret = () =>
  backend === 'postgres'
    ? SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET
    : (JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string }).jwtSecret;

describe(`nightshift CLI (${backend})`, () => {
  const prefix = `cli-${randomBytes(3).toString('hex')}`;

  it('demo --json writes the tenants it reports', async () => {
    const result = await runCli(
      [
        'demo',
        '--tenants',
        '2',
        '--campaigns',
        '5',
        '--days',
        '3',
        '--prefix',
        prefix,
        '--last-day',
        '2026-11-20',
        '--json',
      ],
      env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { created: { slug: string }[]; rows: { campaigns: number } };
    expect(report.created.map((t) => t.slug)).toEqual([prefix, `${prefix}-2`]);
    expect(report.rows.campaigns).toBe(10);
  });

  it('token mints a JWT for a tenant member that verifies with the instance secret', async () => {
    const result = await runCli(['token', '--tenant', prefix, '--role', 'viewer'], env());
    expect(result.code, result.stderr).toBe(0);
    const { payload } = await jwtVerify(result.stdout.trim(), new TextEncoder().encode(jwtSecret()), {
      issuer: 'nightshift',
    });
    expect(payload).toMatchObject({ role: 'viewer', sub: expect.any(String), tenant_id: expect.any(String) });
  });

  it.each([
    [['demo', '--tenants', '0'], /^nightshift: --tenants expects a whole number from 1 to 10000 \(got "0"\)$/],
    [['demo', '--last-day', '20-11-2026'], /^nightshift: --last-day expects a date as YYYY-MM-DD/],
    [
      ['token', '--tenant', 'no-such-tenant'],
      /^nightshift: no member admin@nightshift.local in a tenant with slug "no-such-tenant"$/,
    ],
    [['token', '--tenant', 'x', '--role', 'god'], /^nightshift: --role expects one of owner, admin, member, viewer$/],
  ])('%j is refused with a one-line reason (exit 64)', async (args, message) => {
    const result = await runCli(args, env());
    expect(result.code).toBe(64);
    expect(result.stderr.trim()).toMatch(message);
  });
});
