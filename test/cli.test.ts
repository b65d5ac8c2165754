import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SERVER_SECRETS } from '../scripts/support/cli-process.ts';
import { openPglite } from '../src/db/pglite.ts';
import type { Database } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { backend, postgresTestUrl } from './support/test-db.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  ...(backend === 'postgres'
    ? { DATABASE_URL: postgresTestUrl(), ...SERVER_SECRETS }
    : { NIGHTSHIFT_DATA_DIR: dataDir }),
});
/** Our own handle on the CLI's database, between CLI runs (PGlite: one process at a time). */
async function withCliDatabase(work: (db: Database) => Promise<unknown>): Promise<void> {
  const db = backend === 'postgres' ? await openPostgres(postgresTestUrl()) : await openPglite(join(dataDir, 'pgdata'));
  try {
    await work(db);
  } finally {
    await db.close();
  }
}
const jwtSecret = () =>
  backend === 'postgres'
    ? SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET
    : (JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string }).jwtSecret;

describe(`nightshift CLI (${backend})`, () => {
  // A fixed slug: demo data is drawn from (seed, slug), so every run judges the same campaigns.
  const prefix = 'cli-fixture';

  it('demo --json writes the tenants it reports', async () => {
    const result = await runCli(
      // Stats up to today, so the cycle below has live campaigns to judge.
      ['demo', '--tenants', '2', '--campaigns', '30', '--days', '5', '--prefix', prefix, '--json'],
      env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { created: { slug: string }[]; rows: { campaigns: number } };
    expect(report.created.map((t) => t.slug)).toEqual([prefix, `${prefix}-2`]);
    expect(report.rows.campaigns).toBe(60);
  });

  it('token mints a JWT for a tenant member that verifies with the instance secret, for 12 h unless told', async () => {
    const result = await runCli(['token', '--tenant', prefix, '--role', 'viewer'], env());
    expect(result.code, result.stderr).toBe(0);
    const { payload } = await jwtVerify(result.stdout.trim(), new TextEncoder().encode(jwtSecret()), {
      issuer: 'nightshift',
    });
    expect(payload).toMatchObject({ role: 'viewer', sub: expect.any(String), tenant_id: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(12 * 3600);
    // When it expires goes to stderr: stdout stays the bare token for scripts.
    const expires = new Date(payload.exp! * 1000).toISOString();
    expect(result.stderr.trim()).toBe(
      `viewer token for admin@nightshift.local in tenant ${prefix}, expires ${expires}`,
    );
    const week = await runCli(['token', '--tenant', prefix, '--expires', '7d'], env());
    const { payload: weekLong } = await jwtVerify(week.stdout.trim(), new TextEncoder().encode(jwtSecret()));
    expect(weekLong.exp! - weekLong.iat!).toBe(7 * 86_400);
  });

  it('token mints no role above the member’s own', async () => {
    const email = `viewer-${crypto.randomUUID()}@example.com`;
    await withCliDatabase((db) =>
      db.session(async (s) => {
        const [user] = await s.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [email]);
        await s.query(
          "INSERT INTO tenant_members (tenant_id, user_id, role) SELECT id, $2, 'viewer' FROM tenants WHERE slug = $1",
          [prefix, user!.id],
        );
      }),
    );
    const refused = await runCli(['token', '--tenant', prefix, '--user', email, '--role', 'admin'], env());
    expect(refused.code).toBe(64);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe(`nightshift: ${email} is viewer of tenant ${prefix}: --role cannot be admin`);
    const viewer = await runCli(['token', '--tenant', prefix, '--user', email, '--role', 'viewer'], env());
    expect(viewer.code, viewer.stderr).toBe(0);
  });

  it('token --link prints a dashboard sign-in link whose fragment is a token for the member’s tenant', async () => {
    const result = await runCli(['token', '--link', '--url', 'https://ops.example.com/'], env());
    expect(result.code, result.stderr).toBe(0);
    const link = new URL(result.stdout.trim());
    expect(`${link.origin}${link.pathname}`).toBe('https://ops.example.com/');
    const token = /^#token=(.+)$/.exec(link.hash)?.[1];
    const { payload } = await jwtVerify(decodeURIComponent(token ?? ''), new TextEncoder().encode(jwtSecret()), {
      issuer: 'nightshift',
    });
    expect(payload).toMatchObject({ role: 'admin', tenant_id: expect.any(String) });
  });

  it("cycle --json prints the seeds' summary shape; --dry-run writes nothing", async () => {
    const preview = await runCli(['cycle', '--tenant', prefix, '--dry-run', '--json'], env());
    expect(preview.code, preview.stderr).toBe(0);
    const planned = JSON.parse(preview.stdout);
    expect(planned.results[0].decisions.length).toBeGreaterThan(0);
    expect(planned).toMatchObject({
      success: true,
      timestamp: expect.any(String),
      dry_run: true,
      tenants: 1,
      actions_taken: {
        campaigns_paused: expect.any(Number),
        campaigns_scaled: expect.any(Number),
        campaigns_posted: 0,
        opportunities_detected: expect.any(Number),
      },
      suggestions_created: expect.any(Number),
      guardrail_stops: expect.any(Number),
    });
    const real = JSON.parse((await runCli(['cycle', '--tenant', prefix, '--json'], env())).stdout);
    // The preview promised exactly what the real cycle then did.
    expect(real.actions_taken).toEqual(planned.actions_taken);
    // A confidence computed seconds later may move in its eighth decimal (the campaigns' hours
    // running moved meanwhile): compared to six, as the ledger stores five.
    const settled = (decisions: { confidence: number }[]) =>
      decisions.map((d) => ({ ...d, confidence: Number(d.confidence.toFixed(6)) }));
    expect(settled(real.results[0].decisions)).toEqual(settled(planned.results[0].decisions));
    const again = JSON.parse((await runCli(['cycle', '--tenant', prefix, '--json'], env())).stdout);
    expect(again.actions_taken).toMatchObject({ campaigns_paused: 0, campaigns_scaled: 0 });
    expect(again.suggestions_created).toBe(0);
  });

  it('cycle --as-of replays as a dry run: nothing is written without --apply', async () => {
    const asOf = new Date().toISOString();
    const result = await runCli(['cycle', '--tenant', prefix, '--as-of', asOf, '--json'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dry_run: true, as_of: asOf, results: [{ cycle_id: null }] });
    const text = await runCli(['cycle', '--tenant', prefix, '--as-of', asOf], env());
    expect(text.stdout).toMatch(/^Autonomous cycle replayed as of .+ preview \(dry run, nothing written\)/);
  });

  it("run-automation --json launches the tenant's due campaigns once and answers the runner's shape", async () => {
    const first = await runCli(['run-automation', '--organization', prefix, '--json'], env());
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { processed_count: number; campaigns: object[]; errors: object[] };
    expect(Object.keys(result)).toEqual(['processed_count', 'campaigns', 'errors']);
    expect(result.errors).toEqual([]);
    expect(result.processed_count).toBe(result.campaigns.length);
    for (const campaign of result.campaigns)
      expect(campaign).toMatchObject({ previous_status: 'scheduled', new_status: 'sending' });
    const again = JSON.parse((await runCli(['run-automation', '--organization', prefix, '--json'], env())).stdout);
    expect(again).toEqual({ processed_count: 0, campaigns: [], errors: [] });
    const unknown = await runCli(['run-automation', '--organization', 'no-such-tenant'], env());
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no tenant with slug "no-such-tenant"');
  });

  it('backtest --json reports the money per rule and in total, and changes nothing', async () => {
    const result = await runCli(
      ['backtest', '--tenant', `${prefix}-2`, '--days', '5', '--horizon', '7', '--json'],
      env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const figures = {
      campaigns_paused: expect.any(Number),
      campaigns_scaled: expect.any(Number),
      spend_saved: expect.any(Number),
      revenue_forgone: expect.any(Number),
      spend_added: expect.any(Number),
      revenue_gained: expect.any(Number),
      net: expect.any(Number),
      net_negative: expect.any(Boolean),
      paused_proved_good: expect.any(Number),
      scaled_proved_bad: expect.any(Number),
      undetermined: expect.any(Number),
    };
    expect(report).toEqual({
      tenant_id: expect.any(String),
      from: expect.any(String),
      to: expect.any(String),
      horizon_days: 7,
      rules: expect.any(Array),
      total: figures,
    });
    for (const rule of report.rules) expect(rule).toEqual({ rule_name: expect.any(String), ...figures });
    // The total is the rules' sum, to the cent.
    const cents = (x: number) => Math.round(x * 100);
    const sum = (key: string) =>
      report.rules.reduce((acc: number, r: Record<string, number>) => acc + cents(r[key]!), 0);
    for (const key of ['spend_saved', 'revenue_forgone', 'spend_added', 'revenue_gained', 'net']) {
      expect(cents(report.total[key]), key).toBe(sum(key));
    }

    // The same as a table: a row per rule that acted, the total, and a warning per net-negative rule.
    const text = await runCli(['backtest', '--tenant', `${prefix}-2`, '--days', '5', '--horizon', '7'], env());
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^Backtest of cli-fixture-2 from \S+ to \S+, each action judged on the 7 days after it/);
    if (report.rules.length > 0) {
      expect(lines[1]).toMatch(
        /^rule +paused +scaled +spend saved +revenue forgone +spend added +revenue gained +net +paused good +scaled bad +undetermined$/,
      );
      for (const rule of report.rules) expect(text.stdout).toContain(rule.rule_name);
      expect(lines.find((l) => l.startsWith('Total '))).toContain(report.total.net.toFixed(2));
    }
    for (const rule of report.rules.filter((r: { net_negative: boolean }) => r.net_negative)) {
      expect(text.stdout).toContain(`Warning: "${rule.rule_name}" would have lost`);
    }
  });

  it.each([
    [
      ['backtest', '--tenant', 'x', '--days', '0'],
      /^nightshift: --days expects a whole number from 1 to 365 \(got "0"\)$/,
    ],
    [
      ['backtest', '--tenant', 'x', '--horizon', '91'],
      /^nightshift: --horizon expects a whole number from 1 to 90 \(got "91"\)$/,
    ],
    [['cycle', '--tenant', 'no-such-tenant'], /^nightshift: no tenant with slug "no-such-tenant"$/],
    [
      ['backtest', '--tenant', '00000000-0000-4000-8000-000000000000'],
      /^nightshift: no tenant with id "00000000-0000-4000-8000-000000000000"$/,
    ],
    [['locks', '--tenant', 'no-such-tenant'], /^nightshift: no tenant with slug "no-such-tenant"$/],
    [['cycle', '--as-of', 'yesterday'], /^nightshift: --as-of expects a timestamp with its offset/],
    [['cycle', '--as-of', '2999-01-01'], /^nightshift: --as-of is in the future/],
    [['cycle', '--apply'], /^nightshift: --apply acts on a replay: it needs --as-of$/],
    [['cycle', '--as-of', '2026-01-01', '--apply', '--dry-run'], /^nightshift: --apply and --dry-run contradict/],
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
