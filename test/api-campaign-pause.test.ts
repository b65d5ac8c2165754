// Pausing and resuming a campaign by hand over HTTP (issue 26): a ledger row naming the person (or
// the API key), shown among the actions and rolled back like the engine's; a resume back to the
// status the pause found; a linked campaign's pause sent to its ad platform and done only once the
// platform confirms; refusals that change nothing; archived campaigns out of the default list; and
// each variant's chance of being its step's best.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { adWorld, useAdServers } from './support/ad-world.ts';
import { addStats, createCampaign, createTenant, NOW, steadyDays } from './support/scenario.ts';
import { type ApiClient, apiClient, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('pausing and resuming a campaign by hand', () => {
  const testDb = useTestDb();
  const servers = useAdServers();
  const world = adWorld(testDb, servers);
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(testDb(), { adEndpoints: servers().endpoints });
    return () => api.close();
  });

  async function tenant() {
    const t = await createTenant(testDb());
    const userId = crypto.randomUUID();
    const as = async (role: 'viewer' | 'member' | 'admin', id?: string) =>
      apiClient(api, await tokenFor(testDb(), t.tenantId, role, id));
    return { t, userId, member: await as('member', userId), viewer: await as('viewer'), admin: await as('admin') };
  }

  const actionsOf = async (client: ApiClient, campaignId: string) =>
    (await client.get(`/api/actions?campaign_id=${campaignId}`)).body.data;

  it('a member’s pause is a ledger row naming them, shown among the actions, rolled back like any other', async () => {
    const { t, userId, member, viewer, admin } = await tenant();
    const campaignId = await createCampaign(testDb(), t, { budget: 50, hoursRunning: 10 });

    const paused = await member.post(`/api/campaigns/${campaignId}/pause`);
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ action_status: 'executed', campaign: { id: campaignId, status: 'paused' } });
    const [row] = await actionsOf(viewer, campaignId);
    expect(row).toMatchObject({
      id: paused.body.action_id,
      action_type: 'manual_pause',
      status: 'executed',
      decided_by: userId,
      previous_state: { status: 'active' },
      new_state: { status: 'paused' },
    });
    expect(row.reason).toBe(`Paused by hand by ${userId}@example.com (was active).`);

    const rolledBack = await admin.post(`/api/actions/${row.id}/rollback`);
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    expect((await viewer.get(`/api/campaigns/${campaignId}`)).body.status).toBe('active');
    expect((await actionsOf(viewer, campaignId)).map((a: { action_type: string }) => a.action_type)).toEqual([
      'rollback',
      'manual_pause',
    ]);
  });

  it('a resume goes back to the status the pause found: a sending campaign goes on sending', async () => {
    const { t, member, viewer } = await tenant();
    const campaignId = await createCampaign(testDb(), t, { budget: 50, hoursRunning: 10, status: 'sending' });
    expect((await member.post(`/api/campaigns/${campaignId}/pause`)).body.campaign.status).toBe('paused');
    const resumed = await member.post(`/api/campaigns/${campaignId}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.campaign.status).toBe('sending');
    const [row] = await actionsOf(viewer, campaignId);
    expect(row).toMatchObject({ action_type: 'manual_resume', previous_state: { status: 'paused' } });
    expect(row.new_state).toEqual({ status: 'sending' });
  });

  it('a campaign resumed by hand is not paused again by a rule before the rollback cooldown is over', async () => {
    const t = await createTenant(testDb(), { guardrails: { rollback_cooldown_hours: 6 } });
    const member = apiClient(api, await tokenFor(testDb(), t.tenantId, 'member'));
    // A loser a pause rule matches, which a person paused and then resumed by hand, an hour ago.
    const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    expect((await member.post(`/api/campaigns/${campaignId}/pause`)).status).toBe(200);
    expect((await member.post(`/api/campaigns/${campaignId}/resume`)).status).toBe(200);
    const hour = 3_600_000;
    await testDb().session((s) =>
      s.query(
        'UPDATE autonomous_actions SET executed_at = $3, created_at = $3 WHERE tenant_id = $1 AND campaign_id = $2',
        [t.tenantId, campaignId, new Date(NOW.getTime() - hour)],
      ),
    );

    const held = await runCycle(testDb(), t.tenantId, { now: NOW });
    expect(held.decisions).toEqual([]);
    expect(held.guardrail_stops).toMatchObject([
      {
        campaign_id: campaignId,
        guardrail: 'changed_by_hand',
        detail:
          'a person paused or resumed this campaign by hand less than 6 h ago: no rule pauses or scales it before then',
      },
    ]);
    const later = await runCycle(testDb(), t.tenantId, { now: new Date(NOW.getTime() + 6 * hour) });
    expect(later.decisions).toMatchObject([{ campaign_id: campaignId, action_type: 'auto_pause' }]);
  });

  it('an API key’s pause names the key', async () => {
    const { t, viewer } = await tenant();
    const campaignId = await createCampaign(testDb(), t, { budget: 50, hoursRunning: 10 });
    const { key } = await createApiKey(testDb(), t.tenantId, { name: 'ops-script', role: 'member' });
    const paused = await apiClient(api, key).post(`/api/campaigns/${campaignId}/pause`);
    expect(paused.status).toBe(200);
    const [row] = await actionsOf(viewer, campaignId);
    expect(row).toMatchObject({ decided_by: null, reason: 'Paused by hand by API key “ops-script” (was active).' });
  });

  it('refuses what the status does not allow, a viewer and an unknown campaign, and changes nothing', async () => {
    const { t, member, viewer } = await tenant();
    const active = await createCampaign(testDb(), t, { budget: 50, hoursRunning: 10 });
    const draft = await createCampaign(testDb(), t, { budget: 50, hoursRunning: 0, status: 'draft' });

    const notPaused = await member.post(`/api/campaigns/${active}/resume`);
    expect(notPaused.status).toBe(409);
    expect(notPaused.body.detail).toBe('the campaign is active: only a paused campaign can be resumed');
    expect(notPaused.body.errors).toEqual([expect.objectContaining({ field: 'status', message: 'is active' })]);
    const fromDraft = await member.post(`/api/campaigns/${draft}/pause`);
    expect(fromDraft.status).toBe(409);
    expect(fromDraft.body.detail).toMatch(/^the campaign is draft: only active, scheduled, sending campaigns/);
    expect((await viewer.post(`/api/campaigns/${active}/pause`)).status).toBe(403);
    expect((await member.post(`/api/campaigns/${crypto.randomUUID()}/pause`)).status).toBe(404);

    expect((await viewer.get(`/api/campaigns/${active}`)).body).toMatchObject({ status: 'active', version: 1 });
    expect((await viewer.get(`/api/campaigns/${draft}`)).body.status).toBe('draft');
    expect((await viewer.get('/api/actions')).body.data).toEqual([]);
  });

  it('a linked campaign’s pause goes to its ad platform and is done only once the platform confirms', async () => {
    const { t, member, viewer } = await tenant();
    const account = await world.metaAccount(t);
    const { campaignId, objectId } = await world.linkedMetaCampaign(t, account, 80);

    const paused = await member.post(`/api/campaigns/${campaignId}/pause`);
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    // Sent, not done: the campaign keeps its status until Meta answers.
    expect(paused.body).toMatchObject({ action_status: 'applying', campaign: { status: 'active' } });
    expect(await world.outboxOf(t)).toMatchObject([
      { action_id: paused.body.action_id, field: 'status', from_value: 'ACTIVE', to_value: 'PAUSED', status: 'queued' },
    ]);
    // A second change waits for the first.
    const again = await member.post(`/api/campaigns/${campaignId}/pause`);
    expect(again.status).toBe(409);

    const report = await world.deliver(t);
    expect(report.changes.map((c) => c.outcome)).toEqual(['confirmed']);
    expect(servers().meta.object(objectId)!.status).toBe('PAUSED');
    expect((await viewer.get(`/api/campaigns/${campaignId}`)).body.status).toBe('paused');
    const [row] = await actionsOf(viewer, campaignId);
    expect(row).toMatchObject({ action_type: 'manual_pause', status: 'executed' });

    const resumed = await member.post(`/api/campaigns/${campaignId}/resume`);
    expect(resumed.body).toMatchObject({ action_status: 'applying', campaign: { status: 'paused' } });
    await world.deliver(t);
    expect(servers().meta.object(objectId)!.status).toBe('ACTIVE');
    expect((await viewer.get(`/api/campaigns/${campaignId}`)).body.status).toBe('active');
  });
});

describe('archived campaigns and variants’ chances', () => {
  const testDb = useTestDb();
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(testDb());
    return () => api.close();
  });

  it('leaves archived campaigns out of the list unless asked for', async () => {
    const t = await createTenant(testDb());
    const member = apiClient(api, await tokenFor(testDb(), t.tenantId, 'member'));
    const kept = (await member.post('/api/campaigns', { title: 'Kept' })).body.id;
    const gone = (await member.post('/api/campaigns', { title: 'Gone' })).body.id;
    expect((await member.delete(`/api/campaigns/${gone}`)).body.status).toBe('archived');

    const ids = async (query: string) =>
      (await member.get(`/api/campaigns${query}`)).body.data.map((c: { id: string }) => c.id);
    expect(await ids('')).toEqual([kept]);
    expect(await ids('?include_archived=true')).toEqual([gone, kept]);
    expect(await ids('?status=archived')).toEqual([gone]);
    expect((await member.get('/api/campaigns?include_archived=maybe')).status).toBe(422);
  });

  it('gives each active variant its chance of being its step’s best, by the campaign’s goal', async () => {
    const t = await createTenant(testDb());
    const member = apiClient(api, await tokenFor(testDb(), t.tenantId, 'member'));
    const campaign = (await member.post('/api/campaigns', { title: 'Leads', goal: 'leads' })).body.id;
    const asset = (
      await member.post('/api/content/assets', { name: 'Intro', asset_type: 'email', campaign_id: campaign })
    ).body.id;
    const variant = async (label: string) =>
      (await member.post(`/api/content/assets/${asset}/variants`, { variant_label: label, subject: 'Hi' })).body.id;
    const [a, b, c] = [await variant('A'), await variant('B'), await variant('C')];
    const list = async () =>
      new Map(
        (await member.get(`/api/content/assets/${asset}/variants`)).body.data.map(
          (v: { id: string; probability_best: number | null }) => [v.id, v.probability_best],
        ),
      );
    // Nothing sent: nobody knows.
    expect([...(await list()).values()]).toEqual([null, null, null]);

    await member.patch(`/api/content/variants/${c}`, { status: 'killed', kill_reason: 'off brand' });
    const stats = await member.post('/api/content/variant-stats', {
      rows: [
        { variant_id: a, sends: 400, replies: 40 },
        { variant_id: b, sends: 400, replies: 8 },
      ],
    });
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    const chances = await list();
    expect(chances.get(a)).toBeGreaterThan(0.99);
    expect(chances.get(b)).toBeLessThan(0.01);
    expect((chances.get(a) as number) + (chances.get(b) as number)).toBeCloseTo(1, 6);
    expect(chances.get(c)).toBeNull();
  });
});
