// A view of a database whose every session and transaction ends when `signal` aborts: no further
// statement starts, and a server cancels the one running (TransactionOptions.signal).
import type { Database, SqlSession } from './port.ts';
import { abortError } from './work-locks.ts';

function checkedSession(s: SqlSession, signal: AbortSignal): SqlSession {
  const check = () => {
    if (signal.aborted) throw abortError(signal);
  };
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

export function signalled(db: Database, signal: AbortSignal): Database {
  const either = (other: AbortSignal | undefined) => (other ? AbortSignal.any([signal, other]) : signal);
  return {
    kind: db.kind,
    get kysely() {
      return db.kysely;
    },
    get jobStore() {
      return db.jobStore;
    },
    session: (work) => db.session((s) => work(checkedSession(s, signal))),
    // The adapters honour a transaction's signal themselves (and a server cancels its statement).
    transaction: (work, options = {}) => db.transaction(work, { ...options, signal: either(options.signal) }),
    locks: db.locks,
    // A view: the database itself stays open.
    close: () => Promise.resolve(),
  };
}
