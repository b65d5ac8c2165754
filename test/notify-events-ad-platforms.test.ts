// Notification events of changes carried out by the ad platforms (issue 27), against the local
// servers that speak Meta's Graph API and Google Ads' REST API: a change is told taken when the
// platform confirms it (not when it is queued), failed in the platform's words when refused, a
// rollback the platform refuses is told as a refused rollback, and an account whose token is
// refused is told once, when it turns needs_reconnect. Nothing is told to a tenant nobody
// subscribed for.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import type { NotificationEventType } from '../src/notify/event-types.ts';
import { testAdAccount } from '../src/services/ad-accounts.ts';
import { adWorld, META_TOKEN, useAdServers } from './support/ad-world.ts';
import { outboxEvents, subscribedDestination } from './support/notification-destination.ts';
import { actionsOf, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('notification events of ad platform changes', () => {
  const testDb = useTestDb();
  const servers = useAdServers();
  const { metaLoser, googleLoser, deliver } = adWorld(testDb, servers);

  async function tenant(types: NotificationEventType[], subscribed = true) {
    const t = await createTenant(testDb());
    if (subscribed) await subscribedDestination(testDb(), t.tenantId, { types });
    return t;
  }
  const eventsOf = async (t: TestTenant, type?: NotificationEventType) =>
    (await outboxEvents(testDb(), t.tenantId)).filter((e) => type === undefined || e.type === type);
  const titleOf = async (t: TestTenant, campaignId: string) => {
    const [row] = await testDb().session((s) =>
      s.query<{ title: string }>('SELECT title FROM campaigns WHERE tenant_id = $1 AND id = $2', [
        t.tenantId,
        campaignId,
      ]),
    );
    return row!.title;
  };

  it('a pause is told taken when Meta confirms it, once; its rollback likewise', async () => {
    const t = await tenant(['action.executed', 'action.failed']);
    const { campaignId } = await metaLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    // Queued, waiting for Meta: nothing is told yet.
    expect(await eventsOf(t)).toEqual([]);

    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    const [pause] = await actionsOf(testDb(), t);
    const events = await eventsOf(t);
    expect(events.map((e) => [e.type, e.data.action_id, e.data.action_type, e.data.status])).toEqual([
      ['action.executed', pause!.id, 'auto_pause', 'executed'],
    ]);
    expect(events[0]!.data.campaign).toEqual({ id: campaignId, title: await titleOf(t, campaignId) });
    expect((await deliver(t)).changes).toEqual([]);
    expect(await eventsOf(t)).toHaveLength(1);

    await rollbackAction(testDb(), t.tenantId, pause!.id);
    expect(await eventsOf(t)).toHaveLength(1);
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    const rollback = (await actionsOf(testDb(), t)).find((a) => a.action_type === 'rollback')!;
    expect((await eventsOf(t)).map((e) => [e.type, e.data.action_id, e.data.action_type])).toEqual([
      ['action.executed', pause!.id, 'auto_pause'],
      ['action.executed', rollback.id, 'rollback'],
    ]);
  });

  it('a change Google Ads refuses is told failed, in Google’s words, once', async () => {
    const t = await tenant(['action.executed', 'action.failed']);
    const { account, campaignId, googleId } = await googleLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    // Someone removed the campaign in Google Ads meanwhile.
    servers().google.world.customer(account.customerId).campaigns.get(googleId)!.status = 'REMOVED';
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['failed']);
    const [pause] = await actionsOf(testDb(), t);
    const events = await eventsOf(t);
    expect(events.map((e) => e.type)).toEqual(['action.failed']);
    expect(events[0]!.data).toEqual({
      action_id: pause!.id,
      action_type: 'auto_pause',
      campaign: { id: campaignId, title: await titleOf(t, campaignId) },
      reason: pause!.reason,
      error: expect.stringMatching(/^Google Ads refused the change: .*removed resource/),
    });
    expect((await deliver(t)).changes).toEqual([]);
    expect(await eventsOf(t)).toHaveLength(1);
  });

  it('a rollback Google Ads refuses is told as a refused rollback, naming who asked', async () => {
    const t = await tenant(['action.failed', 'rollback.conflict']);
    const { account, campaignId, googleId } = await googleLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    await deliver(t);
    const [pause] = await actionsOf(testDb(), t);
    const userId = randomUUID();
    await tokenFor(testDb(), t.tenantId, 'admin', userId);
    await rollbackAction(testDb(), t.tenantId, pause!.id, { userId });
    servers().google.world.customer(account.customerId).campaigns.get(googleId)!.status = 'REMOVED';
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['failed']);

    const rollback = (await actionsOf(testDb(), t)).find((a) => a.action_type === 'rollback')!;
    expect(rollback.status).toBe('failed');
    const events = await eventsOf(t);
    expect(events.map((e) => e.type)).toEqual(['rollback.conflict']);
    expect(events[0]!.data).toEqual({
      action_id: pause!.id,
      action_type: 'auto_pause',
      rollback_id: rollback.id,
      campaign: { id: campaignId, title: await titleOf(t, campaignId) },
      expected: { status: 'PAUSED' },
      actual: null,
      reason: expect.stringMatching(/removed resource/),
      error: expect.stringMatching(/removed resource/),
      requested_by: `${userId}@example.com`,
    });
  });

  it('an account whose token is refused is told once, when it turns needs_reconnect', async () => {
    const t = await tenant(['account.needs_reconnect']);
    const { account } = await metaLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    servers().meta.expireToken(META_TOKEN);
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['waiting']);
    const events = await eventsOf(t);
    expect(events.map((e) => e.type)).toEqual(['account.needs_reconnect']);
    expect(events[0]!.data).toEqual({
      account_id: account.id,
      kind: 'ad',
      platform: 'meta',
      name: 'Test account',
      reason: expect.stringMatching(/expired/),
    });
    expect(JSON.stringify(events)).not.toContain(META_TOKEN);

    // Tested again while still refused: no second event.
    const deps = servers().deps;
    expect((await testAdAccount(testDb(), deps, t.tenantId, account.id)).ok).toBe(false);
    expect(await eventsOf(t)).toHaveLength(1);
    // Reconnected, then refused again: a new transition, told again.
    await testDb().session((s) =>
      s.query("UPDATE ad_accounts SET status = 'connected' WHERE tenant_id = $1 AND id = $2", [t.tenantId, account.id]),
    );
    await testAdAccount(testDb(), deps, t.tenantId, account.id);
    expect(await eventsOf(t)).toHaveLength(2);
  });

  it('tells nothing to a tenant whose destinations take none of these events', async () => {
    for (const t of [await tenant([], false), await tenant(['suggestion.pending'])]) {
      const google = await googleLoser(t);
      const meta = await metaLoser(t);
      await runCycle(testDb(), t.tenantId, { now: NOW });
      servers().google.world.customer(google.account.customerId).campaigns.get(google.googleId)!.status = 'REMOVED';
      servers().meta.expireToken(META_TOKEN);
      expect((await deliver(t)).changes.map((c) => c.outcome).sort()).toEqual(['failed', 'waiting']);
      expect(await testAdAccount(testDb(), servers().deps, t.tenantId, meta.account.id)).toMatchObject({ ok: false });
      expect(await eventsOf(t)).toEqual([]);
      servers().meta.resetScripts();
    }
  });
});
