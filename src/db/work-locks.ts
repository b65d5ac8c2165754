// Named locks held across several transactions, such as "the autonomous cycle of tenant T": one
// holder at a time across every process on the database. Whoever waits is told who holds the lock
// and since when, gives up after a bounded wait, and an administrator can cancel a stuck holder.
// The adapters implement them (src/db/locks-postgres.ts, src/db/locks-pglite.ts).
import type { Database } from './port.ts';

export interface LockHolder {
  /** Who holds it, in words: "cycle via cli", "cycle via api". */
  holder: string;
  since: Date;
  /** The server process that holds it; null in the embedded database. */
  pid: number | null;
}

export interface LockRequest {
  /** What the lock guards, in words, for messages: "the autonomous cycle of tenant acme". */
  what: string;
  /** Who asks, in words, as a waiter will be told. */
  holder: string;
  /** Longest to wait for the current holder to finish. */
  waitMs: number;
  /** Told once, before waiting, who holds the lock (undefined when it was released meanwhile). */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Aborting it gives up the wait, or cancels the work. */
  signal?: AbortSignal;
}

export interface WorkLocks {
  /**
   * Runs `work` while holding the lock named `key`. Every transaction of the database handed to
   * `work` runs under the lock and ends with it: a cancelled holder's statement is cancelled.
   */
  run<T>(key: string, request: LockRequest, work: (db: Database) => Promise<T>): Promise<T>;
  /** Who holds `key` now, if anyone. */
  holder(key: string): Promise<LockHolder | undefined>;
  /** Ends the holder's work and releases its lock; false when nobody held it. */
  cancel(key: string): Promise<boolean>;
}

export class LockWaitTimeoutError extends Error {
  override name = 'LockWaitTimeoutError';
  readonly current: LockHolder | undefined;
  constructor(what: string, current: LockHolder | undefined, waitedMs: number) {
    super(
      `${what} is held${current ? ` by ${describeHolder(current)}` : ''}; gave up after waiting ${Math.round(waitedMs / 1000)} s`,
    );
    this.current = current;
  }
}

export class WorkCancelledError extends Error {
  override name = 'WorkCancelledError';
}

export function describeHolder(holder: LockHolder): string {
  const pid = holder.pid === null ? '' : `, server process ${holder.pid}`;
  return `${holder.holder} since ${holder.since.toISOString()}${pid}`;
}

/** Throws the error an aborted signal stands for; nothing when it is absent or not aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The error an aborted signal stands for: its reason when that is an error, else a cancellation. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error && signal.reason.name !== 'AbortError'
    ? signal.reason
    : new WorkCancelledError('the work was cancelled');
}
