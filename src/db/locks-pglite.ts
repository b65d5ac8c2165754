// Work locks in the embedded database: one process owns its data folder (data-dir-lock.ts), so a
// lock is a promise in this process. The work's transactions still take PGlite's connection one
// at a time, so API requests run between them (a cycle holds the lock, not the database).
// Cancelling aborts the holder's signal: PGlite cannot interrupt a running statement, so the work
// stops at its next one.
import { setTimeout as sleep } from 'node:timers/promises';
import { boundedView } from './bounded-view.ts';
import type { Database } from './port.ts';
import {
  abortError,
  type LockHolder,
  type LockRequest,
  LockWaitTimeoutError,
  WorkCancelledError,
  type WorkLocks,
} from './work-locks.ts';

interface Held {
  holder: LockHolder;
  controller: AbortController;
  released: Promise<void>;
}

export function pgliteLocks(database: () => Database): WorkLocks {
  const held = new Map<string, Held>();

  /** Waits until nobody holds `key`, at most request.waitMs. */
  const waitFor = async (key: string, request: LockRequest) => {
    const started = Date.now();
    let told = false;
    for (let current = held.get(key); current; current = held.get(key)) {
      if (!told) request.onWait?.(current.holder);
      told = true;
      const left = request.waitMs - (Date.now() - started);
      if (left <= 0) throw new LockWaitTimeoutError(request.what, current.holder, request.waitMs);
      const timer = new AbortController();
      const signal = request.signal ? AbortSignal.any([request.signal, timer.signal]) : timer.signal;
      await Promise.race([current.released, sleep(left, undefined, { signal }).catch(() => {})]);
      timer.abort();
      if (request.signal?.aborted) throw abortError(request.signal);
    }
  };

  return {
    async holder(key) {
      return held.get(key)?.holder;
    },

    async run(key, request, work) {
      await waitFor(key, request);
      const controller = new AbortController();
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      held.set(key, { holder: { holder: request.holder, since: new Date(), pid: null }, controller, released });
      const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
      try {
        return await work(boundedView(database(), { signal }));
      } finally {
        held.delete(key);
        release();
      }
    },

    async cancel(key) {
      const current = held.get(key);
      if (!current) return false;
      current.controller.abort(new WorkCancelledError(`${key} was cancelled by an administrator`));
      return true;
    },
  };
}
