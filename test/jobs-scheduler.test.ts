import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, SystemDatabase } from '../src/db/port.ts';
import { listRuns, type RunRow, updateSchedule } from '../src/db/repositories/schedules.ts';
import { createBoss } from '../src/jobs/boss.ts';
import { nextRunAfter } from '../src/jobs/cron.ts';
import { countProbes, sendProbes } from '../src/jobs/probe.ts';
import { createQueues, DEAD_LETTER_QUEUE } from '../src/jobs/queues.ts';
import { runSchedulerPass, SKIPPED_REASON } from '../src/jobs/scheduler.ts';
import { type RunningWorker, startWorker } from '../src/jobs/worker.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { testTaskDeps } from './support/task-deps.ts';
import { until } from './support/until.ts';

async function makeDue(db: Database, name: string, secondsAgo = 1): Promise<void> {
  await db.session((s) =>
    s.query('UPDATE job_schedules SET next_run_at = now() - make_interval(secs => $2) WHERE name = $1', [
      name,
      secondsAgo,
    ]),
  );
}

async function runsOf(db: Database, name: string): Promise<RunRow[]> {
  return db.session((s) => listRuns(s, name, 100));
}

describe('schedules fired by the scheduler, run by workers (both backends)', () => {
  let db: SystemDatabase;
  let tenants: TestTenant[];
  let worker: RunningWorker | undefined;

  beforeEach(async () => {
    db = await freshDatabase();
    tenants = [await createTenant(db), await createTenant(db)];
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await db.close();
  });

  const start = async () => {
    // The timer is out of the way: each test runs its passes itself.
    worker = await startWorker(testTaskDeps(db), { schedulerSeconds: 3600, pollSeconds: 0.5 });
    return worker;
  };

  it('fires a due tick once however many passes run, with one job per tenant that a worker runs and records', async () => {
    const w = await start();
    await makeDue(db, 'autonomous-cycle');

    const passes = await Promise.all([w.schedulerPass(), runSchedulerPass(db, w.boss), runSchedulerPass(db, w.boss)]);
    const again = await runSchedulerPass(db, w.boss);

    const fired = passes.flatMap((p) => p.fired).filter((f) => f.schedule === 'autonomous-cycle');
    expect(fired).toHaveLength(1);
    expect(fired[0]?.runs).toBe(2);
    expect(again.fired).toEqual([]);
    const runs = await until(
      'both runs succeeded',
      () => runsOf(db, 'autonomous-cycle'),
      (rs) => rs.length === 2 && rs.every((r) => r.status === 'succeeded'),
    );
    expect(runs.map((r) => r.tenant_id).sort()).toEqual(tenants.map((t) => t.tenantId).sort());
    for (const run of runs) {
      expect(run.job_id).toBe(run.id);
      expect(run.attempts).toBe(1);
      expect(run.started_at).not.toBeNull();
      expect(run.finished_at).not.toBeNull();
      expect(run.result).toMatchObject({ cycle_id: expect.any(String), actions_taken: expect.any(Object) });
    }
    const cycles = await db.session((s) =>
      s.query<{ n: number }>("SELECT count(*)::int AS n FROM autonomous_cycles WHERE triggered_by = 'schedule'"),
    );
    expect(cycles[0]?.n).toBe(2);
  });

  it('moves a schedule to its next tick by its cron expression, in its time zone', async () => {
    const w = await start();
    await db.session((s) => updateSchedule(s, 'autonomous-cycle', { cron: '0 6 * * *', timezone: 'Europe/Paris' }));

    const before = new Date();
    const pass = await w.schedulerPass();

    expect(pass.fired).toEqual([]);
    const [row] = await db.session((s) =>
      s.query<{ next_run_at: Date }>("SELECT next_run_at FROM job_schedules WHERE name = 'autonomous-cycle'"),
    );
    const next = row?.next_run_at as Date;
    expect(next.getTime()).toBe(nextRunAfter('0 6 * * *', 'Europe/Paris', before).getTime());
    // 06:00 in Paris is 05:00 UTC in winter, 04:00 in summer.
    expect([4, 5]).toContain(next.getUTCHours());
    expect(next.getUTCMinutes()).toBe(0);

    await makeDue(db, 'autonomous-cycle');
    await w.schedulerPass();
    const [moved] = await db.session((s) =>
      s.query<{ next_run_at: Date; last_tick_at: Date }>(
        "SELECT next_run_at, last_tick_at FROM job_schedules WHERE name = 'autonomous-cycle'",
      ),
    );
    expect(moved?.last_tick_at).not.toBeNull();
    expect(moved?.next_run_at.getTime()).toBeGreaterThan(Date.now());
  });

  it("skips a tick while the tenant's previous job of the task is still queued (one at a time per tenant)", async () => {
    // A boss with queues but no workers: the first tick's jobs stay queued.
    const boss = createBoss(db);
    await boss.start();
    try {
      await createQueues(boss);
      await makeDue(db, 'campaign-runner', 120);
      const first = await runSchedulerPass(db, boss);
      await makeDue(db, 'campaign-runner', 60);
      const second = await runSchedulerPass(db, boss);

      expect(first).toMatchObject({ queued: 2, skipped: 0 });
      expect(second).toMatchObject({ queued: 0, skipped: 2 });
      const runs = await runsOf(db, 'campaign-runner');
      expect(runs.map((r) => r.status).sort()).toEqual(['queued', 'queued', 'skipped', 'skipped']);
      expect(
        runs.filter((r) => r.status === 'skipped').every((r) => r.error === SKIPPED_REASON && r.job_id === null),
      ).toBe(true);
    } finally {
      await boss.stop({ graceful: false });
    }
  });

  it('retries a failing job with backoff, then moves it to the dead-letter queue', async () => {
    const w = await start();
    const unknownTenant = randomUUID();
    const id = await w.boss.send(
      'autonomous-cycle',
      { tenantId: unknownTenant },
      { retryLimit: 1, retryDelay: 1, retryBackoff: true, singletonKey: unknownTenant },
    );

    const job = await until(
      'the job failed for good',
      () => w.boss.findJobs('autonomous-cycle', { id: id as string }),
      ([j]) => j?.state === 'failed',
    );
    expect(job[0]?.retryCount).toBe(1);
    const dead = await until(
      'the job in the dead-letter queue',
      () => w.boss.findJobs<{ tenantId: string }>(DEAD_LETTER_QUEUE, { data: { tenantId: unknownTenant } }),
      (jobs) => jobs.length === 1,
    );
    expect(dead[0]?.data.tenantId).toBe(unknownTenant);
  });

  it('runs probes, each with one effect', async () => {
    const w = await start();
    const t = tenants[0] as TestTenant;
    const keys = Array.from({ length: 500 }, (_, i) => `probe-${i}`);

    await sendProbes(w.boss, t.tenantId, keys);

    const count = await until(
      'every probe done',
      () => countProbes(db, t.tenantId, keys),
      (c) => c.done === keys.length,
    );
    expect(count).toEqual({ done: 500, redelivered: 0 });
  });
});
