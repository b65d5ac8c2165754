// Runs the real `nightshift` CLI as a child process, as an operator would.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

export const SERVER_SECRETS = {
  NIGHTSHIFT_JWT_SECRET: 'test-jwt-secret-'.padEnd(40, 'x'),
  NIGHTSHIFT_INTERNAL_SECRET: 'test-internal-secret-'.padEnd(40, 'x'),
  NIGHTSHIFT_ENCRYPTION_KEY: 'cd'.repeat(32),
};

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  // The parent's database settings must not leak into a child that is meant to choose its own.
  for (const name of ['DATABASE_URL', 'NIGHTSHIFT_DATA_DIR', 'PORT', 'HOST']) delete base[name];
  return { ...base, LOG_LEVEL: 'info', ...env };
}

export function startCli(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env) });
}

export function runCli(args: string[], env: Record<string, string>): Promise<Finished> {
  const child = startCli(args, env);
  return finished(child);
}

export function finished(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Starts `nightshift serve` and resolves with its URL once it prints the banner. */
export async function startServe(env: Record<string, string>, args: string[] = []) {
  const child = startCli(['serve', ...args], { PORT: '0', ...env });
  const exit = finished(child);
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in time:\n${seen}`)), 60_000);
    child.stdout.on('data', (d) => {
      seen += d;
      const match = /Dashboard: (http:\/\/\S+?)\/?\n/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`serve exited before listening:\n${seen}`));
    });
  });
  /** Everything it printed so far (the banner: URL, then the embedded product's admin token). */
  const output = () => seen;
  return { child, url, exit, output };
}
