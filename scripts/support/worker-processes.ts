// `nightshift worker` processes against one Postgres database, as an operator would run them.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { SERVER_SECRETS, startCli } from './cli-process.ts';

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Everything it printed, for a failure message. */
  output(): string;
}

export async function startWorkers(count: number, env: Record<string, string>): Promise<WorkerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startWorker(env)));
}

async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = startCli(['worker'], { ...SERVER_SECRETS, LOG_LEVEL: 'warn', ...env });
  let seen = '';
  child.stdout.on('data', (d) => (seen += d));
  child.stderr.on('data', (d) => (seen += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in time:\n${seen}`)), 60_000);
    const onData = () => {
      if (seen.includes('worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`worker exited before it started:\n${seen}`));
    });
  });
  return { child, pid: child.pid as number, output: () => seen };
}

/** SIGTERM and wait for the exit (a worker finishes its jobs first); SIGKILL if it takes too long. */
export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
