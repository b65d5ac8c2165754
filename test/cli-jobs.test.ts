// `nightshift jobs` as an operator runs it, on a database of its own (schedules are global state):
// the list with cron, next run and last result, edits validated as the API validates them (a bad
// one is one line, exit 64), fire now, and the run history.
import { describe, expect, it } from 'vitest';
import { runCli } from '../scripts/support/cli-process.ts';
import type { Database } from '../src/db/port.ts';
import { listSchedules } from '../src/db/repositories/schedules.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { DEFAULT_SCHEDULES } from './support/default-schedules.ts';
import { createTenant } from './support/scenario.ts';
import { backend } from './support/test-db.ts';

const cli = ownCliDatabase('cli-jobs');
const { withDb } = cli;
const env = (): Record<string, string> => ({ LOG_LEVEL: 'warn', ...cli.env() });
const jobs = (...args: string[]) => runCli(['jobs', ...args], env());

const schedules = (db: Database) => db.session(listSchedules);

interface Listed {
  name: string;
  task: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  next_run_at: string | null;
  last_result: { tick_at: string; counts: Record<string, number>; error: string | null } | null;
  dead_letters: number | null;
}

const listed = async (): Promise<Listed[]> => {
  const result = await jobs('--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

describe(`nightshift jobs (${backend})`, () => {
  it('jobs --json lists the default schedules: cron, time zone, next run, last result', async () => {
    expect(await listed()).toEqual(
      DEFAULT_SCHEDULES.map((schedule) => ({
        ...schedule,
        timezone: 'UTC',
        enabled: true,
        next_run_at: null,
        last_tick_at: null,
        last_result: null,
        dead_letters: null,
      })),
    );
    const table = await jobs();
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +TASK +CRON +TIMEZONE +ENABLED +NEXT RUN +LAST TICK +LAST RESULT$/);
    expect(lines.find((line) => line.startsWith('autonomous-cycle '))).toMatch(
      /^autonomous-cycle +autonomous-cycle +0 \* \* \* \* +UTC +yes +pending +- +never ran$/,
    );
    // Aligned: every row's cron starts where the header's does.
    const cronAt = lines[0]!.indexOf('CRON');
    for (const line of lines.slice(1, 1 + DEFAULT_SCHEDULES.length))
      expect(line.slice(cronAt, cronAt + 1)).toMatch(/[*\d]/);
    expect(lines.at(-1)).toMatch(/^Dead-letter queue: /);
  });

  it('jobs set changes a schedule, and jobs shows it', async () => {
    const set = await jobs('set', 'autonomous-cycle', '--cron', '*/15 * * * *');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^autonomous-cycle: \*\/15 \* \* \* \* \(UTC\), enabled/);
    const zone = await jobs('set', 'actual-impact', '--timezone', 'Europe/Paris', '--disable', '--json');
    expect(zone.code, zone.stderr).toBe(0);
    expect(JSON.parse(zone.stdout)).toMatchObject({ name: 'actual-impact', timezone: 'Europe/Paris', enabled: false });
    const after = await listed();
    expect(after.find((s) => s.name === 'autonomous-cycle')).toMatchObject({ cron: '*/15 * * * *', enabled: true });
    expect(after.find((s) => s.name === 'actual-impact')).toMatchObject({
      cron: '30 5 * * *',
      timezone: 'Europe/Paris',
      enabled: false,
    });
    expect((await jobs()).stdout).toMatch(
      /actual-impact +actual-impact +30 5 \* \* \* +Europe\/Paris +no +\(disabled\)/,
    );
  });

  it.each([
    [['set', 'x', '--cron', 'bogus'], /^nightshift: --cron: expects 5 fields \(minute hour day month weekday\) or 6/],
    [['set', 'autonomous-cycle', '--cron', '61 * * * *'], /^nightshift: --cron: .*61.* \(got "61 \* \* \* \*"\)$/],
    [
      ['set', 'autonomous-cycle', '--timezone', 'Mars/Base'],
      /^nightshift: --timezone: expects an IANA time zone like Europe\/Berlin \(got "Mars\/Base"\)$/,
    ],
    [['set', 'autonomous-cycle'], /^nightshift: give at least one of --cron, --timezone, --enable, --disable/],
    [['set', 'autonomous-cycle', '--enable', '--disable'], /^nightshift: --enable and --disable exclude each other$/],
    [['set', 'autonomous-cycle', '--data', '[1]'], /^nightshift: --data: expects a JSON object/],
    [['set', 'no-such-job', '--enable'], /^nightshift: no schedule "no-such-job" \(there are: actual-impact, /],
    [['run', 'no-such-job'], /^nightshift: no schedule "no-such-job"/],
    [['run', 'actual-impact'], /^nightshift: schedule actual-impact is disabled: enable it first/],
    [['runs', 'autonomous-cycle', '--limit', '0'], /^nightshift: --limit expects a whole number from 1 to 500/],
    [['runs', 'autonomous-cycle', '--tenant', 'no-such-tenant'], /^nightshift: no tenant with slug "no-such-tenant"$/],
  ])('jobs %j is refused with one line (exit 64) and changes nothing', async (args, message) => {
    const before = await withDb(schedules);
    const result = await jobs(...args);
    expect(result.code).toBe(64);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(await withDb(schedules)).toEqual(before);
  });

  it('jobs run makes a schedule due now', async () => {
    const started = Date.now();
    const result = await jobs('run', 'campaign-runner');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^campaign-runner is due now/);
    const runner = (await listed()).find((s) => s.name === 'campaign-runner');
    expect(Date.parse(runner?.next_run_at ?? '')).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(runner?.next_run_at ?? '')).toBeGreaterThan(started - 60_000);
  });

  it('jobs runs prints the run history of every tenant or one; jobs shows the last result', async () => {
    const slugs = await withDb(async (db) => {
      const tenants = [await createTenant(db), await createTenant(db)];
      const runs = [
        [tenants[0]!, '2026-11-20T10:00:00Z', 'succeeded', null, { cycle_id: 'c1' }],
        [tenants[0]!, '2026-11-20T11:00:00Z', 'succeeded', null, { cycle_id: 'c2' }],
        [tenants[1]!, '2026-11-20T11:00:00Z', 'failed', 'the database went away', null],
      ] as const;
      for (const [t, tickAt, status, error, result] of runs) {
        await db.session((s) =>
          s.query(
            `INSERT INTO schedule_runs (tenant_id, schedule_id, tick_at, status, attempts, started_at, finished_at, error, result)
             SELECT $1, id, $2, $3, 1, $2, $2::timestamptz + interval '3 seconds', $4, $5
               FROM job_schedules WHERE name = 'autonomous-cycle'`,
            [t.tenantId, tickAt, status, error, result ? JSON.stringify(result) : null],
          ),
        );
      }
      const rows = await db.session((s) =>
        s.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants WHERE id = ANY($1)', [
          tenants.map((t) => t.tenantId),
        ]),
      );
      return tenants.map((t) => rows.find((r) => r.id === t.tenantId)!.slug);
    });

    const all = await jobs('runs', 'autonomous-cycle');
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TICK +TENANT +STATUS +ATTEMPTS +STARTED +FINISHED +ERROR \/ RESULT$/);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1, 3).some((l) => l.includes(slugs[1]!) && /failed .*the database went away/.test(l))).toBe(
      true,
    );
    expect(lines[3]).toMatch(
      new RegExp(
        `^2026-11-20T10:00:00Z +${slugs[0]} +succeeded +1 +2026-11-20T10:00:00Z +2026-11-20T10:00:03Z +\\{"cycle_id":"c1"\\}$`,
      ),
    );

    const one = await jobs('runs', 'autonomous-cycle', '--tenant', slugs[0]!, '--limit', '1', '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual([
      {
        id: expect.any(String),
        tenant: slugs[0],
        tenant_id: expect.any(String),
        tick_at: '2026-11-20T11:00:00.000Z',
        status: 'succeeded',
        attempts: 1,
        queued_at: expect.any(String),
        started_at: '2026-11-20T11:00:00.000Z',
        finished_at: '2026-11-20T11:00:03.000Z',
        error: null,
        result: { cycle_id: 'c2' },
      },
    ]);
    expect((await jobs('runs', 'campaign-runner')).stdout).toBe('campaign-runner has no runs yet\n');

    const cycle = (await listed()).find((s) => s.name === 'autonomous-cycle');
    expect(cycle?.last_result).toEqual({
      tick_at: '2026-11-20T11:00:00.000Z',
      counts: { succeeded: 1, failed: 1 },
      error: 'the database went away',
    });
    expect((await jobs()).stdout).toMatch(/autonomous-cycle .* succeeded 1, failed 1: the database went away\n/);
  });
});
