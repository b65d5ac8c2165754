// The queues and how their jobs are retried. A job that fails is retried with exponential backoff
// (30 s, 1 min, 2 min, with jitter); after the last retry it is copied to the dead-letter queue,
// where `nightshift jobs` counts it and an operator can look at it or send it back.
import type { PgBoss } from 'pg-boss';
import { TASKS } from './tasks.ts';

export const DEAD_LETTER_QUEUE = 'dead-letter';
export const PROBE_QUEUE = 'probe';
export const RETRY_LIMIT = 3;

const RETRY = { retryLimit: RETRY_LIMIT, retryDelay: 30, retryBackoff: true, retryDelayMax: 10 * 60 };

export async function createQueues(boss: PgBoss): Promise<void> {
  // Dead letters are kept for two weeks for someone to look at.
  await boss.createQueue(DEAD_LETTER_QUEUE, { retentionSeconds: 14 * 24 * 3600, deleteAfterSeconds: 14 * 24 * 3600 });
  for (const task of TASKS) {
    // exclusive + the tenant as singleton key: at most one job of a task per tenant is queued or
    // running, so one tenant's cycle never runs twice at once and a slow run is not piled upon.
    await boss.createQueue(task.name, {
      policy: 'exclusive',
      expireInSeconds: task.expireInSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
      ...RETRY,
    });
  }
  // Trivial jobs (src/jobs/probe.ts): retried quickly, expired quickly (a probe takes milliseconds).
  await boss.createQueue(PROBE_QUEUE, {
    expireInSeconds: 10,
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: true,
    deadLetter: DEAD_LETTER_QUEUE,
  });
}
