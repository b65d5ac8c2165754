// A view of a database whose every transaction carries the same bounds and abort signal (long
// runs: the cycle under its lock, the CMO loop). When the signal aborts, no further statement
// starts, and a server cancels the one running (TransactionOptions.signal).
import type { Database, SqlSession, WorkBounds } from './port.ts';
import { throwIfAborted } from './work-locks.ts';

export interface ViewOptions {
  /** Applied to every transaction that names none of its own. */
  bounds?: WorkBounds;
  signal?: AbortSignal;
}

function checkedSession(s: SqlSession, signal: AbortSignal): SqlSession {
  const check = () => throwIfAborted(signal);
  return {
    query: (text, params, options) => {
      check();
      return s.query(text, params, options);
    },
    exec: (text) => {
      check();
      return s.exec(text);
    },
    copyCsv: (table, columns, chunks) => {
      check();
      return s.copyCsv(table, columns, chunks);
    },
  };
}

export function boundedView(db: Database, view: ViewOptions): Database {
  const { signal } = view;
  const either = (other: AbortSignal | undefined) =>
    signal && other ? AbortSignal.any([signal, other]) : (signal ?? other);
  return {
    kind: db.kind,
    session: (work) => db.session((s) => work(signal ? checkedSession(s, signal) : s)),
    // The adapters honour a transaction's signal themselves (and a server cancels its statement).
    transaction: (work, options = {}) =>
      db.transaction(work, { ...options, bounds: options.bounds ?? view.bounds, signal: either(options.signal) }),
    locks: db.locks,
    // A view: the database itself stays open.
    close: () => Promise.resolve(),
  };
}
