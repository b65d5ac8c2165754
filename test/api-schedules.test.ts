// /api/schedules over real HTTP, on a database of its own (schedules are global state): tenant
// admins read every schedule with their own tenant's last run and run history, never another
// tenant's; only the internal secret changes a schedule or fires it, and bad input is a 4xx naming
// the field with nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { getSchedule, type ScheduleRow } from '../src/db/repositories/schedules.ts';
import { type JobSender, runSchedulerPass } from '../src/jobs/scheduler.ts';
import { DEFAULT_SCHEDULES } from './support/default-schedules.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import {
  type ApiClient,
  apiClient,
  expectFieldError,
  startTestApi,
  TEST_INTERNAL_SECRET,
  type TestApi,
  tokenFor,
} from './support/test-api.ts';

const internal = { 'x-internal-secret': TEST_INTERNAL_SECRET };

describe('/api/schedules', () => {
  let db: Database;
  let api: TestApi;
  let a: TestTenant;
  let b: TestTenant;
  let adminA: ApiClient;
  let adminB: ApiClient;
  let operator: ApiClient;
  beforeAll(async () => {
    db = await freshDatabase();
    api = await startTestApi(db);
    [a, b] = [await createTenant(db), await createTenant(db)];
    adminA = apiClient(api, await tokenFor(db, a.tenantId, 'admin'));
    adminB = apiClient(api, await tokenFor(db, b.tenantId, 'admin'));
    operator = apiClient(api, null);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  const schedule = async (name: string) => (await db.session((s) => getSchedule(s, name))) as ScheduleRow;
  const addRun = (t: TestTenant, name: string, tickAt: string, fields: Record<string, unknown>) =>
    db.session((s) =>
      s.query(
        `INSERT INTO schedule_runs (tenant_id, schedule_id, tick_at, status, attempts, started_at, finished_at, error, result)
         SELECT $1, id, $3, $4, 1, $3::timestamptz + interval '1 second', $3::timestamptz + interval '5 seconds', $5, $6
           FROM job_schedules WHERE name = $2`,
        [
          t.tenantId,
          name,
          tickAt,
          fields.status,
          fields.error ?? null,
          fields.result === undefined ? null : JSON.stringify(fields.result),
        ],
      ),
    );

  it('lists the default schedules, UTC, never run yet, to tenant admins only', async () => {
    const response = await adminA.get('/api/schedules');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(
      DEFAULT_SCHEDULES.map((schedule) => ({
        ...schedule,
        timezone: 'UTC',
        enabled: true,
        next_run_at: null,
        last_tick_at: null,
        last_run: null,
      })),
    );
    const member = apiClient(api, await tokenFor(db, a.tenantId, 'member'));
    expect((await member.get('/api/schedules')).status).toBe(403);
    expect((await operator.get('/api/schedules', internal)).status).toBe(401);
  });

  it('shows each tenant admin its own tenant’s last run and run history, never another tenant’s', async () => {
    await addRun(a, 'autonomous-cycle', '2026-11-20T10:00:00Z', { status: 'succeeded', result: { cycle_id: 'x' } });
    await addRun(a, 'autonomous-cycle', '2026-11-20T11:00:00Z', { status: 'succeeded', result: { paused: 1 } });
    await addRun(b, 'autonomous-cycle', '2026-11-20T11:00:00Z', { status: 'failed', error: 'B’s secret failure' });
    await addRun(b, 'autonomous-cycle', '2026-11-20T12:00:00Z', { status: 'failed', error: 'B’s later failure' });

    const listA = await adminA.get('/api/schedules');
    const cycleA = listA.body.data.find((s: { name: string }) => s.name === 'autonomous-cycle');
    expect(cycleA.last_run).toEqual({
      status: 'succeeded',
      tick_at: '2026-11-20T11:00:00.000Z',
      started_at: '2026-11-20T11:00:01.000Z',
      finished_at: '2026-11-20T11:00:05.000Z',
      error: null,
      result: { paused: 1 },
    });
    expect(JSON.stringify(listA.body)).not.toContain('B’s');
    const cycleB = (await adminB.get('/api/schedules')).body.data.find(
      (s: { name: string }) => s.name === 'autonomous-cycle',
    );
    expect(cycleB.last_run).toMatchObject({ status: 'failed', tick_at: '2026-11-20T12:00:00.000Z' });
    expect(cycleB.last_run.error).toBe('B’s later failure');

    const runsA = await adminA.get('/api/schedules/autonomous-cycle/runs');
    expect(runsA.status).toBe(200);
    expect(runsA.body.data.map((r: { tick_at: string }) => r.tick_at)).toEqual([
      '2026-11-20T11:00:00.000Z',
      '2026-11-20T10:00:00.000Z',
    ]);
    expect(runsA.body.data[0]).toEqual({
      id: expect.any(String),
      tick_at: '2026-11-20T11:00:00.000Z',
      status: 'succeeded',
      attempts: 1,
      queued_at: expect.any(String),
      started_at: '2026-11-20T11:00:01.000Z',
      finished_at: '2026-11-20T11:00:05.000Z',
      error: null,
      result: { paused: 1 },
    });
    expect(JSON.stringify(runsA.body)).not.toContain('B’s');
    const limited = await adminA.get('/api/schedules/autonomous-cycle/runs?limit=1');
    expect(limited.body.data).toHaveLength(1);
    expect((await adminA.get('/api/schedules/campaign-runner/runs')).body).toEqual({ data: [] });
  });

  it('validates the runs query and path', async () => {
    for (const limit of ['0', '501', 'ten', '1.5']) {
      expectFieldError(await adminA.get(`/api/schedules/autonomous-cycle/runs?limit=${limit}`), 'limit', limit);
    }
    expect((await adminA.get('/api/schedules/autonomous-cycle/runs?limit=500')).status).toBe(200);
    expectFieldError(await adminA.get('/api/schedules/autonomous-cycle/runs?since=1'), 'since');
    const unknown = await adminA.get('/api/schedules/no-such-job/runs');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('no schedule no-such-job');
    expect((await adminA.get('/api/schedules/Not_A_Name/runs')).status).toBe(404);
  });

  it('changes cron, time zone and enabled with the internal secret, and clears next_run_at', async () => {
    await db.session((s) =>
      s.query("UPDATE job_schedules SET next_run_at = '2026-11-20T13:00:00Z' WHERE name = 'actual-impact'"),
    );
    const response = await operator.patch(
      '/api/schedules/actual-impact',
      { cron: ' 0  6 * * 1 ', timezone: 'Europe/Paris', enabled: false, data: { mode: 'full' } },
      internal,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'actual-impact',
      task: 'actual-impact',
      cron: '0 6 * * 1',
      timezone: 'Europe/Paris',
      enabled: false,
      data: { mode: 'full' },
      next_run_at: null,
      last_tick_at: null,
    });
    expect(await schedule('actual-impact')).toMatchObject({
      cron: '0 6 * * 1',
      timezone: 'Europe/Paris',
      enabled: false,
      next_run_at: null,
    });

    // Enabling again clears a next run that went stale while the schedule was off.
    await db.session((s) =>
      s.query("UPDATE job_schedules SET next_run_at = '2020-01-01T00:00:00Z' WHERE name = 'actual-impact'"),
    );
    const enabled = await operator.patch('/api/schedules/actual-impact', { enabled: true }, internal);
    expect(enabled.body).toMatchObject({ enabled: true, next_run_at: null, cron: '0 6 * * 1' });
    // Data alone leaves the next run where it is.
    await db.session((s) =>
      s.query("UPDATE job_schedules SET next_run_at = '2026-11-23T05:00:00Z' WHERE name = 'actual-impact'"),
    );
    const data = await operator.patch('/api/schedules/actual-impact', { data: {} }, internal);
    expect(data.body).toMatchObject({ data: {}, next_run_at: '2026-11-23T05:00:00.000Z' });
  });

  it('refuses bad patches with a 4xx naming the field, and changes nothing', async () => {
    const before = await schedule('autonomous-cycle');
    const patch = (body: unknown) => operator.patch('/api/schedules/autonomous-cycle', body, internal);

    const badCron = await patch({ cron: '61 * * * *' });
    expectFieldError(badCron, 'cron');
    expect(badCron.body.errors[0].message).toMatch(/61/);
    expect((await patch({ cron: 'bogus' })).body.errors).toEqual([
      {
        field: 'cron',
        in: 'body',
        message: 'expects 5 fields (minute hour day month weekday) or 6 (seconds first)',
      },
    ]);
    expectFieldError(await patch({ cron: '0 0 31 2 *' }), 'cron', 'February 31st');
    expectFieldError(await patch({ cron: 5 }), 'cron', 'not a string');
    const badZone = await patch({ timezone: 'Mars/Olympus_Mons' });
    expectFieldError(badZone, 'timezone');
    expect(badZone.body.errors[0].message).toBe('expects an IANA time zone like Europe/Berlin');
    expectFieldError(await patch({ cron: '0 6 * * *', timezone: '' }), 'timezone', 'empty zone with a good cron');
    expectFieldError(await patch({ enabled: 'yes' }), 'enabled');
    expectFieldError(await patch({ data: [1] }), 'data');
    expectFieldError(await patch({ name: 'renamed' }), 'name', 'unknown field');
    expectFieldError(await patch({ task: 'probe' }), 'task', 'the task is not editable');
    expectFieldError(await patch({}), 'body', 'empty body');
    expect((await patch('{"cron":')).status).toBe(400);
    expect((await patch(undefined)).status).toBe(422);

    const unknown = await operator.patch('/api/schedules/no-such-job', { enabled: false }, internal);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('no schedule no-such-job');
    expect((await operator.patch('/api/schedules/Not_A_Name', { enabled: false }, internal)).status).toBe(404);

    // Tenant callers, however high their role, and a wrong secret cannot change schedules.
    const owner = apiClient(api, await tokenFor(db, a.tenantId, 'owner'));
    for (const [label, response] of [
      ['tenant admin', await adminA.patch('/api/schedules/autonomous-cycle', { enabled: false })],
      ['tenant owner', await owner.patch('/api/schedules/autonomous-cycle', { enabled: false })],
      [
        'wrong secret',
        await operator.patch('/api/schedules/autonomous-cycle', { enabled: false }, { 'x-internal-secret': 'nope' }),
      ],
      ['tenant admin firing', await adminA.post('/api/schedules/autonomous-cycle/run')],
    ] as const) {
      expect(response.status, label).toBe(401);
    }
    expect(await schedule('autonomous-cycle')).toEqual(before);
  });

  it('fires a schedule now: due at once, and the next scheduler pass fires it for every tenant', async () => {
    const fired = await operator.post('/api/schedules/campaign-runner/run', undefined, internal);
    expect(fired.status).toBe(202);
    expect(fired.body).toMatchObject({ name: 'campaign-runner', enabled: true });
    const [{ now }] = (await db.session((s) => s.query<{ now: Date }>('SELECT now() AS now'))) as [{ now: Date }];
    const due = (await schedule('campaign-runner')).next_run_at as Date;
    expect(due.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(new Date(fired.body.next_run_at).getTime()).toBe(due.getTime());

    const sent: string[] = [];
    const boss = {
      send: async (_name: string, data: { runId: string }) => {
        sent.push(data.runId);
        return data.runId;
      },
    };
    const pass = await runSchedulerPass(db, boss as unknown as JobSender);
    expect(pass.fired.filter((f) => f.schedule === 'campaign-runner')).toEqual([
      { schedule: 'campaign-runner', tick_at: due, runs: 2 },
    ]);
    const runner = (await adminA.get('/api/schedules')).body.data.find(
      (s: { name: string }) => s.name === 'campaign-runner',
    );
    expect(runner.last_run).toMatchObject({ status: 'queued', tick_at: due.toISOString() });
    expect(runner.next_run_at).not.toBeNull();
    expect(new Date(runner.next_run_at).getTime()).toBeGreaterThan(due.getTime());
    // Another schedule may be due in the same pass: an earlier test sets actual-impact's next run to
    // 2026-11-23T05:00Z, in the past since that day. Every run the pass queued was sent, the
    // runner's two among them.
    expect(pass.queued).toBe(pass.fired.reduce((total, f) => total + f.runs, 0));
    expect(sent).toHaveLength(pass.queued);
  });

  it('does not fire a disabled or unknown schedule, nor take a body', async () => {
    await operator.patch('/api/schedules/social-dispatcher', { enabled: false }, internal);
    const before = await schedule('social-dispatcher');
    const disabled = await operator.post('/api/schedules/social-dispatcher/run', undefined, internal);
    expect(disabled.status).toBe(409);
    expect(disabled.body.detail).toBe('schedule social-dispatcher is disabled: enable it first');
    expect(await schedule('social-dispatcher')).toEqual(before);
    expect((await operator.post('/api/schedules/no-such-job/run', undefined, internal)).status).toBe(404);
    expectFieldError(await operator.post('/api/schedules/autonomous-cycle/run', { now: true }, internal), 'body');
  });
});
