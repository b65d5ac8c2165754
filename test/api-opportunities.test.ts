// /api/opportunities over real HTTP: what a cycle run over the API detects, read in filtered cursor
// pages (newest detection first); start, resolve and dismiss (members) with the transitions the
// engine allows (409 otherwise, and for a repeat); 404 for unknown and foreign ids.
import { describe, expect, it } from 'vitest';
import { addStats, createCampaign, steadyDays, type TestTenant } from './support/scenario.ts';
import { apiClient, idsByPage, useTestApi } from './support/test-api.ts';

interface Opportunity {
  id: string;
  campaign_id: string;
  opportunity_type: string;
  severity: string;
  status: string;
  detected_at: string;
  [field: string]: unknown;
}

describe('/api/opportunities', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  /** Plenty of clicks, hardly any conversion (ROI 2, so no rule pauses or scales it). */
  async function lowConversionCampaign(t: TestTenant) {
    const id = await createCampaign(testDb(), t, { title: 'Leaky funnel', budget: 100, hoursRunning: 72 });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 20, revenue: 40, clicks: 200, conversions: 1 }));
    return id;
  }

  async function insertOpportunity(
    t: TestTenant,
    campaignId: string,
    fields: { type: string; severity: string; status?: string; hoursAgo: number },
  ): Promise<string> {
    const [row] = await testDb().session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO optimization_opportunities (tenant_id, campaign_id, opportunity_type, severity, description,
                                                 suggested_action, confidence_score, status, detected_at)
         VALUES ($1, $2, $3, $4, 'described', 'suggested', 0.9, $5, now() - $6 * interval '1 hour') RETURNING id`,
        [t.tenantId, campaignId, fields.type, fields.severity, fields.status ?? 'open', fields.hoursAgo],
      ),
    );
    return row!.id;
  }

  it('lists what a cycle detected, and moves it from open to in progress to resolved', async () => {
    const { t, viewer, member, admin } = await clients();
    const campaign = await lowConversionCampaign(t);
    expect((await admin.post('/api/cycles')).body.actions_taken.opportunities_detected).toBe(1);

    const list = await viewer.get('/api/opportunities');
    expect(list.status).toBe(200);
    expect(list.body.next_cursor).toBeNull();
    const [found] = list.body.data as Opportunity[];
    expect(list.body.data).toHaveLength(1);
    expect(found).toMatchObject({
      campaign_id: campaign,
      campaign_title: 'Leaky funnel',
      opportunity_type: 'low_conversion',
      status: 'open',
      severity: expect.stringMatching(/^(high|medium)$/),
      description: expect.stringContaining('Leaky funnel'),
      suggested_action: expect.any(String),
      evidence: expect.any(Object),
      resolved_at: null,
    });
    expect(found!.confidence_score).toBeGreaterThan(0);
    expect(found).not.toHaveProperty('sort_key');
    expect((await viewer.get(`/api/opportunities/${found!.id}`)).body).toEqual(found);

    const path = `/api/opportunities/${found!.id}`;
    expect((await viewer.post(`${path}/start`)).status).toBe(403);
    expect((await apiClient(api(), null).post(`${path}/start`)).status).toBe(401);
    const started = await member.post(`${path}/start`);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id: found!.id, status: 'in_progress', resolved_at: null });
    const again = await member.post(`${path}/start`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already in_progress/);

    const resolved = await member.post(`${path}/resolve`);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolved_at: expect.any(String) });
    const late = await member.post(`${path}/dismiss`);
    expect(late.status).toBe(409);
    expect(late.body.detail).toBe('an opportunity that is resolved cannot become dismissed');
    expect((await member.post(`${path}/start`)).status).toBe(409);
    expect((await viewer.get(path)).body.status).toBe('resolved');
  });

  it('dismisses an open opportunity, and the next cycle does not flag it again', async () => {
    const { t, viewer, member, admin } = await clients();
    await lowConversionCampaign(t);
    await admin.post('/api/cycles');
    const [found] = (await viewer.get('/api/opportunities')).body.data as Opportunity[];
    const dismissed = await member.post(`/api/opportunities/${found!.id}/dismiss`);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', resolved_at: null });
    expect((await member.post(`/api/opportunities/${found!.id}/dismiss`)).status).toBe(409);

    expect((await admin.post('/api/cycles')).body.actions_taken.opportunities_detected).toBe(0);
    expect((await viewer.get('/api/opportunities')).body.data.map((o: Opportunity) => o.status)).toEqual(['dismissed']);
  });

  it('filters by status, type, campaign and severity, and pages newest detection first', async () => {
    const { t, viewer } = await clients();
    const a = await createCampaign(testDb(), t, { title: 'A', budget: 10, hoursRunning: 10 });
    const b = await createCampaign(testDb(), t, { title: 'B', budget: 10, hoursRunning: 10 });
    const ids = [
      await insertOpportunity(t, a, { type: 'low_conversion', severity: 'high', hoursAgo: 5 }),
      await insertOpportunity(t, a, { type: 'audience_mismatch', severity: 'medium', hoursAgo: 4 }),
      await insertOpportunity(t, b, { type: 'low_conversion', severity: 'low', status: 'in_progress', hoursAgo: 3 }),
      await insertOpportunity(t, b, {
        type: 'creative_fatigue',
        severity: 'critical',
        status: 'resolved',
        hoursAgo: 2,
      }),
      await insertOpportunity(t, b, {
        type: 'budget_inefficiency',
        severity: 'high',
        status: 'dismissed',
        hoursAgo: 1,
      }),
    ];
    const newestFirst = [...ids].reverse();
    const listed = async (query: string) =>
      (await viewer.get(`/api/opportunities?${query}`)).body.data.map((o: Opportunity) => o.id) as string[];

    expect(await listed('')).toEqual(newestFirst);
    expect(await listed('status=open')).toEqual([ids[1], ids[0]]);
    expect(await listed('status=in_progress')).toEqual([ids[2]]);
    expect(await listed('opportunity_type=low_conversion')).toEqual([ids[2], ids[0]]);
    expect(await listed(`campaign_id=${a}`)).toEqual([ids[1], ids[0]]);
    expect(await listed('severity=high')).toEqual([ids[4], ids[0]]);
    expect(await listed(`severity=high&campaign_id=${b}`)).toEqual([ids[4]]);
    expect(await listed('opportunity_type=timing_optimization')).toEqual([]);

    expect(await idsByPage(viewer, '/api/opportunities', 2)).toEqual(newestFirst);

    for (const [query, field] of [
      ['status=closed', 'status'],
      ['opportunity_type=vibes', 'opportunity_type'],
      ['severity=urgent', 'severity'],
      ['campaign_id=x', 'campaign_id'],
      ['limit=-1', 'limit'],
      ['sort=asc', 'sort'],
    ] as const) {
      const response = await viewer.get(`/api/opportunities?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.errors[0], query).toMatchObject({ field, in: 'query' });
    }
  });

  it('answers 404 for an unknown, malformed or foreign opportunity id', async () => {
    const { t } = await clients();
    const campaign = await createCampaign(testDb(), t, { budget: 10, hoursRunning: 10 });
    const id = await insertOpportunity(t, campaign, { type: 'low_conversion', severity: 'high', hoursAgo: 1 });
    const stranger = await clients();
    expect((await stranger.viewer.get(`/api/opportunities/${id}`)).status).toBe(404);
    expect((await stranger.viewer.get('/api/opportunities')).body.data).toEqual([]);
    for (const verb of ['start', 'resolve', 'dismiss']) {
      expect((await stranger.member.post(`/api/opportunities/${id}/${verb}`)).status, verb).toBe(404);
      expect((await stranger.member.post(`/api/opportunities/${crypto.randomUUID()}/${verb}`)).status).toBe(404);
    }
    expect((await stranger.viewer.get('/api/opportunities/not-an-id')).status).toBe(404);
    const [row] = await testDb().session((s) =>
      s.query<{ status: string }>('SELECT status FROM optimization_opportunities WHERE id = $1', [id]),
    );
    expect(row!.status).toBe('open');
  });
});
