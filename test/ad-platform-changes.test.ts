// Decisions out to the ad platforms (issue 24, points 4, 5 and 7), against local servers that speak
// Meta's Graph API and Google Ads' REST API: a change of a linked campaign is written to the outbox
// with its ledger row, the campaign stays as it is until the platform confirms, and the delivery
// worker sends it, retries it, holds it back for the platforms' limits, fails it in the platform's
// words, and after a crash reads the platform back rather than sending a change twice.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import type { MetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { metaClientFor } from '../src/ads/clients.ts';
import type { AdPlatformEndpoints } from '../src/ads/endpoints.ts';
import { claimDueChanges } from '../src/db/repositories/platform-changes.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { findTask } from '../src/jobs/tasks.ts';
import { approveAction } from '../src/ledger/decide.ts';
import { ActionConflictError } from '../src/ledger/errors.ts';
import { executeActions } from '../src/ledger/execute.ts';
import { confirmChanges } from '../src/ledger/platform-outcomes.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import { checkPlatformChanges } from '../src/services/platform-change-check.ts';
import { deliverDueChanges } from '../src/services/platform-changes.ts';
import { adWorld, META_TOKEN, useAdServers } from './support/ad-world.ts';
import {
  actionsOf,
  addStats,
  campaignState,
  createCampaign,
  createTenant,
  NOW,
  steadyDays,
  type TestTenant,
} from './support/scenario.ts';
import { testTaskDeps } from './support/task-deps.ts';
import { useTestDb } from './support/test-db.ts';

const HOUR_MS = 3_600_000;

