// One cycle per tenant at a time, and never an unbounded wait: a second cycle is told who runs the
// tenant's cycle and since when, and gives up after its bounded wait; an administrator can cancel
// a stuck cycle; a caller that goes away cancels its own. A cancelled cycle writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LockHolder, LockWaitTimeoutError } from '../src/db/work-locks.ts';
import { DEFAULT_RUN_LIMITS } from '../src/domain/run-limits.ts';
import { cycleLockKey, runCycle } from '../src/engine/cycle.ts';
import { actionsOf, campaignState, createTenant, NOW, pauseScaleSuggestWorld } from './support/scenario.ts';
import { apiClient, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { backend, useTestDb } from './support/test-db.ts';

/** A cycle held between its read and its write until `release` is called. */
function heldCycle(db: ReturnType<ReturnType<typeof useTestDb>>, tenantId: string, signal?: AbortSignal) {
  let release = () => {};
  let reached = () => {};
  const atWrite = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const done = runCycle(db, tenantId, {
    now: NOW,
    triggeredBy: 'api',
    signal,
    beforeWrite: async () => {
      reached();
      await gate;
    },
  });
  done.catch(() => {});
  return { atWrite, release, done };
}

describe('the tenant’s cycle lock', () => {
  const db = useTestDb();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db(), { limits: { ...DEFAULT_RUN_LIMITS, lockWaitMs: 300 } });
  });
  afterAll(() => api.close());

  it('a second cycle says who runs the tenant’s cycle and since when, and gives up after its wait', async () => {
    const t = await createTenant(db());
    const { winner } = await pauseScaleSuggestWorld(db(), t);
    const first = heldCycle(db(), t.tenantId);
    await first.atWrite;
    const heldSince = Date.now();

    const told: (LockHolder | undefined)[] = [];
    const second = runCycle(db(), t.tenantId, {
      now: NOW,
      limits: { ...DEFAULT_RUN_LIMITS, lockWaitMs: 300 },
      onLockWait: (holder) => told.push(holder),
    });
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockWaitTimeoutError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^the autonomous cycle of tenant ${t.tenantId} is held by cycle via api since \\S+Z.*; gave up after waiting 0 s$`,
      ),
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.holder).toBe('cycle via api');
    expect(Math.abs(told[0]!.since.getTime() - heldSince)).toBeLessThan(5_000);
    expect(told[0]!.pid === null).toBe(backend === 'pglite');

    // The API answers 409 with the same words, and shows who runs it.
    const admin = apiClient(api, await tokenFor(db(), t.tenantId, 'admin'));
    const refused = await admin.post('/api/cycles');
    expect(refused.status).toBe(409);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body.detail).toContain('is held by cycle via api since');
    const running = await admin.get('/api/cycles/running');
    expect(running.body).toMatchObject({ running: true, holder: 'cycle via api' });
    expect(Date.parse(running.body.since)).toBeGreaterThan(heldSince - 5_000);

    first.release();
    expect((await first.done).actions_taken.campaigns_scaled).toBe(1);
    expect((await admin.get('/api/cycles/running')).body).toEqual({
      running: false,
      holder: null,
      since: null,
      pid: null,
    });
    // Once it is released the next cycle runs, and finds nothing left to do.
    expect((await runCycle(db(), t.tenantId, { now: NOW })).decisions).toEqual([]);
    expect(await campaignState(db(), t, winner)).toMatchObject({ budget: '150.00', version: 2 });
  });

  it('an admin cancels a stuck cycle: it writes nothing and the lock is free at once', async () => {
    const t = await createTenant(db());
    const { loser } = await pauseScaleSuggestWorld(db(), t);
    const stuck = heldCycle(db(), t.tenantId);
    await stuck.atWrite;
    const member = apiClient(api, await tokenFor(db(), t.tenantId, 'member'));
    expect((await member.delete('/api/cycles/running')).status).toBe(403);
    const admin = apiClient(api, await tokenFor(db(), t.tenantId, 'admin'));
    expect((await admin.delete('/api/cycles/running')).body).toEqual({ cancelled: true });
    stuck.release();
    await expect(stuck.done).rejects.toThrow(/cancelled|ended on the server/);
    expect(await db().locks.holder(cycleLockKey(t.tenantId))).toBeUndefined();
    expect(await actionsOf(db(), t)).toEqual([]);
    expect(await campaignState(db(), t, loser)).toMatchObject({ status: 'active', version: 1 });
    expect((await admin.delete('/api/cycles/running')).body).toEqual({ cancelled: false });
    expect((await runCycle(db(), t.tenantId, { now: NOW })).actions_taken.campaigns_paused).toBe(1);
  });

  it('a caller that goes away cancels its cycle, which writes nothing', async () => {
    const t = await createTenant(db());
    await pauseScaleSuggestWorld(db(), t);
    const caller = new AbortController();
    const cycle = heldCycle(db(), t.tenantId, caller.signal);
    await cycle.atWrite;
    caller.abort();
    cycle.release();
    await expect(cycle.done).rejects.toThrow();
    expect(await db().locks.holder(cycleLockKey(t.tenantId))).toBeUndefined();
    expect(await actionsOf(db(), t)).toEqual([]);
  });

  it('a dry run takes no lock: it previews while a cycle runs', async () => {
    const t = await createTenant(db());
    await pauseScaleSuggestWorld(db(), t);
    const held = heldCycle(db(), t.tenantId);
    await held.atWrite;
    const preview = await runCycle(db(), t.tenantId, { now: NOW, dryRun: true });
    expect(preview.decisions).toHaveLength(3);
    held.release();
    await held.done;
  });
});
