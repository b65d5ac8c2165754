// The embedded link (src/db/embedded-link): a command's Database through the server that holds
// the embedded database. What commands rely on: values come back as the database gives them,
// errors keep their Postgres fields, transactions commit or roll back as asked, a command that
// dies mid-transaction never holds the server's database, and locks are the server's.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEmbeddedLink } from '../src/db/embedded-link/client.ts';
import { type EmbeddedLink, startEmbeddedLink } from '../src/db/embedded-link/server.ts';
import { openPglite } from '../src/db/pglite.ts';
import type { Database, SystemDatabase } from '../src/db/port.ts';
import { LockWaitTimeoutError, WorkCancelledError } from '../src/db/work-locks.ts';

const dir = mkdtempSync(join(tmpdir(), 'nightshift-link-'));
const socket = join(dir, 'embedded.sock');
let db: SystemDatabase;
let link: EmbeddedLink;
let remote: Database;

beforeAll(async () => {
  db = await openPglite();
  await db.session((s) =>
    s.exec(`CREATE TABLE things (
      id int PRIMARY KEY, at timestamptz, day date, bytes bytea, doc jsonb, amount numeric(14,2),
      big int8, tags text[])`),
  );
  link = await startEmbeddedLink(db, socket, { url: 'http://127.0.0.1:1', pid: process.pid });
  remote = connectEmbeddedLink(socket);
});

afterAll(async () => {
  await remote?.close();
  await link?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (on: Database) =>
  on.session(async (s) => (await s.query<{ n: number }>('SELECT count(*)::int AS n FROM things'))[0]!.n);

describe('the embedded link', () => {
  it('listens on a socket only its owner may open, and nothing else is left in the folder', () => {
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['embedded.sock']);
  });

  it('gives values back as the database does: dates, days, bytes, JSON, money, counters, arrays', async () => {
    const at = new Date('2026-03-08T06:30:00.123Z');
    await remote.transaction((s) =>
      s.query('INSERT INTO things VALUES (1, $1, $2, $3, $4, $5, $6, $7)', [
        at,
        '2026-03-08',
        new Uint8Array([0, 1, 254, 255]),
        { a: [1, 'b'], $x: null },
        '12.30',
        9007199254740991,
        ['x', 'y'],
      ]),
    );
    const select = 'SELECT * FROM things WHERE id = 1';
    const [through] = await remote.session((s) => s.query<Record<string, unknown>>(select));
    const [direct] = await db.session((s) => s.query<Record<string, unknown>>(select));
    expect(through).toEqual(direct);
    expect(through!.at).toBeInstanceOf(Date);
    expect((through!.at as Date).getTime()).toBe(at.getTime());
    expect(through!.bytes).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(through!.amount).toBe('12.30');
    expect(through!.day).toBe('2026-03-08');
  });

  it("keeps a Postgres error's code and constraint, and rolls the transaction back", async () => {
    const before = await count(db);
    const failed = await remote
      .transaction(async (s) => {
        await s.query('INSERT INTO things (id) VALUES (2)');
        await s.query('INSERT INTO things (id) VALUES (1)');
      })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: '23505', constraint: 'things_pkey' });
    expect(await count(db)).toBe(before);
  });

  it('rolls back when the work throws, and when asked to; commits otherwise', async () => {
    const before = await count(db);
    await expect(
      remote.transaction(async (s) => {
        await s.query('INSERT INTO things (id) VALUES (3)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await remote.transaction((s) => s.query('INSERT INTO things (id) VALUES (4)'), { rollback: true });
    expect(await count(db)).toBe(before);
    await remote.transaction((s) => s.query('INSERT INTO things (id) VALUES (5)'));
    expect(await count(db)).toBe(before + 1);
  });

  it('copies CSV in parts', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${100 + i},"{""n"": ${i}}"\n`);
    const copied = await remote.transaction((s) => s.copyCsv('things', ['id', 'doc'], rows));
    expect(copied).toBe(3000);
    const [row] = await db.session((s) => s.query<{ doc: unknown }>('SELECT doc FROM things WHERE id = 2099'));
    expect(row!.doc).toEqual({ n: 1999 });
  });

  it('rolls back what a killed command left open, and the server goes on at once', async () => {
    const before = await count(db);
    const clientModule = join(import.meta.dirname, '..', 'src', 'db', 'embedded-link', 'client.ts');
    const script = `
      const { connectEmbeddedLink } = await import(${JSON.stringify(clientModule)});
      const db = connectEmbeddedLink(${JSON.stringify(socket)});
      await db.transaction(async (s) => {
        await s.query('INSERT INTO things (id) VALUES (6)');
        process.stdout.write('inside\\n');
        await new Promise(() => {});
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('inside') && resolve());
      child.on('exit', (code) => reject(new Error(`the command ended (${code}) before its transaction`)));
    });
    child.kill('SIGKILL');
    const started = Date.now();
    expect(await count(db)).toBe(before);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("uses the server's locks: a holder on either side is seen from the other, and a wait gives up", async () => {
    const request = { what: 'the test lock', holder: 'test via api', waitMs: 100 };
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = db.locks.run('test-lock', request, () => held);
    await expect.poll(() => remote.locks.holder('test-lock')).toMatchObject({ holder: 'test via api' });
    const waited = await remote.locks
      .run('test-lock', { ...request, holder: 'test via cli' }, async () => 'ran')
      .catch((error: unknown) => error);
    expect(waited).toBeInstanceOf(LockWaitTimeoutError);
    expect((waited as LockWaitTimeoutError).current?.since).toBeInstanceOf(Date);
    release();
    await holding;

    const outcome = remote.locks.run('test-lock', { ...request, holder: 'test via cli' }, async (locked) => {
      expect((await db.locks.holder('test-lock'))?.holder).toBe('test via cli');
      await db.locks.cancel('test-lock');
      return locked.transaction((s) => s.query('SELECT 1'));
    });
    await expect(outcome).rejects.toBeInstanceOf(WorkCancelledError);
    expect(await db.locks.holder('test-lock')).toBeUndefined();
  });
});
