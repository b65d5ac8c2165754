// SIGINT / SIGTERM for long-running commands: the first asks for a clean shutdown (a signal that
// arrives during start-up waits for start-up to finish, then shuts down like any other); a second
// one exits at once, for an operator who does not want to wait.
import { WorkCancelledError } from '../db/work-locks.ts';
import type { Logger } from '../log.ts';

export interface ShutdownSignal {
  /** Settles at the first signal. */
  readonly received: Promise<NodeJS.Signals>;
  /** Whether it has come already. */
  came(): boolean;
}

export function shutdownSignal(log: Logger): ShutdownSignal {
  let signals = 0;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        process.stderr.write(`nightshift: second ${signal}: exiting without a clean shutdown\n`);
        process.exit(130);
      }
      log.info({ signal }, 'signal received');
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { received, came: () => signals > 0 };
}

/** Runs the clean shutdown and exits 0, or 1 when it failed. */
export async function exitAfter(log: Logger, close: () => Promise<void>): Promise<never> {
  try {
    await close();
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}

/**
 * For a one-shot command: the first SIGINT / SIGTERM aborts the signal (the command's work stops,
 * a server cancels its statement, and it ends as usual); a second one exits at once.
 */
export function abortOnSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new WorkCancelledError(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
