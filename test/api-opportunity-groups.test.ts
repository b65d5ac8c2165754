// Opportunities per campaign over real HTTP (GET /api/opportunities/by-campaign): one entry per
// campaign, the most severe first and then the most spent on, its findings grouped with the
// suggestions waiting on it; a dismissal with a note, and its undo (reopen); amounts in the
// tenant's currency in what the cycle writes.
import { describe, expect, it } from 'vitest';
import { addStats, createCampaign, steadyDays, type TestTenant } from './support/scenario.ts';
import { expectFieldError, useTestApi } from './support/test-api.ts';

describe('/api/opportunities/by-campaign, dismiss with a note, reopen', () => {
  const { db: testDb, tenantClients: clients } = useTestApi();

  async function insertOpportunity(
    t: TestTenant,
    campaignId: string,
    fields: { type: string; severity: string; status?: string; confidence?: number },
  ): Promise<string> {
    const [row] = await testDb().session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO optimization_opportunities (tenant_id, campaign_id, opportunity_type, severity, description,
                                                 suggested_action, confidence_score, status)
         VALUES ($1, $2, $3, $4, 'described', 'suggested', $6, $5) RETURNING id`,
        [t.tenantId, campaignId, fields.type, fields.severity, fields.status ?? 'open', fields.confidence ?? 0.9],
      ),
    );
    return row!.id;
  }

  const spending = async (t: TestTenant, title: string, spend: number) => {
    const id = await createCampaign(testDb(), t, { title, budget: 50, hoursRunning: 48 });
    await addStats(testDb(), t, id, steadyDays(1, { spend, revenue: spend * 2 }));
    return id;
  };

  it('groups per campaign, most severe first, then the most spent on; findings grouped; pending suggestions linked', async () => {
    const { t, viewer } = await clients();
    const small = await spending(t, 'Small high', 100);
    const big = await spending(t, 'Big high', 900);
    const critical = await spending(t, 'Critical', 10);
    const quiet = await spending(t, 'Only resolved', 5000);
    const bigFindings = [
      await insertOpportunity(t, big, { type: 'low_conversion', severity: 'medium', confidence: 0.99 }),
      await insertOpportunity(t, big, { type: 'audience_mismatch', severity: 'high', confidence: 0.7 }),
      await insertOpportunity(t, big, { type: 'creative_fatigue', severity: 'high', confidence: 0.95 }),
    ];
    await insertOpportunity(t, small, { type: 'low_conversion', severity: 'high' });
    await insertOpportunity(t, critical, { type: 'budget_inefficiency', severity: 'critical', status: 'in_progress' });
    await insertOpportunity(t, quiet, { type: 'low_conversion', severity: 'critical', status: 'resolved' });
    const [pending] = await testDb().session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, expected_impact)
         VALUES ($1, $2, 'auto_pause', 'losing', 'pending', 'Saves $90.00 a day') RETURNING id`,
        [t.tenantId, big],
      ),
    );

    const answer = await viewer.get('/api/opportunities/by-campaign');
    expect(answer.status).toBe(200);
    expect(answer.body.total_campaigns).toBe(3);
    expect(answer.body.data.map((g: { campaign_title: string }) => g.campaign_title)).toEqual([
      'Critical',
      'Big high',
      'Small high',
    ]);
    const [, bigGroup] = answer.body.data;
    expect(bigGroup).toMatchObject({ campaign_id: big, severity: 'high', spend: 900 });
    // Most severe first, then the surest.
    expect(bigGroup.findings.map((f: { id: string }) => f.id)).toEqual([
      bigFindings[2],
      bigFindings[1],
      bigFindings[0],
    ]);
    expect(bigGroup.findings[0]).toMatchObject({ campaign_id: big, status: 'open', dismissal_note: null });
    expect(bigGroup.pending_actions).toEqual([
      {
        id: pending!.id,
        action_type: 'auto_pause',
        expected_impact: 'Saves $90.00 a day',
        created_at: expect.any(String),
      },
    ]);
    expect(answer.body.data[0].pending_actions).toEqual([]);

    const limited = await viewer.get('/api/opportunities/by-campaign?limit=1');
    expect(limited.body).toMatchObject({ total_campaigns: 3, data: [{ campaign_title: 'Critical' }] });
    const resolved = await viewer.get('/api/opportunities/by-campaign?status=resolved');
    expect(resolved.body.data.map((g: { campaign_id: string }) => g.campaign_id)).toEqual([quiet]);
    const mediumOnly = await viewer.get('/api/opportunities/by-campaign?severity=medium');
    expect(mediumOnly.body.data).toHaveLength(1);
    expect(mediumOnly.body.data[0]).toMatchObject({
      campaign_id: big,
      severity: 'medium',
      findings: [{ id: bigFindings[0] }],
    });

    for (const [query, field] of [
      ['status=closed', 'status'],
      ['severity=urgent', 'severity'],
      ['opportunity_type=vibes', 'opportunity_type'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=abc', 'cursor'],
    ] as const) {
      expectFieldError(await viewer.get(`/api/opportunities/by-campaign?${query}`), field, query);
    }
  });

  it('dismisses with a note, and undoes it: open again, the note cleared', async () => {
    const { t, viewer, member } = await clients();
    const campaign = await spending(t, 'Noted', 100);
    const id = await insertOpportunity(t, campaign, { type: 'low_conversion', severity: 'high' });
    const path = `/api/opportunities/${id}`;

    expectFieldError(await member.post(`${path}/dismiss`, { note: 'x'.repeat(1001) }), 'note');
    expectFieldError(await member.post(`${path}/dismiss`, { note: '   ' }), 'note');
    expectFieldError(await member.post(`${path}/dismiss`, { reason: 'typo' }), 'reason');
    expect((await viewer.get(path)).body.status).toBe('open');
    expect((await viewer.post(`${path}/dismiss`, { note: 'no' })).status).toBe(403);

    const dismissed = await member.post(`${path}/dismiss`, { note: '  Seasonal dip, expected in March  ' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', dismissal_note: 'Seasonal dip, expected in March' });
    const shown = await viewer.get('/api/opportunities/by-campaign?status=dismissed');
    expect(shown.body.data[0].findings[0]).toMatchObject({ id, dismissal_note: 'Seasonal dip, expected in March' });

    expect((await viewer.post(`${path}/reopen`)).status).toBe(403);
    const reopened = await member.post(`${path}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', dismissal_note: null });
    expect((await member.post(`${path}/reopen`)).status).toBe(409);

    // Without a note, as before.
    expect((await member.post(`${path}/dismiss`)).body).toMatchObject({ status: 'dismissed', dismissal_note: null });
  });

  it('refuses to reopen while a newer opportunity of the same type is live for the campaign', async () => {
    const { t, member } = await clients();
    const campaign = await spending(t, 'Twice', 100);
    const old = await insertOpportunity(t, campaign, { type: 'low_conversion', severity: 'high', status: 'dismissed' });
    await insertOpportunity(t, campaign, { type: 'low_conversion', severity: 'medium' });
    const refused = await member.post(`/api/opportunities/${old}/reopen`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/newer opportunity of this type/);
    const resolved = await insertOpportunity(t, campaign, {
      type: 'audience_mismatch',
      severity: 'low',
      status: 'resolved',
    });
    expect((await member.post(`/api/opportunities/${resolved}/reopen`)).status).toBe(409);
  });

  it('states amounts in the tenant’s currency in what the cycle finds', async () => {
    const { t, viewer, admin } = await clients();
    await testDb().session((s) => s.query("UPDATE tenants SET currency = 'EUR' WHERE id = $1", [t.tenantId]));
    // Lifetime spend past the budget-inefficiency threshold at ROI 0.6 (not enough to pause alone).
    const campaign = await createCampaign(testDb(), t, { title: 'Leaking', budget: 500, hoursRunning: 72 });
    await addStats(testDb(), t, campaign, steadyDays(2, { spend: 553.19, revenue: 331.91, conversions: 2 }));
    await admin.post('/api/cycles');
    const groups = (await viewer.get('/api/opportunities/by-campaign?opportunity_type=budget_inefficiency')).body.data;
    expect(groups[0].findings[0].description).toContain('spent €1,106.38 at ROI');
  });
});
