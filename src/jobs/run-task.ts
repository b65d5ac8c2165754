// One job of a task: the run history row follows it (running, then succeeded, retrying or failed
// with the error), and a failure is rethrown so pg-boss retries it with backoff and, after the
// last retry, moves it to the dead-letter queue (told as job.dead_lettered, src/notify/job-events.ts).
import type { Job } from 'pg-boss';
import type { SqlSession } from '../db/port.ts';
import { markRunFinished, markRunStarted, type RunOutcome } from '../db/repositories/schedules.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { isUuid } from '../domain/ids.ts';
import { recordJobDeadLettered } from '../notify/job-events.ts';
import { whatTheJobDid } from './job-summary.ts';
import { RETRY_LIMIT } from './queues.ts';
import type { Task, TaskDeps } from './tasks.ts';

export interface RunJobData extends Record<string, unknown> {
  tenantId: string;
  /** The schedule_runs row; absent for a job queued by hand. */
  runId?: string;
  schedule?: string;
}

export async function runTaskJob(deps: TaskDeps, task: Task, job: Job<RunJobData>): Promise<Record<string, unknown>> {
  const { tenantId, runId, schedule: _schedule, ...data } = job.data;
  if (!isUuid(tenantId)) throw new Error(`job ${job.id} of ${task.name} has no tenant id`);
  const recordRun = async (write: (s: SqlSession, runId: string) => Promise<void>) => {
    if (runId) await deps.db.session((s) => write(s, runId));
  };

  await recordRun((s, id) => markRunStarted(s, tenantId, id, job.id));
  const log = deps.log.child({ task: task.name, tenant_id: tenantId, job_id: job.id, attempt: job.retryCount + 1 });
  try {
    const result = await task.run(deps, tenantId, data);
    await recordRun((s, id) => markRunFinished(s, tenantId, id, { status: 'succeeded', result }));
    // One line of what it did; a routine task that did nothing (most minutes) only at debug level.
    const did = whatTheJobDid(result);
    if (did !== undefined || !task.routine) log.info(`${task.name}: ${did ?? 'nothing to do'}`);
    log.debug({ result }, 'job done');
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = job.retryCount >= RETRY_LIMIT;
    const outcome: RunOutcome = { status: final ? 'failed' : 'retrying', error: message };
    // The history and the event are best effort here: the job's own failure is what pg-boss must hear about.
    await recordRun((s, id) => markRunFinished(s, tenantId, id, outcome)).catch(() => {});
    if (final) {
      const dead = { jobId: job.id, task: task.name, error: message, attempts: job.retryCount + 1 };
      await tenantScoped(deps.db, tenantId)
        .transaction((s) => recordJobDeadLettered(s, tenantId, dead))
        .catch((failure: unknown) => log.warn({ err: failure }, 'job.dead_lettered not recorded'));
    }
    log.error({ err: error, outcome: outcome.status }, 'job failed');
    throw error;
  }
}
