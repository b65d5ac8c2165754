// How the CLI ends on failure: one line on stderr that says what is wrong, and an exit code a
// supervisor can act on (sysexits.h: 78 = configuration, 69 = a service is unavailable, 75 = try
// again later).
import { ConfigError } from '../config.ts';
import { DatabaseUnavailableError } from '../db/open.ts';
import { LockWaitTimeoutError } from '../db/work-locks.ts';
import { NotFoundError, UpstreamUnavailableError } from '../domain/errors.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError) return 78;
  // 75 (temporary failure): another run holds the lock; trying again later can succeed.
  if (error instanceof LockWaitTimeoutError) return 75;
  if (error instanceof DatabaseUnavailableError) return 69;
  // An ad platform that could not be reached (or failed): try again later.
  if (error instanceof UpstreamUnavailableError) return 69;
  // A tenant (or other thing) the command line named that does not exist: the usage is wrong.
  if (error instanceof UsageError || error instanceof NotFoundError) return 64;
  return 1;
}

export function failureLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof ConfigError ? 'configuration error: ' : '';
  return `nightshift: ${kind}${message.split('\n')[0]}`;
}

/** Runs a command body; on failure prints one line and sets the exit code. */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    process.stderr.write(`${failureLine(error)}\n`);
    if (process.env.NIGHTSHIFT_DEBUG) console.error(error);
    process.exitCode = exitCodeFor(error);
  }
}
