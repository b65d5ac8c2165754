// The changes on their way to the ad platforms, over HTTP (issue 24): listed in words with how far
// each got, a dry run that asks Meta (execution_options validate_only) and Google Ads (validateOnly)
// whether they would take each queued change and changes nothing, and a linked campaign's name,
// status, budget and currency refused to a PATCH, since its platform keeps them.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import { adWorld, useAdServers } from './support/ad-world.ts';
import { addStats, createCampaign, createTenant, NOW, steadyDays, type TestTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

interface ChangeRecord {
  id: string;
  action_id: string;
  campaign_id: string;
  platform: string;
  field: string;
  from_value: string | null;
  to_value: string;
  change: string;
  status: string;
  confirmed_at: string | null;
}

describe('/api/platform-changes', () => {
  const testDb = useTestDb();
  const servers = useAdServers();
  const world = adWorld(testDb, servers);
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(testDb(), { adEndpoints: servers().endpoints });
    return () => api.close();
  });

  const as = async (t: TestTenant, role: 'viewer' | 'member' | 'admin') =>
    apiClient(api, await tokenFor(testDb(), t.tenantId, role));

  /** A campaign the cycle scales from 100 to 150 (ROI 3.5), linked to a Meta campaign of its own budget. */
  async function metaWinner(t: TestTenant, account: { id: string; externalId: string }, seed: object = {}) {
    const campaignId = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, campaignId, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    const object = servers().meta.addCampaign(account.externalId, { status: 'ACTIVE', dailyBudget: '10000', ...seed });
    await world.link(t, campaignId, account.id, {
      kind: 'meta_campaign',
      externalId: object.id,
      status: 'ACTIVE',
      budget: 10000n,
    });
    return { campaignId, objectId: object.id };
  }

  it('lists each change in words with how far it got, newest first, filtered by status, campaign and action', async () => {
    const t = await createTenant(testDb());
    const viewer = await as(t, 'viewer');
    const { account, campaignId: paused } = await world.metaLoser(t);
    const { campaignId: scaled } = await metaWinner(t, account);
    await runCycle(testDb(), t.tenantId, { now: NOW });

    const queued = await viewer.get('/api/platform-changes');
    expect(queued.status, JSON.stringify(queued.body)).toBe(200);
    const byCampaign = new Map<string, ChangeRecord>(queued.body.data.map((c: ChangeRecord) => [c.campaign_id, c]));
    expect(byCampaign.get(paused)).toMatchObject({
      platform: 'meta',
      field: 'status',
      from_value: 'ACTIVE',
      to_value: 'PAUSED',
      change: 'pause',
      status: 'queued',
      confirmed_at: null,
    });
    expect(byCampaign.get(scaled)).toMatchObject({
      field: 'budget',
      from_value: '10000',
      to_value: '15000',
      change: 'daily budget 100.00 → 150.00 USD',
      status: 'queued',
    });
    expect((await viewer.get('/api/platform-changes?status=confirmed')).body.data).toEqual([]);

    await world.deliver(t);
    const confirmed = await viewer.get('/api/platform-changes?status=confirmed');
    expect(confirmed.body.data.map((c: ChangeRecord) => c.campaign_id).sort()).toEqual([paused, scaled].sort());
    expect(confirmed.body.data.every((c: ChangeRecord) => c.confirmed_at !== null)).toBe(true);

    const ofCampaign = await viewer.get(`/api/platform-changes?campaign_id=${scaled}`);
    expect(ofCampaign.body.data.map((c: ChangeRecord) => c.change)).toEqual(['daily budget 100.00 → 150.00 USD']);
    const ofAction = await viewer.get(`/api/platform-changes?action_id=${byCampaign.get(paused)!.action_id}`);
    expect(ofAction.body.data.map((c: ChangeRecord) => c.id)).toEqual([byCampaign.get(paused)!.id]);
    const page = await viewer.get('/api/platform-changes?limit=1');
    expect(page.body.data).toHaveLength(1);
    expect(page.body.next_cursor).toEqual(expect.any(String));
    const rest = await viewer.get(`/api/platform-changes?limit=1&cursor=${page.body.next_cursor}`);
    expect(rest.body.data.map((c: ChangeRecord) => c.id)).not.toContain(page.body.data[0].id);
    expect(rest.body.next_cursor).toBeNull();

    expectFieldError(await viewer.get('/api/platform-changes?status=done'), 'status');
  });

  it('dry run: Meta and Google Ads say whether they would take each queued change, and nothing changes', async () => {
    const t = await createTenant(testDb());
    const [viewer, member] = [await as(t, 'viewer'), await as(t, 'member')];
    const meta = servers().meta;
    const google = servers().google;
    const { account, campaignId: metaPause, objectId } = await world.metaLoser(t);
    // A budget of its own for the whole flight: Meta refuses a daily budget there.
    const { campaignId: lifetime } = await metaWinner(t, account, { dailyBudget: undefined, lifetimeBudget: '900000' });
    const { campaignId: googlePause, googleId, account: gAccount } = await world.googleLoser(t);
    const { campaignId: removed, googleId: removedId } = await world.googleLoser(t, gAccount);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    google.world.customer(gAccount.customerId).campaigns.get(removedId)!.status = 'REMOVED';
    meta.calls.length = 0;
    google.resetCalls();

    expect((await viewer.post('/api/platform-changes/check')).status).toBe(403);
    const checked = await member.post('/api/platform-changes/check');
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    const verdicts = new Map(
      checked.body.changes.map((c: { campaign_id: string; verdict: string; reason?: string }) => [
        c.campaign_id,
        c.reason ? `${c.verdict}: ${c.reason}` : c.verdict,
      ]),
    );
    expect(verdicts.get(metaPause)).toBe('valid');
    expect(verdicts.get(lifetime)).toMatch(/^invalid: Meta: .*lifetime budget/);
    expect(verdicts.get(googlePause)).toBe('valid');
    expect(verdicts.get(removed)).toMatch(/^invalid: Google Ads refused the change: .*removed resource/);

    // Asked, not told: every call was a dry run, and nothing moved anywhere.
    const posts = meta.calls.filter((c) => c.method === 'POST');
    expect(posts.length).toBe(2);
    expect(posts.every((c) => c.body.execution_options === '["validate_only"]')).toBe(true);
    expect(meta.object(objectId)!.status).toBe('ACTIVE');
    expect(google.callsOf('campaigns:mutate').every((c) => c.body.validateOnly === true)).toBe(true);
    expect(google.world.customer(gAccount.customerId).campaigns.get(googleId)!.status).toBe('ENABLED');
    const listed = await viewer.get('/api/platform-changes');
    expect(listed.body.data.map((c: ChangeRecord) => c.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
  });

  it('refuses to set the name, status, budget or currency the platform keeps for a linked campaign, naming them', async () => {
    const t = await createTenant(testDb());
    const member = await as(t, 'member');
    const { campaignId } = await world.metaLoser(t);
    const before = (await member.get(`/api/campaigns/${campaignId}`)).body;

    const patched = await member.patch(`/api/campaigns/${campaignId}`, {
      budget: 300,
      status: 'paused',
      version: before.version,
    });
    expect(patched.status).toBe(409);
    expect(patched.body.detail).toMatch(/linked to Meta, which keeps its status, budget/);
    expect(patched.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['budget', 'status']);
    expect((await member.delete(`/api/campaigns/${campaignId}`)).status).toBe(409);
    expect((await member.get(`/api/campaigns/${campaignId}`)).body).toEqual(before);

    // What Nightshift alone keeps is still a person's to change.
    const described = await member.patch(`/api/campaigns/${campaignId}`, {
      description: 'Spring sale',
      version: before.version,
    });
    expect(described.status, JSON.stringify(described.body)).toBe(200);
    expect(described.body.description).toBe('Spring sale');
  });
});
