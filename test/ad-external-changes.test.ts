// Changes made outside Nightshift (issue 24, point 6), against local servers that speak Meta's
// Graph API and Google Ads' REST API: someone edits a budget or pauses a campaign in Ads Manager or
// Google Ads; the sync sees it, brings the campaign in line and records one external_change row
// per campaign; Nightshift's own change on its way is not taken for one; the cooldowns respect it;
// and a rollback of the action it overwrote is refused as a conflict, as after a local edit.
import { describe, expect, it } from 'vitest';
import { metaClientFor } from '../src/ads/clients.ts';
import { readPlatformCampaigns } from '../src/ads/platform-campaigns.ts';
import * as links from '../src/db/repositories/platform-links.ts';
import { addDays } from '../src/domain/day.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import { accountCredentials } from '../src/services/ad-accounts.ts';
import { dayIn, syncAdAccount } from '../src/services/ad-sync.ts';
import { followPlatform, splitByLink } from '../src/services/follow-platform.ts';
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
import { useTestApi } from './support/test-api.ts';

const HOUR_MS = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR_MS);

describe('changes made outside Nightshift', () => {
  const { db: testDb, tenantClients } = useTestApi();
  const servers = useAdServers();
  const { metaAccount, googleAccount, link, metaLoser, winner, deliver, outboxOf } = adWorld(testDb, servers);

  /** Ads Manager: a person's change, made through the Graph API as any client makes it. */
  const adsManager = () => metaClientFor(servers().endpoints, { access_token: META_TOKEN, ad_account_id: '1' });

  /** The schedule's sync (no range), on the scenario's clock. */
  const sync = (t: TestTenant, accountId: string, now: Date = NOW) =>
    syncAdAccount(testDb(), servers().deps, t.tenantId, accountId, { now });

  const externalRows = async (t: TestTenant) =>
    (await actionsOf(testDb(), t)).filter((a) => a.action_type === 'external_change');

  /** The winner (scaled from 100 to 150 by the cycle), linked to a Meta campaign with a daily budget of 100. */
  async function metaWinner(t: TestTenant) {
    const account = await metaAccount(t);
    const campaignId = await winner(t);
    const object = servers().meta.addCampaign(account.externalId, { status: 'ACTIVE', dailyBudget: '10000' });
    await link(t, campaignId, account.id, {
      kind: 'meta_campaign',
      externalId: object.id,
      status: 'ACTIVE',
      budget: 10000n,
    });
    return { account, campaignId, objectId: object.id };
  }

  it('a sync records each campaign moved on Meta as one external_change and brings it in line; the same sync again records nothing', async () => {
    const t = await createTenant(testDb());
    const loser = await metaLoser(t);
    const second = await metaLoser(t, loser.account);
    const untouched = await metaLoser(t, loser.account);
    const before = await campaignState(testDb(), t, loser.campaignId);

    // Someone raises one budget and pauses another campaign in Ads Manager.
    await adsManager().updateObject(loser.objectId, { dailyBudget: '25050' });
    await adsManager().updateObject(second.objectId, { status: 'PAUSED' });
    const result = await sync(t, loser.account.id);
    expect(result.moved_on_platform).toBe(2);

    expect(await campaignState(testDb(), t, loser.campaignId)).toEqual({
      status: 'active',
      budget: '250.50',
      version: before.version + 1,
    });
    expect((await campaignState(testDb(), t, second.campaignId)).status).toBe('paused');
    // Its title follows the platform's name: not a move, no row.
    expect(await campaignState(testDb(), t, untouched.campaignId)).toMatchObject({
      status: 'active',
      budget: '200.00',
    });
    const rows = await externalRows(t);
    expect(new Map(rows.map((r) => [r.campaign_id, r]))).toEqual(
      new Map([
        [
          loser.campaignId,
          expect.objectContaining({
            status: 'executed',
            decided_by: null,
            rule_id: null,
            cycle_id: null,
            executed_at: NOW,
            previous_state: { status: 'active', budget: '200.00' },
            new_state: { status: 'active', budget: '250.50' },
            reason: 'Changed on Meta outside Nightshift: daily budget 200.00 → 250.50 USD',
          }),
        ],
        [
          second.campaignId,
          expect.objectContaining({
            previous_state: { status: 'active', budget: '200.00' },
            new_state: { status: 'paused', budget: '200.00' },
            reason: 'Changed on Meta outside Nightshift: status active → paused',
          }),
        ],
      ]),
    );

    expect((await sync(t, loser.account.id, at(1))).moved_on_platform).toBe(0);
    expect(await externalRows(t)).toHaveLength(2);

    // A range asked for by hand reads stats only; the next scheduled sync finds the change.
    await adsManager().updateObject(untouched.objectId, { dailyBudget: '19999' });
    const day = dayIn('UTC', NOW);
    const byHand = await syncAdAccount(testDb(), servers().deps, t.tenantId, loser.account.id, {
      from: addDays(day, -1),
      to: day,
      now: at(2),
    });
    expect(byHand.moved_on_platform).toBe(0);
    expect((await campaignState(testDb(), t, untouched.campaignId)).budget).toBe('200.00');
    expect((await sync(t, loser.account.id, at(3))).moved_on_platform).toBe(1);
    expect((await externalRows(t)).at(-1)!.reason).toBe(
      'Changed on Meta outside Nightshift: daily budget 200.00 → 199.99 USD',
    );
  });

  it('leaves alone a campaign whose own change is on its way: not mistaken for an external change', async () => {
    const t = await createTenant(testDb());
    const { account, campaignId, objectId } = await metaWinner(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const [scale] = await actionsOf(testDb(), t);
    expect(scale).toMatchObject({ action_type: 'auto_scale_up', status: 'applying' });
    const before = await campaignState(testDb(), t, campaignId);

    // The worker sent the change and Meta took it; its answer is not written yet.
    await adsManager().updateObject(objectId, { dailyBudget: '15000' });
    expect((await sync(t, account.id)).moved_on_platform).toBe(0);
    expect(await campaignState(testDb(), t, campaignId)).toEqual(before);
    expect(await externalRows(t)).toEqual([]);
    const [stored] = await testDb().session((s) =>
      s.query<{ platform_daily_budget: string }>(
        'SELECT platform_daily_budget::text FROM campaign_platform_links WHERE tenant_id = $1 AND campaign_id = $2',
        [t.tenantId, campaignId],
      ),
    );
    expect(stored!.platform_daily_budget).toBe('10000');

    // Confirmed: the campaign moves with its action; a sync after finds nothing moved.
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect((await campaignState(testDb(), t, campaignId)).budget).toBe('150.00');
    expect((await sync(t, account.id, at(1))).moved_on_platform).toBe(0);
    expect((await actionsOf(testDb(), t)).map((a) => [a.action_type, a.status])).toEqual([
      ['auto_scale_up', 'executed'],
    ]);
  });

  it('leaves alone a campaign whose change was confirmed after the platform was read', async () => {
    const t = await createTenant(testDb());
    const { account, campaignId } = await metaWinner(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    // The sync reads the links, then the platform (still at 100)...
    const known = await testDb().session((s) => links.linksOfAccount(s, t.tenantId, account.id));
    const { deps } = servers();
    const credentials = await accountCredentials(testDb(), deps, t.tenantId, account.id);
    const entries = await readPlatformCampaigns(deps.endpoints, credentials, 'USD');
    // ...meanwhile the worker delivers the scale and confirms it...
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    const confirmed = await campaignState(testDb(), t, campaignId);
    expect(confirmed.budget).toBe('150.00');
    // ...then the sync writes what it read: the campaign moved since, so it waits for the next read.
    const refresh = await testDb().transaction((s) =>
      followPlatform(
        s,
        t.tenantId,
        { id: account.id, platform: 'meta', currency: 'USD' },
        splitByLink(entries, known).linked,
      ),
    );
    expect(refresh).toEqual({ refreshed: 0, moves: [] });
    expect(await campaignState(testDb(), t, campaignId)).toEqual(confirmed);
    expect(await externalRows(t)).toEqual([]);
  });

  it('a budget changed on the platform holds a scale back for the cooldown, then the rule scales again', async () => {
    const t = await createTenant(testDb());
    const { account, campaignId, objectId } = await metaWinner(t);
    await adsManager().updateObject(objectId, { dailyBudget: '12000' });
    expect((await sync(t, account.id)).moved_on_platform).toBe(1);
    expect((await campaignState(testDb(), t, campaignId)).budget).toBe('120.00');

    const held = await runCycle(testDb(), t.tenantId, { now: at(1) });
    expect(held.sent_to_ad_platforms).toBe(0);
    expect(held.guardrail_stops).toMatchObject([
      { campaign_id: campaignId, guardrail: 'cooldown', detail: 'budget changed less than 24 h ago' },
    ]);
    expect((await actionsOf(testDb(), t)).map((a) => a.action_type)).toEqual(['external_change']);

    const later = await runCycle(testDb(), t.tenantId, { now: at(25) });
    expect(later.sent_to_ad_platforms).toBe(1);
    expect(later.decisions).toMatchObject([
      { campaign_id: campaignId, action_type: 'auto_scale_up', new_state: { budget: 180 } },
    ]);
  });

  it('a campaign resumed by hand on Google Ads is not paused again before the rollback cooldown', async () => {
    const t = await createTenant(testDb(), { guardrails: { rollback_cooldown_hours: 6 } });
    const account = await googleAccount(t);
    const { google } = servers();
    // A losing campaign, paused in both places...
    const { campaignId, googleId } = await pausedGoogleLoser(t, account);
    // ...that someone turns on again in Google Ads.
    google.world.customer(account.customerId).campaigns.get(googleId)!.status = 'ENABLED';
    expect((await sync(t, account.id)).moved_on_platform).toBe(1);
    expect(await externalRows(t)).toMatchObject([
      {
        previous_state: { status: 'paused', budget: '200.00' },
        new_state: { status: 'active', budget: '200.00' },
        reason: 'Changed on Google Ads outside Nightshift: status paused → active',
      },
    ]);

    const held = await runCycle(testDb(), t.tenantId, { now: at(1) });
    expect(held.decisions).toEqual([]);
    expect(held.guardrail_stops).toMatchObject([{ campaign_id: campaignId, guardrail: 'changed_outside' }]);
    expect(held.guardrail_stops[0]!.detail).toBe(
      'someone paused or resumed this campaign on its ad platform, outside Nightshift, less than 6 h ago: no rule pauses or scales it before then',
    );

    const later = await runCycle(testDb(), t.tenantId, { now: at(7) });
    expect(later.decisions).toMatchObject([{ campaign_id: campaignId, action_type: 'auto_pause' }]);
  });

  it('a pause on Meta, then its budget edited in Ads Manager and synced: its rollback is a 409 conflict and nothing is queued', async () => {
    const { t, admin } = await tenantClients();
    const { account, campaignId, objectId } = await metaLoser(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    const [pause] = await actionsOf(testDb(), t);
    expect(pause).toMatchObject({ action_type: 'auto_pause', status: 'executed' });

    await adsManager().updateObject(objectId, { dailyBudget: '25000' });
    await sync(t, account.id, at(1));
    expect(await campaignState(testDb(), t, campaignId)).toMatchObject({ status: 'paused', budget: '250.00' });

    const refused = await admin.post(`/api/actions/${pause!.id}/rollback`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      detail: 'cannot roll back: the campaign changed since (budget is 250, expected 200)',
      expected: { status: 'paused', budget: 200 },
      actual: { status: 'paused', budget: 250 },
    });
    expect((await outboxOf(t)).map((r) => [r.action_id, r.status])).toEqual([[pause!.id, 'confirmed']]);
    expect((await actionsOf(testDb(), t)).map((a) => [a.action_type, a.status])).toEqual([
      ['auto_pause', 'executed'],
      ['external_change', 'executed'],
    ]);
    expect(servers().meta.object(objectId)).toMatchObject({ status: 'PAUSED', dailyBudget: '25000' });
  });

  it('a scale on Google Ads, then its budget edited there and synced: its rollback is refused as a conflict', async () => {
    const t = await createTenant(testDb());
    const account = await googleAccount(t);
    const { google } = servers();
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
    expect((await deliver(t)).changes.map((c) => c.outcome)).toEqual(['confirmed']);
    const [scale] = await actionsOf(testDb(), t);
    expect(scale).toMatchObject({ action_type: 'auto_scale_up', status: 'executed' });

    google.world.customer(account.customerId).budgets.get(g.budgetId)!.amountMicros = 170_000_000n;
    await sync(t, account.id, at(1));
    await expect(rollbackAction(testDb(), t.tenantId, scale!.id)).rejects.toMatchObject({
      name: 'ActionConflictError',
      expected: { status: 'active', budget: 150 },
      actual: { status: 'active', budget: 170 },
    });
    expect((await outboxOf(t)).map((r) => r.status)).toEqual(['confirmed']);
    expect((await actionsOf(testDb(), t)).map((a) => [a.action_type, a.status])).toEqual([
      ['auto_scale_up', 'executed'],
      ['external_change', 'executed'],
    ]);
    expect(google.world.customer(account.customerId).budgets.get(g.budgetId)!.amountMicros).toBe(170_000_000n);
  });

  /** A losing campaign (as metaLoser's) linked to a Google Ads campaign, paused on both sides. */
  async function pausedGoogleLoser(t: TestTenant, account: { id: string; customerId: string }) {
    const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72, status: 'paused' });
    await addStats(testDb(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    const g = servers().google.world.addCampaign(account.customerId, { status: 'PAUSED', budgetMicros: 200_000_000n });
    await link(t, campaignId, account.id, {
      kind: 'google_campaign',
      externalId: g.id,
      budgetId: g.budgetId,
      status: 'PAUSED',
      budget: 200_000_000n,
    });
    return { campaignId, googleId: g.id };
  }
});
