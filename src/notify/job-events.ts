// job.dead_lettered (docs/notifications.md): a tenant's job failed its last retry and pg-boss moves
// it to the dead-letter queue (src/jobs/queues.ts). pg-boss moves it after the handler has thrown,
// outside any transaction of ours, so the event is written by the handler's last failure, just
// before.
import type { SqlSession } from '../db/port.ts';
import { writeEvents } from './outbox.ts';

/** The error's words are cut to this many characters. */
const ERROR_CHARS = 1000;

export interface DeadLetteredJob {
  jobId: string;
  task: string;
  error: string;
  /** Runs the job had, the last included. */
  attempts: number;
}

export function recordJobDeadLettered(s: SqlSession, tenantId: string, job: DeadLetteredJob, at?: Date) {
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT 'job.dead_lettered' AS type,
            jsonb_build_object('job_id', $3::text, 'task', $4::text,
                               'tenant', jsonb_build_object('id', t.id, 'name', t.name),
                               'error', $5::text, 'attempts', $6::int) AS data
       FROM tenants t
      WHERE t.id = $1`,
    [job.jobId, job.task, job.error.slice(0, ERROR_CHARS), job.attempts],
  );
}
