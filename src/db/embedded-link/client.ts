// A command's end of the embedded link (./server.ts): a Database whose transactions and locks are
// the running server's, one request per statement over the data folder's Unix socket. Its kind is
// 'pglite': the statements run on the server's PGlite, with its behaviour.
import { Agent, request } from 'node:http';
import type { Database, SqlSession, TransactionOptions } from '../port.ts';
import { throwIfAborted, type WorkLocks } from '../work-locks.ts';
import { decode, encode, errorFromWire, type LinkError, type LinkRequest, type ServerAbout } from './protocol.ts';

/** One statement may take long (a demo's batch, a loop's read); a lock may be waited for. */
const REQUEST_TIMEOUT_MS = 15 * 60_000;
/** COPY data is sent in parts of about this size (each its own COPY, in the same transaction). */
const COPY_PART_CHARS = 4 * 1024 * 1024;

/** Asks the running server where it serves (for a sign-in link), over one short-lived connection. */
export async function aboutRunningServer(socketPath: string): Promise<ServerAbout> {
  const agent = new Agent();
  try {
    return await callOver(agent, socketPath, { op: 'about' }, 10_000);
  } finally {
    agent.destroy();
  }
}

function callOver<T>(agent: Agent, socketPath: string, body: LinkRequest, timeoutMs = REQUEST_TIMEOUT_MS) {
  return new Promise<T>((resolve, reject) => {
    const payload = encode(body);
    const req = request(
      {
        socketPath,
        agent,
        path: '/',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = decode<T & { error?: LinkError }>(Buffer.concat(chunks).toString('utf8'));
          if (answer.error) reject(errorFromWire(answer.error));
          else resolve(answer);
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the running server did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function connectEmbeddedLink(socketPath: string): Database {
  // One connection for the command: the server rolls back what a closed connection left open.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = <T>(body: LinkRequest, timeoutMs?: number) => callOver<T>(agent, socketPath, body, timeoutMs);

  const sessionOf = (tx: string, signal?: AbortSignal): SqlSession => ({
    async query<Row>(text: string, params: readonly unknown[] = []) {
      throwIfAborted(signal);
      return (await call<{ rows: Row[] }>({ op: 'query', tx, text, params: [...params] })).rows;
    },
    async exec(text: string) {
      throwIfAborted(signal);
      await call({ op: 'exec', tx, text });
    },
    async copyCsv(table, columns, csvChunks) {
      throwIfAborted(signal);
      let count = 0;
      let part = '';
      const send = async () => {
        if (part === '') return;
        count += (await call<{ count: number }>({ op: 'copy', tx, table, columns: [...columns], csv: part })).count;
        part = '';
      };
      for await (const chunk of csvChunks) {
        part += chunk;
        if (part.length >= COPY_PART_CHARS) await send();
      }
      await send();
      return count;
    },
  });

  const transactionOver =
    (lock?: string) =>
    async <T>(work: (session: SqlSession) => Promise<T>, options: TransactionOptions = {}): Promise<T> => {
      throwIfAborted(options.signal);
      const { tx } = await call<{ tx: string }>({
        op: 'begin',
        ...(lock ? { lock } : {}),
        ...(options.isolation ? { isolation: options.isolation } : {}),
        ...(options.begin ? { begin: options.begin } : {}),
        ...(options.rollback ? { rollback: true } : {}),
      });
      let result: T;
      try {
        result = await work(sessionOf(tx, options.signal));
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => {});
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    };

  const databaseOver = (lock?: string): Database => {
    const transaction = transactionOver(lock);
    return {
      kind: 'pglite',
      session: (work) => transaction(work),
      transaction,
      locks,
      close: async () => agent.destroy(),
    };
  };

  const locks: WorkLocks = {
    async run(key, lockRequest, work) {
      throwIfAborted(lockRequest.signal);
      // The server waits for the lock; who holds it is told here first, as in the server's process.
      const { holder } = await call<{ holder: Awaited<ReturnType<WorkLocks['holder']>> | null }>({ op: 'holder', key });
      if (holder) lockRequest.onWait?.(holder);
      const { lock } = await call<{ lock: string }>(
        { op: 'lock', key, what: lockRequest.what, holder: lockRequest.holder, waitMs: lockRequest.waitMs },
        lockRequest.waitMs + REQUEST_TIMEOUT_MS,
      );
      try {
        return await work(databaseOver(lock));
      } finally {
        await call({ op: 'unlock', lock }).catch(() => {});
      }
    },
    holder: async (key) =>
      (await call<{ holder: Awaited<ReturnType<WorkLocks['holder']>> | null }>({ op: 'holder', key })).holder ??
      undefined,
    cancel: async (key) => (await call<{ cancelled: boolean }>({ op: 'cancel', key })).cancelled,
  };

  return databaseOver();
}
