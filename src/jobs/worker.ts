// A job worker: pg-boss started on the database, a handler per task, and the scheduler pass every
// few seconds. `nightshift serve` runs one in-process (unless --no-worker); `nightshift worker`
// runs one on its own, any number of them against one Postgres server.
import type { Job, PgBoss } from 'pg-boss';
import type { SystemDatabase } from '../db/port.ts';
import { type BossOptions, createBoss } from './boss.ts';
import { type ProbeData, recordProbes } from './probe.ts';
import { createQueues, PROBE_QUEUE } from './queues.ts';
import { type RunJobData, runTaskJob } from './run-task.ts';
import { type PassReport, runSchedulerPass } from './scheduler.ts';
import { TASKS, type TaskDeps } from './tasks.ts';

export interface WorkerOptions extends BossOptions {
  /** Seconds between scheduler passes (default 5). */
  schedulerSeconds?: number;
  /** Seconds between polls of an idle queue (default 2). */
  pollSeconds?: number;
}

export interface RunningWorker {
  readonly boss: PgBoss;
  /** A scheduler pass now (the timer runs them anyway). */
  schedulerPass(): Promise<PassReport>;
  /** Stops taking jobs, lets running ones finish (bounded), and stops pg-boss. The database stays open. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 20_000;
const PROBE_BATCH = 100;

export async function startWorker(deps: TaskDeps<SystemDatabase>, options: WorkerOptions = {}): Promise<RunningWorker> {
  const { db, log } = deps;
  const boss = createBoss(db, options);
  // pg-boss reports trouble (a lost connection, a failed maintenance pass) as events, not throws.
  boss.on('error', (error) => log.error({ err: error }, 'job system error'));
  await boss.start();
  await createQueues(boss);

  const pollingIntervalSeconds = options.pollSeconds ?? 2;
  for (const task of TASKS) {
    await boss.work<RunJobData>(task.name, { pollingIntervalSeconds }, ([job]) =>
      job ? runTaskJob(deps, task, job) : Promise.resolve(undefined),
    );
  }
  await boss.work<ProbeData>(
    PROBE_QUEUE,
    { pollingIntervalSeconds: Math.min(pollingIntervalSeconds, 0.5), batchSize: PROBE_BATCH, burstWhenBatchFull: true },
    (jobs: Job<ProbeData>[]) => recordProbes(db, jobs),
  );

  let pass: Promise<PassReport> | undefined;
  const schedulerPass = () => {
    pass ??= runSchedulerPass(db, boss).finally(() => {
      pass = undefined;
    });
    return pass;
  };
  const timer = setInterval(
    () =>
      void schedulerPass().then(
        (report) => {
          // Every minute fires something: what each job did is logged when it finishes.
          if (report.fired.length > 0) log.debug({ fired: report.fired, skipped: report.skipped }, 'schedules fired');
          if (report.failed.length > 0) log.error({ failed: report.failed }, 'runs not queued; the next pass retries');
        },
        (error: unknown) => log.error({ err: error }, 'scheduler pass failed'),
      ),
    (options.schedulerSeconds ?? 5) * 1000,
  );
  log.info({ tasks: TASKS.map((t) => t.name) }, 'job worker started');

  let stopping: Promise<void> | undefined;
  return {
    boss,
    schedulerPass,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await pass?.catch(() => {});
        await boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
        log.info('job worker stopped');
      })();
      return stopping;
    },
  };
}
