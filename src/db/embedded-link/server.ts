// The server's end of the embedded link: PGlite has one owner process, so while `nightshift serve`
// (or `npm start`) runs, a CLI command reaches the embedded database through it. It listens on a
// Unix socket in the data folder, readable by the folder's owner alone: whoever may open the socket
// could open the database files anyway, and nothing reaches it over the network.
//
// A command's transaction is a transaction of the server's database, held open between requests:
// PGlite has one connection, so the server's own work waits for it as it would for an API request's.
// A transaction is rolled back when its command's connection closes (a command killed or crashed)
// or after IDLE_MS without a request, so a vanished command never holds the database.
import { randomUUID } from 'node:crypto';
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Database, SqlSession } from '../port.ts';
import { decode, encode, errorToWire, type LinkRequest, type ServerAbout } from './protocol.ts';

const IDLE_MS = 60_000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;

type Step = { request: Extract<LinkRequest, { tx: string }> } & {
  answer: (result: unknown) => void;
  fail: (error: unknown) => void;
};

interface OpenTransaction {
  steps: Step[];
  wake?: () => void;
  /** The request that ended it: answered once the commit (or rollback) is done. */
  ending?: Step;
  socket: Socket;
  touched: number;
}

interface HeldLock {
  db: Database;
  release: () => void;
  socket: Socket;
}

class RolledBack extends Error {}

export interface EmbeddedLink {
  close(): Promise<void>;
}

export async function startEmbeddedLink(db: Database, socketPath: string, about: ServerAbout): Promise<EmbeddedLink> {
  const transactions = new Map<string, OpenTransaction>();
  const locks = new Map<string, HeldLock>();

  /** Ends a transaction that lost its command: rolled back, the database free again. */
  const abandon = (id: string) => {
    const tx = transactions.get(id);
    if (!tx) return;
    tx.steps.push({
      request: { op: 'end', tx: id, commit: false },
      answer: () => {},
      fail: () => {},
    });
    tx.wake?.();
  };
  const releaseLock = (id: string) => {
    locks.get(id)?.release();
    locks.delete(id);
  };
  const idleSweep = setInterval(() => {
    for (const [id, tx] of transactions) if (Date.now() - tx.touched > IDLE_MS) abandon(id);
  }, 5_000);
  idleSweep.unref();

  const begin = (request: Extract<LinkRequest, { op: 'begin' }>, socket: Socket) =>
    new Promise<{ tx: string }>((answer, fail) => {
      const id = randomUUID();
      const tx: OpenTransaction = { steps: [], socket, touched: Date.now() };
      const over = request.lock === undefined ? db : locks.get(request.lock)?.db;
      if (!over) return fail(new Error('that lock is no longer held'));
      over
        .transaction(
          async (session) => {
            transactions.set(id, tx);
            answer({ tx: id });
            await serveSteps(session, tx);
          },
          {
            ...(request.isolation ? { isolation: request.isolation } : {}),
            ...(request.begin ? { begin: request.begin } : {}),
            ...(request.rollback ? { rollback: true } : {}),
          },
        )
        .then(
          () => tx.ending?.answer({}),
          (error) => {
            if (error instanceof RolledBack) tx.ending?.answer({});
            else if (tx.ending) tx.ending.fail(error);
            else fail(error); // it never began (an answered begin ignores this)
          },
        )
        .finally(() => transactions.delete(id));
    });

  const lock = (request: Extract<LinkRequest, { op: 'lock' }>, socket: Socket) =>
    new Promise<{ lock: string }>((answer, fail) => {
      const id = randomUUID();
      db.locks
        .run(
          request.key,
          { what: request.what, holder: request.holder, waitMs: request.waitMs },
          (locked) =>
            new Promise<void>((release) => {
              locks.set(id, { db: locked, release, socket });
              answer({ lock: id });
            }),
        )
        .catch(fail);
    });

  const handle = async (request: LinkRequest, socket: Socket): Promise<unknown> => {
    switch (request.op) {
      case 'begin':
        return begin(request, socket);
      case 'lock':
        return lock(request, socket);
      case 'unlock':
        releaseLock(request.lock);
        return {};
      case 'holder':
        return { holder: (await db.locks.holder(request.key)) ?? null };
      case 'cancel':
        return { cancelled: await db.locks.cancel(request.key) };
      case 'about':
        return about;
      default: {
        const tx = transactions.get(request.tx);
        if (!tx) throw new Error('that transaction has ended (idle for a minute, or its connection closed)');
        tx.touched = Date.now();
        return new Promise((answer, fail) => {
          tx.steps.push({ request, answer, fail });
          tx.wake?.();
        });
      }
    }
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => handle(decode<LinkRequest>(body), req.socket))
      .then(
        (result) => respond(res, 200, result),
        (error) => respond(res, 200, { error: errorToWire(error) }),
      );
  });
  server.on('connection', (socket) => {
    socket.on('close', () => {
      for (const [id, tx] of transactions) if (tx.socket === socket) abandon(id);
      for (const [id, held] of locks) if (held.socket === socket) releaseLock(id);
    });
  });
  // A command may think between statements of its transaction: its connection stays (the idle
  // sweep above bounds it), and a request waiting for a lock is not cut off.
  server.keepAliveTimeout = IDLE_MS;
  server.requestTimeout = 0;
  // Made under a name nobody knows, closed to everyone but the owner, and only then put where
  // commands look: no other user of the machine can connect in between.
  const unguessable = `${socketPath}.${randomUUID().slice(0, 8)}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(unguessable, () => resolve());
  });
  chmodSync(unguessable, 0o600);
  renameSync(unguessable, socketPath);

  return {
    async close() {
      clearInterval(idleSweep);
      for (const id of transactions.keys()) abandon(id);
      for (const id of [...locks.keys()]) releaseLock(id);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(socketPath, { force: true });
    },
  };
}

/** Runs a transaction's requests as they come, until the one that ends it. */
async function serveSteps(session: SqlSession, tx: OpenTransaction): Promise<void> {
  for (;;) {
    const step = tx.steps.shift();
    if (!step) {
      await new Promise<void>((wake) => {
        tx.wake = wake;
      });
      tx.wake = undefined;
      continue;
    }
    const { request } = step;
    if (request.op === 'end') {
      tx.ending = step;
      if (request.commit) return;
      throw new RolledBack();
    }
    try {
      if (request.op === 'query') step.answer({ rows: await session.query(request.text, request.params) });
      else if (request.op === 'copy')
        step.answer({ count: await session.copyCsv(request.table, request.columns, [request.csv]) });
      else {
        await session.exec(request.text);
        step.answer({});
      }
    } catch (error) {
      step.fail(error);
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`a request larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function respond(res: ServerResponse, status: number, body: unknown) {
  const text = encode(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
