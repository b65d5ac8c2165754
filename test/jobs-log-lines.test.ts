// What a finished job writes to the log (src/jobs/run-task.ts): one info line saying what it did,
// the full result at debug level; a routine task (every minute) that did nothing writes no info
// line, so a quiet embedded server does not flood its terminal.
import type { Job } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { type RunJobData, runTaskJob } from '../src/jobs/run-task.ts';
import { TASKS, type Task } from '../src/jobs/tasks.ts';
import { createLogger } from '../src/log.ts';
import { createTenant } from './support/scenario.ts';
import { testTaskDeps } from './support/task-deps.ts';
import { useTestDb } from './support/test-db.ts';

interface Line {
  level: number;
  msg: string;
  result?: unknown;
}
const INFO = 30;
const DEBUG = 20;

describe('the log lines of finished jobs', () => {
  const testDb = useTestDb();

  async function run(task: Task) {
    const t = await createTenant(testDb());
    const lines: Line[] = [];
    const deps = {
      ...testTaskDeps(testDb()),
      log: createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) }),
    };
    const job = { id: crypto.randomUUID(), retryCount: 0, data: { tenantId: t.tenantId } } as Job<RunJobData>;
    await runTaskJob(deps, task, job);
    return lines;
  }
  const taskNamed = (name: string) => TASKS.find((task) => task.name === name)!;

  it('a routine task that did nothing: no info line, its result at debug', async () => {
    const lines = await run(taskNamed('message-events'));
    expect(lines.filter((l) => l.level >= INFO)).toEqual([]);
    expect(lines.filter((l) => l.level === DEBUG).map((l) => l.result)).toMatchObject([{ events: 0 }]);
  });

  it('a routine task that did something, and a cycle that did nothing: one info line each', async () => {
    const busy: Task = {
      name: 'busy-minute',
      routine: true,
      expireInSeconds: 60,
      run: async () => ({ sent: 3, failed: 0 }),
    };
    expect((await run(busy)).filter((l) => l.level >= INFO).map((l) => l.msg)).toEqual(['busy-minute: sent 3']);
    const cycle = (await run(taskNamed('autonomous-cycle'))).filter((l) => l.level >= INFO).map((l) => l.msg);
    expect(cycle).toEqual(['autonomous-cycle: nothing to do']);
  });
});
