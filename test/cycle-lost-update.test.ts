// A person's change made while a cycle runs is never lost: a PATCH that lands between the cycle's
// read and its write (the test holds the cycle there) survives, and the cycle reports the
// decision it dropped as a guardrail stop that says what changed. The ledger's previous state is
// always the state the cycle actually replaced.
import { describe, expect, it } from 'vitest';
import type { CycleResult } from '../src/contract/cycles.ts';
import { runCycle } from '../src/engine/cycle.ts';
import {
  actionsOf,
  addStats,
  campaignState,
  createCampaign,
  NOW,
  pauseScaleSuggestWorld,
  steadyDays,
} from './support/scenario.ts';
import { type ApiClient, useTestApi } from './support/test-api.ts';

async function patchCampaign(client: ApiClient, id: string, fields: object) {
  const current = await client.get(`/api/campaigns/${id}`);
  return client.patch(`/api/campaigns/${id}`, fields, { 'if-match': current.headers.get('etag')! });
}

const stopOf = (result: CycleResult, campaignId: string) =>
  result.guardrail_stops.find((stop) => stop.campaign_id === campaignId);

describe('a cycle and a person changing the same campaigns', () => {
  const { db, tenantClients } = useTestApi();

  it('keeps PATCHes that land between the cycle’s read and its write, and reports what changed', async () => {
    const { t, member } = await tenantClients();
    const { loser, winner, suggested } = await pauseScaleSuggestWorld(db(), t);
    const untouched = await createCampaign(db(), t, { budget: 200, hoursRunning: 72 });
    await addStats(db(), t, untouched, steadyDays(3, { spend: 40, revenue: 10 }));
    const patches: number[] = [];

    const result = await runCycle(db(), t.tenantId, {
      now: NOW,
      beforeWrite: async () => {
        // The cycle decided to scale the winner and pause the loser; a person pauses the winner
        // and nudges the loser's budget first.
        patches.push((await patchCampaign(member, winner, { status: 'paused' })).status);
        patches.push((await patchCampaign(member, loser, { budget: 201 })).status);
      },
    });

    expect(patches).toEqual([200, 200]);
    expect(await campaignState(db(), t, winner)).toMatchObject({ status: 'paused', budget: '100.00', version: 2 });
    expect(await campaignState(db(), t, loser)).toMatchObject({ status: 'active', budget: '201.00', version: 2 });
    expect(stopOf(result, winner)).toMatchObject({ guardrail: 'changed_during_cycle' });
    expect(stopOf(result, winner)!.detail).toContain('status active → paused');
    expect(stopOf(result, loser)!.detail).toContain('budget 200 → 201');
    expect(result.actions_taken).toMatchObject({ campaigns_paused: 1, campaigns_scaled: 0 });

    // Only the decisions whose campaign held still were written, each with the state it replaced.
    const ledger = await actionsOf(db(), t);
    expect(ledger.map((a) => [a.campaign_id, a.action_type, a.status])).toEqual(
      expect.arrayContaining([
        [untouched, 'auto_pause', 'executed'],
        [suggested, 'auto_pause', 'pending'],
      ]),
    );
    expect(ledger).toHaveLength(2);
    expect(ledger.find((a) => a.campaign_id === untouched)!.previous_state).toMatchObject({
      status: 'active',
      budget: 200,
    });
    expect(await campaignState(db(), t, untouched)).toMatchObject({ status: 'paused', version: 2 });

    // The next cycle decides again on what the person left.
    const next = await runCycle(db(), t.tenantId, { now: NOW });
    expect(next.decisions.map((d) => [d.campaign_id, d.action_type, d.previous_state.budget])).toEqual([
      [loser, 'auto_pause', 201],
    ]);
  });

  it('an edit of a field the cycle does not write still stops its decision (the version moved)', async () => {
    const { t, member } = await tenantClients();
    const { winner } = await pauseScaleSuggestWorld(db(), t);
    const result = await runCycle(db(), t.tenantId, {
      now: NOW,
      beforeWrite: async () => {
        expect((await patchCampaign(member, winner, { title: 'Renamed by a person' })).status).toBe(200);
      },
    });
    expect(stopOf(result, winner)!.detail).toContain('other fields; version 1 → 2');
    expect(await campaignState(db(), t, winner)).toMatchObject({ budget: '100.00', version: 2 });
  });

  it('turning the tenant’s autonomy off while a cycle runs stops every decision of that cycle', async () => {
    const { t, admin } = await tenantClients();
    const { loser, winner, suggested } = await pauseScaleSuggestWorld(db(), t);
    const result = await runCycle(db(), t.tenantId, {
      now: NOW,
      beforeWrite: async () => {
        expect((await admin.patch(`/api/tenants/${t.tenantId}`, { autonomous_enabled: false })).status).toBe(200);
      },
    });
    expect(result.decisions).toEqual([]);
    expect(result.guardrail_stops.map((stop) => [stop.campaign_id, stop.guardrail]).sort()).toEqual(
      [loser, winner, suggested].map((id) => [id, 'changed_during_cycle']).sort(),
    );
    expect(await actionsOf(db(), t)).toEqual([]);
    expect(await campaignState(db(), t, loser)).toMatchObject({ status: 'active', version: 1 });
  });

  it('a rule switched off while a cycle runs takes no action', async () => {
    const { t, admin } = await tenantClients();
    const { loser } = await pauseScaleSuggestWorld(db(), t);
    const rules = (await admin.get('/api/rules')).body.data as { id: string; rule_type: string }[];
    const pauseRule = rules.find((rule) => rule.rule_type === 'pause')!;
    const result = await runCycle(db(), t.tenantId, {
      now: NOW,
      beforeWrite: async () => {
        expect((await admin.put(`/api/rules/${pauseRule.id}/active`, { is_active: false })).status).toBe(200);
      },
    });
    expect(stopOf(result, loser)!.detail).toBe('the rule was edited or deleted while the cycle ran');
    expect(await campaignState(db(), t, loser)).toMatchObject({ status: 'active' });
  });
});