describe('decisions out to the ad platforms', () => {
  const testDb = useTestDb();
  const servers = useAdServers();
  const {
    metaAccount,
    googleAccount,
    link,
    linkedMetaCampaign,
    metaLoser,
    winner,
    deliver,
    deliveryOptions,
    outboxOf,
  } = adWorld(testDb, servers);
  let meta: MetaGraphServer;
  let google: GoogleAdsServer;
  let endpoints: AdPlatformEndpoints;
  beforeAll(() => {
    ({ meta, google, endpoints } = servers());
  });

  const actionRow = async (t: TestTenant, id: string) => {
    const [row] = await testDb().session((s) =>
      s.query<{ status: string; error: string | null; executed_at: Date | null }>(
        'SELECT status, error, executed_at FROM autonomous_actions WHERE tenant_id = $1 AND id = $2',
        [t.tenantId, id],
      ),
    );
    return row!;
  };

  const posts = () => meta.calls.filter((c) => c.method === 'POST');

  it('a cycle’s pause of a linked Meta campaign reaches Meta first, and is executed only once Meta confirms; its rollback resumes it there', async () => {
    const t = await createTenant(testDb());
    const { campaignId, objectId } = await metaLoser(t);
    const before = await campaignState(testDb(), t, campaignId);

    const cycle = await runCycle(testDb(), t.tenantId, { now: NOW });
    // Sent, not done: nothing reports the pause before Meta confirms it.
    expect(cycle.actions_taken.campaigns_paused).toBe(0);
    expect(cycle.sent_to_ad_platforms).toBe(1);
    expect(cycle.decisions).toMatchObject([{ action_type: 'auto_pause', mode: 'execute', awaiting_platform: true }]);
    const [pause] = await actionsOf(testDb(), t);
    expect(pause).toMatchObject({ action_type: 'auto_pause', status: 'applying' });
    // Nothing changed yet, here or on Meta: the change waits in the outbox, written with the row.
    expect(await campaignState(testDb(), t, campaignId)).toEqual(before);
    expect(meta.object(objectId)!.status).toBe('ACTIVE');
    expect(await outboxOf(t)).toMatchObject([
      { action_id: pause!.id, field: 'status', from_value: 'ACTIVE', to_value: 'PAUSED', status: 'queued' },
    ]);

    // The next cycle does not decide again on a campaign whose change is on its way.
    await runCycle(testDb(), t.tenantId, { now: new Date(NOW.getTime() + HOUR_MS) });
    expect(await actionsOf(testDb(), t)).toHaveLength(1);

    const report = await deliver(t);
    expect(report.changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(posts().map((c) => [c.path, c.body.status])).toEqual([[`/v21.0/${objectId}`, 'PAUSED']]);
    expect(meta.object(objectId)!.status).toBe('PAUSED');
    expect(await actionRow(t, pause!.id)).toMatchObject({ status: 'executed', error: null });
    expect(await campaignState(testDb(), t, campaignId)).toEqual({
      ...before,
      status: 'paused',
      version: before.version + 1,
    });
    // Delivered once: another run finds nothing to do.
    expect((await deliver(t)).changes).toEqual([]);

    // A person rolls it back: the pause stays executed until Meta has resumed the campaign.
    expect(await rollbackAction(testDb(), t.tenantId, pause!.id)).toEqual({
      action_id: pause!.id,
      status: 'applying',
      unchanged: false,
    });
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('paused');
    const ledger = await actionsOf(testDb(), t);
    expect(ledger.map((a) => [a.action_type, a.status])).toEqual([
      ['auto_pause', 'executed'],
      ['rollback', 'applying'],
    ]);
    // A second rollback while the first is on its way is refused.
    await expect(rollbackAction(testDb(), t.tenantId, pause!.id)).rejects.toBeInstanceOf(ActionConflictError);

    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(meta.object(objectId)!.status).toBe('ACTIVE');
    expect((await actionsOf(testDb(), t)).map((a) => [a.action_type, a.status])).toEqual([
      ['auto_pause', 'rolled_back'],
      ['rollback', 'executed'],
    ]);
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('active');
    expect((await outboxOf(t)).map((r) => [r.from_value, r.to_value, r.status, r.undoes_action_id])).toEqual([
      ['ACTIVE', 'PAUSED', 'confirmed', null],
      ['PAUSED', 'ACTIVE', 'confirmed', pause!.id],
    ]);
  });

  it('scales a Meta ad set’s budget and a Google Ads budget to the exact minor unit and micro', async () => {
    const t = await createTenant(testDb());
    const metaAcc = await metaAccount(t);
    const googleAcc = await googleAccount(t);
    const onMeta = await winner(t);
    const onGoogle = await winner(t);
    const parent = meta.addCampaign(metaAcc.externalId, { status: 'ACTIVE' });
    const adSet = meta.addAdSet(metaAcc.externalId, parent.id, { status: 'ACTIVE', dailyBudget: '10000' });
    await link(t, onMeta, metaAcc.id, { kind: 'meta_adset', externalId: adSet.id, status: 'ACTIVE', budget: 10000n });
    const gCampaign = google.world.addCampaign(googleAcc.customerId, { status: 'ENABLED', budgetMicros: 100_000_000n });
    await link(t, onGoogle, googleAcc.id, {
      kind: 'google_campaign',
      externalId: gCampaign.id,
      budgetId: gCampaign.budgetId,
      status: 'ENABLED',
      budget: 100_000_000n,
    });

    const cycle = await runCycle(testDb(), t.tenantId, { now: NOW });
    expect(cycle.actions_taken.campaigns_scaled).toBe(0);
    expect(cycle.sent_to_ad_platforms).toBe(2);
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['applying', 'applying']);
    expect((await outboxOf(t)).map((r) => [r.field, r.from_value, r.to_value]).sort()).toEqual([
      ['budget', '10000', '15000'],
      ['budget', '100000000', '150000000'],
    ]);
    expect((await campaignState(testDb(), t, onMeta)).budget).toBe('100.00');

    const report = await deliver(t);
    expect(report.changes.map((c) => c.outcome)).toEqual(['confirmed', 'confirmed']);
    expect(meta.object(adSet.id)!.dailyBudget).toBe('15000');
    expect(google.world.customer(googleAcc.customerId).budgets.get(gCampaign.budgetId)!.amountMicros).toBe(
      150_000_000n,
    );
    const [mutate] = google.callsOf('campaignBudgets:mutate');
    expect(mutate!.body).toMatchObject({
      partialFailure: true,
      operations: [{ update: { amountMicros: '150000000' } }],
    });
    expect((await campaignState(testDb(), t, onMeta)).budget).toBe('150.00');
    expect((await campaignState(testDb(), t, onGoogle)).budget).toBe('150.00');
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['executed', 'executed']);
  });

  it('an approved suggestion on a linked Google Ads campaign goes out through the outbox', async () => {
    const t = await createTenant(testDb());
    const account = await googleAccount(t);
    const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72, autopilot: false });
    await addStats(testDb(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    const g = google.world.addCampaign(account.customerId, { status: 'ENABLED', budgetMicros: 200_000_000n });
    await link(t, campaignId, account.id, {
      kind: 'google_campaign',
      externalId: g.id,
      budgetId: g.budgetId,
      status: 'ENABLED',
      budget: 200_000_000n,
    });
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const [suggestion] = await actionsOf(testDb(), t);
    expect(suggestion).toMatchObject({ action_type: 'auto_pause', status: 'pending' });

    expect(await approveAction(testDb(), t.tenantId, suggestion!.id)).toEqual({
      action_id: suggestion!.id,
      status: 'applying',
      unchanged: false,
    });
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('active');
    expect(await outboxOf(t)).toMatchObject([{ field: 'status', from_value: 'ENABLED', to_value: 'PAUSED' }]);

    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(google.world.customer(account.customerId).campaigns.get(g.id)!.status).toBe('PAUSED');
    expect((await actionRow(t, suggestion!.id)).status).toBe('executed');
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('paused');
  });

  it('a rate limit is retried later with backoff, and high usage holds calls back before the limit', async () => {
    const t = await createTenant(testDb());
    const first = await metaLoser(t);
    const second = await metaLoser(t, first.account);
    const objectOf = new Map([
      [first.campaignId, first.objectId],
      [second.campaignId, second.objectId],
    ]);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    expect((await outboxOf(t)).map((r) => r.status)).toEqual(['queued', 'queued']);

    const at = new Date();
    meta.rateLimitNext({ code: 80004, regainMinutes: 7 });
    const limited = await deliver(t, at);
    // The first is refused; the second is not even tried: the account is held back.
    expect(limited.changes.map((c) => c.outcome)).toEqual(['retry_scheduled', 'waiting']);
    expect(limited.changes[0]!.retryAt!.getTime()).toBeGreaterThanOrEqual(at.getTime() + 7 * 60_000);
    expect(limited.changes[1]!.reason).toMatch(/rate limited/);
    expect(posts()).toHaveLength(1);
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['applying', 'applying']);
    expect((await outboxOf(t)).map((r) => [r.status, r.attempts]).sort()).toEqual([
      ['queued', 0],
      ['queued', 1],
    ]);
    expect((await deliver(t, new Date(at.getTime() + 60_000))).changes).toEqual([]);

    // Later: Meta answers, but at 95% of the limit, so the other waits before the limit is reached.
    meta.resetScripts();
    meta.setUsage({ callCount: 95 });
    const later = await deliver(t, new Date(at.getTime() + 8 * 60_000));
    expect(later.changes.map((c) => c.outcome)).toEqual(['confirmed', 'waiting']);
    expect(later.changes[1]!.reason).toMatch(/95% of its rate limit/);
    const [done, held] = later.changes.map((c) => objectOf.get(c.campaignId)!);
    expect(meta.object(done!)!.status).toBe('PAUSED');
    expect(meta.object(held!)!.status).toBe('ACTIVE');
    // The one sent before was read back first (its earlier answer might have been lost).
    expect(meta.calls.filter((c) => c.method === 'GET')).toHaveLength(
      later.changes[0]!.campaignId === limited.changes[0]!.campaignId ? 1 : 0,
    );
    meta.setUsage(null);
    const last = await deliver(t, new Date(at.getTime() + 14 * 60_000));
    expect(last.changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(meta.object(held!)!.status).toBe('PAUSED');
  });

  it('never sends a fifth budget change to one Meta ad set within an hour', async () => {
    const t = await createTenant(testDb());
    const account = await metaAccount(t);
    const campaignId = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 96 });
    const parent = meta.addCampaign(account.externalId, { status: 'ACTIVE' });
    const adSet = meta.addAdSet(account.externalId, parent.id, { status: 'ACTIVE', dailyBudget: '10000' });
    await link(t, campaignId, account.id, {
      kind: 'meta_adset',
      externalId: adSet.id,
      status: 'ACTIVE',
      budget: 10000n,
    });
    const t0 = new Date();
    const scale = (from: number, at: Date) =>
      testDb().transaction((s) =>
        executeActions(s, t.tenantId, { at }, [
          {
            campaignId,
            actionType: 'auto_scale_up',
            reason: 'test',
            previousState: { status: 'active', budget: from },
            newState: { status: 'active', budget: from + 10 },
            status: 'executed',
          },
        ]),
      );
    for (let i = 0; i < 4; i++) {
      const at = new Date(t0.getTime() + i * 60_000);
      await scale(100 + i * 10, at);
      expect((await deliver(t, at)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    }
    expect(meta.object(adSet.id)!.dailyBudget).toBe('14000');
    const fifthAt = new Date(t0.getTime() + 10 * 60_000);
    await scale(140, fifthAt);
    const held = await deliver(t, fifthAt);
    expect(held.changes.map((c) => c.outcome)).toEqual(['waiting']);
    expect(held.changes[0]!.reason).toMatch(/Meta allows 4 budget changes per ad set per hour/);
    expect(held.changes[0]!.retryAt).toEqual(new Date(t0.getTime() + HOUR_MS));
    expect(meta.object(adSet.id)!.dailyBudget).toBe('14000');
    const fifth = (await actionsOf(testDb(), t)).at(-1)!;
    expect(await actionRow(t, fifth.id)).toMatchObject({ status: 'applying' });
    expect((await actionRow(t, fifth.id)).error).toMatch(/per ad set per hour/);
    expect((await deliver(t, new Date(t0.getTime() + 30 * 60_000))).changes).toEqual([]);

    const after = await deliver(t, new Date(t0.getTime() + HOUR_MS + 1000));
    expect(after.changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(meta.object(adSet.id)!.dailyBudget).toBe('15000');
    expect((await campaignState(testDb(), t, campaignId)).budget).toBe('150.00');
  });

  it('a drain goes claim after claim, and a rate limit met in one claim holds the account in the next without a call', async () => {
    const t = await createTenant(testDb());
    const first = await metaLoser(t);
    await metaLoser(t, first.account);
    await metaLoser(t, first.account);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    expect(await outboxOf(t)).toHaveLength(3);

    const at = new Date();
    const drain = (when: Date) => deliverDueChanges(testDb(), deliveryOptions(t, when, { limit: 1 }));
    meta.rateLimitNext({ code: 80004, regainMinutes: 7 });
    const limited = await drain(at);
    // One row a claim, then a claim that comes back empty.
    expect(limited).toMatchObject({ claims: 4, outcomes: { retry_scheduled: 1, waiting: 2 } });
    expect(limited.unfinished.map((c) => c.outcome)).toEqual(['retry_scheduled', 'waiting', 'waiting']);
    expect(limited.unfinished[2]!.reason).toMatch(/rate limited/);
    expect(posts()).toHaveLength(1);

    // Once the hold is over, everything goes out in one drain; the refused one is read back first.
    const later = await drain(new Date(at.getTime() + 8 * 60_000));
    expect(later).toMatchObject({ claims: 4, outcomes: { confirmed: 3 }, unfinished: [] });
    expect(posts()).toHaveLength(4);
    expect(meta.calls.filter((c) => c.method === 'GET')).toHaveLength(1);
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['executed', 'executed', 'executed']);
  });

  it('an action that moves status and budget is executed once both are confirmed, in one claim or across two', async () => {
    const t = await createTenant(testDb());
    const account = await metaAccount(t);
    const linked = [await linkedMetaCampaign(t, account, 100), await linkedMetaCampaign(t, account, 100)];
    await testDb().transaction((s) =>
      executeActions(
        s,
        t.tenantId,
        { at: new Date() },
        linked.map(({ campaignId }) => ({
          campaignId,
          actionType: 'auto_pause' as const,
          reason: 'test',
          previousState: { status: 'active', budget: 100 },
          newState: { status: 'paused', budget: 80 },
          status: 'executed' as const,
        })),
      ),
    );
    expect(await outboxOf(t)).toHaveLength(4);
    const [one] = linked;
    const versionBefore = (await campaignState(testDb(), t, one!.campaignId)).version;
    const linkOf = async (campaignId: string) => {
      const [row] = await testDb().session((s) =>
        s.query<{ platform_status: string; platform_daily_budget: string }>(
          `SELECT platform_status, platform_daily_budget::text AS platform_daily_budget FROM campaign_platform_links
            WHERE tenant_id = $1 AND campaign_id = $2`,
          [t.tenantId, campaignId],
        ),
      );
      return row;
    };
    const actionOf = async (campaignId: string) =>
      (await actionsOf(testDb(), t)).find((a) => a.campaign_id === campaignId)!;

    // The first campaign's status row alone (a claim of one): the action waits for its budget row.
    const oneAction = (await actionOf(one!.campaignId)).id;
    const statusRow = (await outboxOf(t)).find((r) => r.action_id === oneAction && r.field === 'status')!;
    await testDb().session((s) =>
      s.query(
        "UPDATE platform_changes SET next_attempt_at = now() + interval '1 hour' WHERE tenant_id = $1 AND id <> ALL($2::uuid[])",
        [t.tenantId, [statusRow.id]],
      ),
    );
    expect((await deliver(t, new Date(), { limit: 1 })).changes.map((c) => [c.campaignId, c.field, c.outcome])).toEqual(
      [[one!.campaignId, 'status', 'confirmed']],
    );
    expect((await actionOf(one!.campaignId)).status).toBe('applying');
    expect(await campaignState(testDb(), t, one!.campaignId)).toMatchObject({ status: 'active', budget: '100.00' });
    expect(await linkOf(one!.campaignId)).toEqual({ platform_status: 'PAUSED', platform_daily_budget: '10000' });

    // The rest in one claim: the first campaign's budget, and both rows of the second.
    const rest = await deliver(t, new Date(Date.now() + 2 * HOUR_MS));
    expect(rest.changes.map((c) => c.outcome)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    for (const { campaignId, objectId } of linked) {
      expect((await actionOf(campaignId)).status).toBe('executed');
      const state = await campaignState(testDb(), t, campaignId);
      expect(state).toMatchObject({ status: 'paused', budget: '80.00', version: versionBefore + 1 });
      expect(await linkOf(campaignId)).toEqual({ platform_status: 'PAUSED', platform_daily_budget: '8000' });
      expect(meta.object(objectId)).toMatchObject({ status: 'PAUSED', dailyBudget: '8000' });
    }
  });

  it('confirms only the rows whose claim it still holds', async () => {
    const t = await createTenant(testDb());
    const account = await metaAccount(t);
    for (let i = 0; i < 2; i++) await metaLoser(t, account);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const claimed = await testDb().transaction((s) =>
      claimDueChanges(s, t.tenantId, { now: new Date(), staleBefore: new Date(0) }, 10),
    );
    expect(claimed).toHaveLength(2);
    // Another worker took the second over (its claim went stale): this claim's attempt is lost.
    await testDb().session((s) =>
      s.query('UPDATE platform_changes SET attempts = attempts + 1 WHERE tenant_id = $1 AND id = $2', [
        t.tenantId,
        claimed[1]!.id,
      ]),
    );
    const confirmed = await testDb().transaction((s) => confirmChanges(s, t.tenantId, claimed, new Date()));
    expect(confirmed).toEqual(new Set([claimed[0]!.id]));
    expect((await outboxOf(t)).map((r) => r.status).sort()).toEqual(['confirmed', 'sending']);
    const statusOf = new Map((await actionsOf(testDb(), t)).map((a) => [a.campaign_id, a.status]));
    expect(statusOf.get(claimed[0]!.campaign_id)).toBe('executed');
    expect(statusOf.get(claimed[1]!.campaign_id)).toBe('applying');
    expect((await campaignState(testDb(), t, claimed[1]!.campaign_id)).status).toBe('active');
  });

  it('the ad-platform-changes task delivers what is due and sums it up', async () => {
    const t = await createTenant(testDb());
    const { objectId } = await metaLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const task = findTask('ad-platform-changes')!;
    const result = await task.run({ ...testTaskDeps(testDb()), adPlatforms: servers().deps }, t.tenantId, {});
    expect(result).toEqual({ claims: 1, outcomes: { confirmed: 1 }, unfinished: [] });
    expect(meta.object(objectId)!.status).toBe('PAUSED');
  });

  it('an expired token marks the account needs_reconnect; the action waits and is not executed', async () => {
    const t = await createTenant(testDb());
    const { account, campaignId, objectId } = await metaLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    meta.expireToken(META_TOKEN);
    const report = await deliver(t);
    expect(report.changes.map((c) => c.outcome)).toEqual(['waiting']);
    expect(report.changes[0]!.reason).toMatch(/reconnected/);
    const [stored] = await testDb().session((s) =>
      s.query<{ status: string; status_reason: string }>(
        'SELECT status, status_reason FROM ad_accounts WHERE tenant_id = $1 AND id = $2',
        [t.tenantId, account.id],
      ),
    );
    expect(stored).toMatchObject({ status: 'needs_reconnect', status_reason: expect.stringMatching(/expired/) });
    const [pause] = await actionsOf(testDb(), t);
    expect(await actionRow(t, pause!.id)).toMatchObject({ status: 'applying', executed_at: null });
    expect((await actionRow(t, pause!.id)).error).toMatch(/reconnected/);
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('active');
    // Its changes wait for the reconnection.
    expect((await deliver(t)).changes).toEqual([]);
    // Reconnected (a new token, here the old one made valid again).
    meta.resetScripts();
    await testDb().session((s) =>
      s.query("UPDATE ad_accounts SET status = 'connected' WHERE tenant_id = $1 AND id = $2", [t.tenantId, account.id]),
    );
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(meta.object(objectId)!.status).toBe('PAUSED');
  });

  it('a Google Ads partial failure fails that action in Google’s words and confirms the others', async () => {
    const t = await createTenant(testDb());
    const account = await googleAccount(t);
    const ids: string[] = [];
    const gIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
      await addStats(testDb(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
      const g = google.world.addCampaign(account.customerId, { status: 'ENABLED', budgetMicros: 200_000_000n });
      await link(t, campaignId, account.id, {
        kind: 'google_campaign',
        externalId: g.id,
        budgetId: g.budgetId,
        status: 'ENABLED',
        budget: 200_000_000n,
      });
      ids.push(campaignId);
      gIds.push(g.id);
    }
    await runCycle(testDb(), t.tenantId, { now: NOW });
    // Someone removed the second campaign in Google Ads meanwhile.
    google.world.customer(account.customerId).campaigns.get(gIds[1]!)!.status = 'REMOVED';

    // A dry run: Google checks both with validateOnly and changes nothing.
    const dryRun = await checkPlatformChanges(testDb(), { tenantId: t.tenantId, ...servers().deps });
    expect(new Map(dryRun.map((v) => [v.campaign_id, v.verdict]))).toEqual(
      new Map([
        [ids[0]!, 'valid'],
        [ids[1]!, 'invalid'],
      ]),
    );
    expect(google.callsOf('campaigns:mutate').map((c) => c.body.validateOnly)).toEqual([true]);
    expect(google.world.customer(account.customerId).campaigns.get(gIds[0]!)!.status).toBe('ENABLED');
    expect((await outboxOf(t)).map((r) => r.status)).toEqual(['queued', 'queued']);
    google.resetCalls();

    const report = await deliver(t);
    const byCampaign = new Map(report.changes.map((c) => [c.campaignId, c]));
    expect(byCampaign.get(ids[0]!)!.outcome).toBe('confirmed');
    expect(byCampaign.get(ids[1]!)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(
        /^Google Ads refused the change: Operation is not permitted for a removed resource/,
      ),
    });
    expect(google.callsOf('campaigns:mutate')).toHaveLength(1);
    const failed = await actionRow(t, byCampaign.get(ids[1]!)!.actionId);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/removed resource/) });
    expect((await actionRow(t, byCampaign.get(ids[0]!)!.actionId)).status).toBe('executed');
    expect((await campaignState(testDb(), t, ids[0]!)).status).toBe('paused');
    expect((await campaignState(testDb(), t, ids[1]!)).status).toBe('active');
  });

  it('after a crash between the platform call and the ledger update, a change is applied once', async () => {
    const t = await createTenant(testDb());
    const { campaignId, objectId } = await metaLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    // A worker claimed the row and made the change on Meta, then died before writing its answer.
    const at = new Date();
    await metaClientFor(endpoints, { access_token: META_TOKEN, ad_account_id: '1' }).updateObject(objectId, {
      status: 'PAUSED',
    });
    await testDb().session((s) =>
      s.query(`UPDATE platform_changes SET status = 'sending', attempts = 1, claimed_at = $2 WHERE tenant_id = $1`, [
        t.tenantId,
        new Date(at.getTime() - HOUR_MS).toISOString(),
      ]),
    );
    meta.resetScripts();
    const report = await deliver(t, at);
    expect(report.changes.map((c) => c.outcome)).toEqual(['reconciled']);
    // Read back, not sent again.
    expect(meta.calls.map((c) => c.method)).toEqual(['GET']);
    expect((await actionsOf(testDb(), t))[0]!.status).toBe('executed');
    expect((await campaignState(testDb(), t, campaignId)).status).toBe('paused');
  });

  it('a change the platform no longer expects (edited outside Nightshift) fails as a conflict', async () => {
    const t = await createTenant(testDb());
    const account = await googleAccount(t);
    const campaignId = await winner(t);
    const g = google.world.addCampaign(account.customerId, { status: 'ENABLED', budgetMicros: 100_000_000n });
    await link(t, campaignId, account.id, {
      kind: 'google_campaign',
      externalId: g.id,
      budgetId: g.budgetId,
      status: 'ENABLED',
      budget: 100_000_000n,
    });
    await runCycle(testDb(), t.tenantId, { now: NOW });
    // The first attempt's answer was lost; meanwhile someone set the budget to 120 in Google Ads.
    google.world.customer(account.customerId).budgets.get(g.budgetId)!.amountMicros = 120_000_000n;
    await testDb().session((s) =>
      s.query(
        `UPDATE platform_changes SET status = 'sending', attempts = 1, claimed_at = now() - interval '1 hour'
          WHERE tenant_id = $1`,
        [t.tenantId],
      ),
    );
    const report = await deliver(t);
    expect(report.changes).toMatchObject([
      { outcome: 'failed', reason: expect.stringMatching(/^conflict: Google Ads holds budget 120000000/) },
    ]);
    expect(google.callsOf('campaignBudgets:mutate')).toHaveLength(0);
    expect(google.world.customer(account.customerId).budgets.get(g.budgetId)!.amountMicros).toBe(120_000_000n);
    expect((await actionsOf(testDb(), t))[0]!.status).toBe('failed');
    expect((await campaignState(testDb(), t, campaignId)).budget).toBe('100.00');
  });
});
