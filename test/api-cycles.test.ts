// /api/cycles over real HTTP: a real run (admins) does what the engine does and is recorded; a dry
// run (members) gives the same summary and changes nothing; a backtest (members) replays the days
// asked for; both runs are timed into /metrics; the recorded cycles are listed and read.
import { describe, expect, it } from 'vitest';
import { pauseScaleSuggestWorld, type TestTenant } from './support/scenario.ts';
import { apiClient, TEST_INTERNAL_SECRET, useTestApi } from './support/test-api.ts';

describe('/api/cycles', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();
  const snapshot = (t: TestTenant) =>
    testDb().session((s) =>
      s.query(
        `SELECT (SELECT count(*) FROM autonomous_actions WHERE tenant_id = $1) AS actions,
                (SELECT count(*) FROM autonomous_cycles WHERE tenant_id = $1) AS cycles,
                (SELECT count(*) FROM optimization_opportunities WHERE tenant_id = $1) AS opportunities,
                (SELECT json_agg(json_build_array(id, status, budget, version) ORDER BY id)
                   FROM campaigns WHERE tenant_id = $1) AS campaigns`,
        [t.tenantId],
      ),
    );
  const cycleCount = async (dryRun: boolean) => {
    const metrics = await fetch(`${api().url}/metrics`, { headers: { 'x-internal-secret': TEST_INTERNAL_SECRET } });
    const text = await metrics.text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`nightshift_cycle_duration_seconds_count{dry_run="${dryRun}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('previews the cycle for members: the summary of a real run, and nothing changes', async () => {
    const { t, viewer, member } = await clients();
    const { loser, winner, suggested } = await pauseScaleSuggestWorld(testDb(), t);
    const before = await snapshot(t);
    const observed = await cycleCount(true);

    expect((await viewer.post('/api/cycles/dry-run')).status).toBe(403);
    const dry = await member.post('/api/cycles/dry-run');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      success: true,
      tenant_id: t.tenantId,
      cycle_id: null,
      dry_run: true,
      actions_taken: { campaigns_paused: 1, campaigns_scaled: 1, campaigns_posted: 0 },
      notifications_sent: 0,
      suggestions_created: 1,
      guardrail_stops: [],
    });
    const decided = Object.fromEntries(
      dry.body.decisions.map((d: { campaign_id: string; action_type: string; mode: string }) => [
        d.campaign_id,
        `${d.action_type}/${d.mode}`,
      ]),
    );
    expect(decided).toEqual({
      [loser]: 'auto_pause/execute',
      [winner]: 'auto_scale_up/execute',
      [suggested]: 'auto_pause/suggest',
    });
    expect(await snapshot(t)).toEqual(before);
    expect(await cycleCount(true)).toBe(observed + 1);
    expect((await member.post('/api/cycles/dry-run', { dry: false })).status).toBe(422);
  });

  it('replays a past instant with as_of (docs/replay.md); a bad or future as_of is a 400 naming it', async () => {
    const { t, member } = await clients();
    await pauseScaleSuggestWorld(testDb(), t);
    const before = await snapshot(t);
    // Before any stats were reported, the replay has nothing to judge.
    const past = await member.post('/api/cycles/dry-run?as_of=2020-01-01T00:00:00Z');
    expect(past.status, JSON.stringify(past.body)).toBe(200);
    expect(past.body).toMatchObject({
      dry_run: true,
      cycle_id: null,
      as_of: '2020-01-01T00:00:00.000Z',
      decisions: [],
    });
    const day = await member.post('/api/cycles/dry-run?as_of=2020-01-01');
    expect(day.body.as_of).toBe('2020-01-01T23:59:59.999Z');
    for (const [asOf, message] of [
      ['yesterday', /expects a timestamp with its offset/],
      ['2026-11-20T12:00:00', /expects a timestamp with its offset/],
      ['2026-02-30', /expects a timestamp with its offset/],
      ['2999-01-01T00:00:00Z', /is in the future/],
    ] as const) {
      const refused = await member.post(`/api/cycles/dry-run?as_of=${encodeURIComponent(asOf)}`);
      expect(refused.status, asOf).toBe(400);
      expect(refused.body.errors).toEqual([{ field: 'as_of', in: 'query', message: expect.stringMatching(message) }]);
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('runs the cycle for admins: the summary matches the ledger, the cycle is recorded and can be read', async () => {
    const { t, viewer, member, admin } = await clients();
    const { loser, winner } = await pauseScaleSuggestWorld(testDb(), t);
    const dry = (await member.post('/api/cycles/dry-run')).body;
    const observed = await cycleCount(false);

    expect((await member.post('/api/cycles')).status).toBe(403);
    expect((await apiClient(api(), null).post('/api/cycles')).status).toBe(401);
    const run = await admin.post('/api/cycles');
    expect(run.status).toBe(201);
    expect(run.headers.get('location')).toBe(`/api/cycles/${run.body.cycle_id}`);
    expect(run.body).toMatchObject({ dry_run: false, cycle_id: expect.any(String) });
    // The preview said exactly what the run did.
    const { timestamp: _a, cycle_id: _b, dry_run: _c, ...predicted } = dry;
    const { timestamp: _d, cycle_id: _e, dry_run: _f, ...done } = run.body;
    expect(done).toEqual(predicted);
    expect(await cycleCount(false)).toBe(observed + 1);

    expect((await viewer.get(`/api/campaigns/${loser}`)).body.status).toBe('paused');
    expect((await viewer.get(`/api/campaigns/${winner}`)).body.budget).toBe(150);
    const ledger = (await viewer.get(`/api/actions?cycle_id=${run.body.cycle_id}`)).body.data;
    expect(ledger.map((a: { action_type: string; status: string }) => `${a.action_type}/${a.status}`).sort()).toEqual([
      'auto_pause/executed',
      'auto_pause/pending',
      'auto_scale_up/executed',
    ]);

    const recorded = await viewer.get(`/api/cycles/${run.body.cycle_id}`);
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      id: run.body.cycle_id,
      triggered_by: 'api',
      dry_run: false,
      status: 'completed',
      error: null,
      started_at: expect.any(String),
      finished_at: expect.any(String),
      summary: {
        cycle_id: run.body.cycle_id,
        actions_taken: run.body.actions_taken,
        suggestions_created: 1,
        guardrail_stops: [],
      },
    });
    expect(recorded.body.summary).not.toHaveProperty('decisions');
    expect(recorded.body).not.toHaveProperty('sort_key');

    // Run again at once: everything is already done (paused, scaled in its cooldown, suggestion pending).
    const second = await admin.post('/api/cycles');
    expect(second.body).toMatchObject({
      actions_taken: { campaigns_paused: 0, campaigns_scaled: 0 },
      suggestions_created: 0,
      decisions: [],
    });
    expect(second.body.guardrail_stops.map((s: { guardrail: string }) => s.guardrail)).toEqual(['cooldown']);
    expect((await viewer.get('/api/actions')).body.data).toHaveLength(3);
  });

  it('lists recorded cycles newest first in pages; 404 for unknown and foreign ids', async () => {
    const { t, viewer, admin } = await clients();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await admin.post('/api/cycles')).body.cycle_id);
    // Dry runs are not recorded.
    await admin.post('/api/cycles/dry-run');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await viewer.get(
        `/api/cycles?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await snapshot(t))[0]).toMatchObject({ cycles: 3 });

    const stranger = await clients();
    expect((await stranger.viewer.get('/api/cycles')).body).toEqual({ data: [], next_cursor: null });
    expect((await stranger.viewer.get(`/api/cycles/${ids[0]}`)).status).toBe(404);
    expect((await viewer.get(`/api/cycles/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await viewer.get('/api/cycles/latest')).status).toBe(404);
    expect((await viewer.get('/api/cycles?limit=500')).body.errors[0]).toMatchObject({ field: 'limit' });
  });

  it('backtests for members over the days asked (30 when left out), writing nothing', async () => {
    const { t, viewer, member } = await clients();
    await pauseScaleSuggestWorld(testDb(), t);
    const before = await snapshot(t);
    expect((await viewer.post('/api/cycles/backtest', { days: 7 })).status).toBe(403);

    const week = await member.post('/api/cycles/backtest', { days: 7 });
    expect(week.status).toBe(200);
    expect(week.body.tenant_id).toBe(t.tenantId);
    const span = (body: { from: string; to: string }) => (Date.parse(body.to) - Date.parse(body.from)) / 86_400_000 + 1;
    expect(span(week.body)).toBe(7);
    expect(week.body.to).toBe(new Date().toISOString().slice(0, 10));
    const byRule = Object.fromEntries(week.body.rules.map((r: { rule_name: string }) => [r.rule_name, r]));
    // Replayed with autopilot on: both losers paused, the winner scaled (again each day after its
    // cooldown, so how often depends on the days since the stats).
    expect(byRule['Critical ROI Pause']).toMatchObject({ campaigns_paused: 2, campaigns_scaled: 0 });
    expect(byRule['High ROI Scale'].campaigns_scaled).toBeGreaterThanOrEqual(1);

    const defaulted = await member.post('/api/cycles/backtest');
    expect(defaulted.status).toBe(200);
    expect(span(defaulted.body)).toBe(30);
    expect(span((await member.post('/api/cycles/backtest', {})).body)).toBe(30);

    for (const body of [{ days: 0 }, { days: 91 }, { days: 2.5 }, { days: '7' }, { days: 7, rules: [] }]) {
      const response = await member.post('/api/cycles/backtest', body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.errors[0].field, JSON.stringify(body)).toBe(
        'days' in body && !('rules' in body) ? 'days' : 'rules',
      );
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('backtests switched-off rules too when asked, as if on, and leaves them off', async () => {
    const { t, admin, member } = await clients();
    await pauseScaleSuggestWorld(testDb(), t);
    const rules = (await admin.get('/api/rules')).body.data as { id: string; rule_name: string }[];
    const pause = rules.find((r) => r.rule_name === 'Critical ROI Pause')!;
    expect((await admin.put(`/api/rules/${pause.id}/active`, { is_active: false })).status).toBe(200);
    const before = await snapshot(t);
    const names = (body: { rules: { rule_name: string }[] }) => body.rules.map((r) => r.rule_name);

    const activeOnly = await member.post('/api/cycles/backtest', { days: 7 });
    expect(names(activeOnly.body)).not.toContain('Critical ROI Pause');
    const all = await member.post('/api/cycles/backtest', { days: 7, include_inactive: true });
    expect(all.status).toBe(200);
    const replayed = all.body.rules.find((r: { rule_name: string }) => r.rule_name === 'Critical ROI Pause');
    expect(replayed).toMatchObject({ campaigns_paused: 2 });

    expect((await admin.get(`/api/rules/${pause.id}`)).body.is_active).toBe(false);
    expect(await snapshot(t)).toEqual(before);
    const refused = await member.post('/api/cycles/backtest', { days: 7, include_inactive: 'yes' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('include_inactive');
  });
});
