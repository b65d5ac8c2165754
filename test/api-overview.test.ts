// /api/overview over real HTTP: the dashboard's figures equal what the ledger, the opportunities
// and the cycles hold (counted here from the API's own lists), and `days` limits the action counts.
import { describe, expect, it } from 'vitest';
import { pauseScaleSuggestWorld } from './support/scenario.ts';
import { apiClient, useTestApi } from './support/test-api.ts';

interface Action {
  id: string;
  action_type: string;
  status: string;
  executed_at: string | null;
  confidence_score: number | null;
}

describe('/api/overview', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  it('shows zeros for a new tenant, to viewers and up only', async () => {
    const { viewer } = await clients();
    const response = await viewer.get('/api/overview');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      days: 30,
      since: expect.any(String),
      total_actions: 0,
      campaigns_paused: 0,
      campaigns_scaled: 0,
      campaigns_posted: 0,
      notifications_sent: 0,
      rolled_back: 0,
      average_confidence: null,
      pending_suggestions: 0,
      open_opportunities: 0,
      opportunities_in_progress: 0,
      last_cycle_at: null,
      last_cycle_status: null,
    });
    const since = Date.parse(response.body.since);
    expect(Math.abs(Date.now() - 30 * 86_400_000 - since)).toBeLessThan(60_000);
    expect((await apiClient(api(), null).get('/api/overview')).status).toBe(401);
  });

  it('adds up exactly what the ledger and the opportunities hold', async () => {
    const { t, viewer, member, admin } = await clients();
    const world = await pauseScaleSuggestWorld(testDb(), t);
    const run = await admin.post('/api/cycles');
    // A person rolls the pause back; a second cycle finds the loser again but respects the rollback.
    const ledger: Action[] = (await viewer.get('/api/actions')).body.data;
    const pause = ledger.find((a) => a.action_type === 'auto_pause' && a.status === 'executed')!;
    await admin.post(`/api/actions/${pause.id}/rollback`);
    const second = await admin.post('/api/cycles');
    // Opportunities in each status (of types the cycles did not open themselves).
    for (const [campaign, type, status] of [
      [world.loser, 'audience_mismatch', 'open'],
      [world.winner, 'audience_mismatch', 'in_progress'],
      [world.winner, 'creative_fatigue', 'resolved'],
    ]) {
      await testDb().session((s) =>
        s.query(
          `INSERT INTO optimization_opportunities (tenant_id, campaign_id, opportunity_type, severity, description,
                                                   suggested_action, status)
           VALUES ($1, $2, $3, 'medium', 'described', 'suggested', $4)`,
          [t.tenantId, campaign, type, status],
        ),
      );
    }

    const actions: Action[] = (await viewer.get('/api/actions?limit=200')).body.data;
    const carriedOut = actions.filter((a) => a.action_type !== 'rollback' && a.executed_at !== null);
    const ofType = (type: string) => carriedOut.filter((a) => a.action_type === type).length;
    const mean = carriedOut.reduce((sum, a) => sum + a.confidence_score!, 0) / carriedOut.length;
    const opportunities = (await viewer.get('/api/opportunities')).body.data as { status: string }[];
    const cycles = (await viewer.get('/api/cycles')).body.data as { id: string; started_at: string; status: string }[];

    const { body } = await member.get('/api/overview');
    expect(body).toMatchObject({
      total_actions: actions.filter((a) => a.action_type !== 'rollback').length,
      campaigns_paused: ofType('auto_pause'),
      campaigns_scaled: ofType('auto_scale_up'),
      campaigns_posted: 0,
      notifications_sent: 0,
      rolled_back: actions.filter((a) => a.status === 'rolled_back').length,
      pending_suggestions: actions.filter((a) => a.status === 'pending').length,
      open_opportunities: opportunities.filter((o) => o.status === 'open').length,
      opportunities_in_progress: opportunities.filter((o) => o.status === 'in_progress').length,
      last_cycle_at: cycles[0]!.started_at,
      last_cycle_status: 'completed',
    });
    expect(body.average_confidence).toBeCloseTo(mean, 5);
    // And in plain numbers: the cycle paused one and scaled one, suggested one; the pause was rolled back.
    expect(body).toMatchObject({
      total_actions: 3,
      campaigns_paused: 1,
      campaigns_scaled: 1,
      rolled_back: 1,
      pending_suggestions: 1,
      opportunities_in_progress: 1,
    });
    // The cycles detected opportunities of their own (the losers convert nothing): all counted.
    expect(body.open_opportunities).toBeGreaterThan(1);
    expect(cycles[0]!.id).toBe(second.body.cycle_id);
    expect(cycles.map((c) => c.id)).toContain(run.body.cycle_id);
  });

  it('counts only the actions of the last `days` days; the backlog whatever its age', async () => {
    const { t, viewer } = await clients();
    const { loser, suggested } = await pauseScaleSuggestWorld(testDb(), t);
    await testDb().session((s) =>
      s.query(
        `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, confidence_score,
                                         executed_at, created_at)
         VALUES ($1, $2, 'auto_pause', 'old pause', 'executed', 0.6, now() - interval '40 days', now() - interval '40 days'),
                ($1, $3, 'auto_pause', 'old suggestion', 'pending', 0.7, NULL, now() - interval '45 days'),
                ($1, $2, 'auto_scale_up', 'recent scale', 'executed', 0.9, now() - interval '2 days', now() - interval '2 days')`,
        [t.tenantId, loser, suggested],
      ),
    );
    const month = (await viewer.get('/api/overview')).body;
    expect(month).toMatchObject({
      days: 30,
      total_actions: 1,
      campaigns_paused: 0,
      campaigns_scaled: 1,
      pending_suggestions: 1,
    });
    expect(month.average_confidence).toBeCloseTo(0.9, 5);

    const twoMonths = (await viewer.get('/api/overview?days=60')).body;
    expect(twoMonths).toMatchObject({ days: 60, total_actions: 3, campaigns_paused: 1, campaigns_scaled: 1 });
    expect(twoMonths.average_confidence).toBeCloseTo(0.75, 5);

    expect((await viewer.get('/api/overview?days=1')).body).toMatchObject({
      total_actions: 0,
      average_confidence: null,
    });
    for (const query of ['days=0', 'days=366', 'days=ten', 'since=2026-01-01']) {
      const response = await viewer.get(`/api/overview?${query}`);
      expect(response.status, query).toBe(422);
    }
  });
});
