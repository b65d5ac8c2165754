// Work locks on a PostgreSQL server: a session-level advisory lock, held on the connection that
// then runs the work, so whatever ends that connection (the process dying, an administrator's
// pg_terminate_backend) ends the work and releases the lock at once.
//
// Who holds a lock, and since when, is written into the holding connection's application_name
// (pg_stat_activity): it lives and dies with the lock itself, so no table can keep a stale holder.
import type pg from 'pg';
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

const LABEL = 'nightshift-lock ';
/** application_name keeps 63 bytes; the holder's words are cut to fit after the time. */
const NAME_BYTES = 63;

const lockId = (key: string) => `nightshift-work:${key}`;

// pg_locks shows a bigint advisory key as two unsigned 32-bit halves (objsubid 1).
const HOLDER_SQL = `
  SELECT a.pid, a.application_name
    FROM (SELECT hashtextextended($1, 0) AS k) key
    JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid::bigint = (key.k >> 32) & 4294967295 AND l.objid::bigint = key.k & 4294967295
    JOIN pg_stat_activity a ON a.pid = l.pid`;

function label(holder: string, since: Date): string {
  // Non-ASCII would be shown as '?' by the server.
  const words = holder.replace(/[^\x20-\x7e]/g, '?');
  return `${LABEL}${since.toISOString()} ${words}`.slice(0, NAME_BYTES);
}

function parseLabel(pid: number, name: string): LockHolder {
  const [since, ...words] = name.startsWith(LABEL) ? name.slice(LABEL.length).split(' ') : [];
  const time = since ? new Date(since) : undefined;
  return time && !Number.isNaN(time.getTime())
    ? { holder: words.join(' '), since: time, pid }
    : // A session that took the lock some other way: say what the server knows.
      { holder: name || 'an unnamed session', since: new Date(Number.NaN), pid };
}

export function postgresLocks(
  pool: pg.Pool,
  connect: () => Promise<pg.PoolClient>,
  databaseOn: (client: pg.PoolClient) => Database,
): WorkLocks {
  const holder = async (key: string) => {
    const { rows } = await pool.query<{ pid: number; application_name: string }>(HOLDER_SQL, [lockId(key)]);
    return rows[0] ? parseLabel(rows[0].pid, rows[0].application_name) : undefined;
  };

  /** Takes the lock on `client`, waiting at most request.waitMs (lock_timeout bounds the wait). */
  const acquire = async (client: pg.PoolClient, key: string, request: LockRequest) => {
    const { rows } = await client.query<{ got: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS got',
      [lockId(key)],
    );
    if (rows[0]!.got) return;
    request.onWait?.(await holder(key));
    if (request.waitMs <= 0) throw new LockWaitTimeoutError(request.what, await holder(key), 0);
    const onAbort = () => void pool.query('SELECT pg_cancel_backend($1)', [processId(client)]).catch(() => {});
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // SET LOCAL ends with the transaction; the session-level lock it took does not.
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.round(request.waitMs))}`);
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockId(key)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (request.signal?.aborted) throw abortError(request.signal);
      if ((error as { code?: string }).code === '55P03') {
        throw new LockWaitTimeoutError(request.what, await holder(key), request.waitMs);
      }
      throw error;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    holder,

    async run(key, request, work) {
      const client = await connect();
      // A terminated connection that is between statements reports on the client, not on a
      // query: without a listener that would end the process.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      try {
        await acquire(client, key, request);
        try {
          await client.query("SELECT set_config('application_name', $1, false)", [label(request.holder, new Date())]);
          return await work(boundedView(databaseOn(client), { signal: request.signal }));
        } catch (error) {
          if (lost) throw new WorkCancelledError(`the work was ended on the server: ${lost.message}`);
          throw error;
        } finally {
          await client
            .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockId(key)])
            .then(() => client.query('RESET application_name'))
            .catch((error: Error) => {
              lost ??= error;
            });
        }
      } finally {
        client.off('error', onError);
        client.release(lost !== undefined);
      }
    },

    async cancel(key) {
      const current = await holder(key);
      if (!current?.pid) return false;
      const { rows } = await pool.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [current.pid]);
      return rows[0]?.done ?? false;
    },
  };
}

function processId(client: pg.PoolClient): number {
  return (client as unknown as { processID: number }).processID;
}
