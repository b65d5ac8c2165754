// /api/actions over real HTTP: the ledger a cycle run over the API writes, read in filtered cursor
// pages; roll back (admins), approve and dismiss (members) with their real effect on the campaign;
// 409 for a wrong status, for doing it twice, and for a campaign changed since (with expected and
// actual); 404 for unknown and foreign ids.
import { describe, expect, it } from 'vitest';
import { pauseScaleSuggestWorld, type TestTenant } from './support/scenario.ts';
import { type ApiClient, apiClient, idsByPage, tokenFor, useTestApi } from './support/test-api.ts';

interface Action {
  id: string;
  campaign_id: string;
  action_type: string;
  status: string;
  rule_name: string | null;
  created_at: string;
  [field: string]: unknown;
}

describe('/api/actions', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  /** The pause/scale/suggest world after one cycle run over the API, with its three actions. */
  async function afterCycle() {
    const c = await clients();
    const world = await pauseScaleSuggestWorld(testDb(), c.t);
    const cycle = await c.admin.post('/api/cycles');
    expect(cycle.status).toBe(201);
    const ledger: Action[] = (await c.viewer.get('/api/actions')).body.data;
    const of = (campaign: string) => ledger.find((a) => a.campaign_id === campaign)!;
    return {
      ...c,
      ...world,
      cycleId: cycle.body.cycle_id as string,
      ledger,
      pause: of(world.loser),
      scale: of(world.winner),
      suggestion: of(world.suggested),
    };
  }
  const campaign = async (client: ApiClient, id: string) => (await client.get(`/api/campaigns/${id}`)).body;
  const ledgerRows = (t: TestTenant) =>
    testDb().session((s) =>
      s.query<{ action_type: string; status: string }>(
        'SELECT action_type, status FROM autonomous_actions WHERE tenant_id = $1 ORDER BY created_at, id',
        [t.tenantId],
      ),
    );

  it('lists what the cycle did, newest first, each action with its campaign, rule and reason', async () => {
    const { viewer, ledger, pause, scale, suggestion, loser, cycleId } = await afterCycle();
    expect(ledger).toHaveLength(3);
    expect(pause).toMatchObject({
      action_type: 'auto_pause',
      status: 'executed',
      rule_name: 'Critical ROI Pause',
      campaign_title: 'Campaign',
      cycle_id: cycleId,
      previous_state: { status: 'active', budget: 200 },
      new_state: { status: 'paused', budget: 200 },
      reason: expect.stringMatching(/matched "Critical ROI Pause"/),
      expected_impact: expect.any(String),
      executed_at: expect.any(String),
      rolled_back_at: null,
      decided_by: null,
    });
    expect(pause.confidence_score).toBeGreaterThan(0);
    expect(pause.confidence_score).toBeLessThanOrEqual(1);
    expect(pause).not.toHaveProperty('sort_key');
    expect(pause).not.toHaveProperty('tenant_id');
    expect(scale).toMatchObject({ action_type: 'auto_scale_up', status: 'executed', new_state: { budget: 150 } });
    expect(suggestion).toMatchObject({ action_type: 'auto_pause', status: 'pending', executed_at: null });
    expect((await campaign(viewer, loser)).status).toBe('paused');

    const one = await viewer.get(`/api/actions/${pause.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(pause);
  });

  it('rolls back (admins only): the campaign is active again, the ledger records it, a second rollback is a 409', async () => {
    const { t, viewer, member, admin, pause, loser } = await afterCycle();
    const path = `/api/actions/${pause.id}/rollback`;
    expect((await viewer.post(path)).status).toBe(403);
    expect((await member.post(path)).status).toBe(403);
    expect((await apiClient(api(), null).post(path)).status).toBe(401);
    expect((await campaign(viewer, loser)).status).toBe('paused');

    const rolledBack = await admin.post(path);
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ id: pause.id, status: 'rolled_back', rolled_back_at: expect.any(String) });
    expect(rolledBack.body.executed_at).toBe(pause.executed_at);
    expect((await campaign(viewer, loser)).status).toBe('active');

    const undo = (await viewer.get('/api/actions?action_type=rollback')).body.data;
    expect(undo).toHaveLength(1);
    expect(undo[0]).toMatchObject({
      campaign_id: loser,
      status: 'executed',
      rule_name: 'Critical ROI Pause',
      previous_state: { status: 'paused', budget: 200 },
      new_state: { status: 'active', budget: 200 },
      reason: expect.stringContaining(`Rolled back auto_pause ${pause.id}`),
    });

    const again = await admin.post(path);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body.detail).toMatch(/already rolled back/);
    expect(await ledgerRows(t)).toHaveLength(4);
    expect((await campaign(viewer, loser)).status).toBe('active');
  });

  it('records the deciding user when the token names a member of the tenant', async () => {
    const { t, viewer, scale } = await afterCycle();
    const userId = await testDb().transaction(async (s) => {
      const [user] = await s.query<{ id: string }>(
        "INSERT INTO users (email) VALUES ($1 || '@example.com') RETURNING id",
        [crypto.randomUUID()],
      );
      await s.query("INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'admin')", [
        t.tenantId,
        user!.id,
      ]);
      return user!.id;
    });
    const person = apiClient(api(), await tokenFor(testDb(), t.tenantId, 'admin', userId));
    const rolledBack = await person.post(`/api/actions/${scale.id}/rollback`);
    expect(rolledBack.body).toMatchObject({ status: 'rolled_back', rolled_back_by: userId });
    const undo = (await viewer.get('/api/actions?action_type=rollback')).body.data[0];
    expect(undo.decided_by).toBe(userId);
  });

  it('approves a suggestion (members): the campaign is paused; approving or dismissing it again is a 409', async () => {
    const { viewer, member, suggestion, suggested } = await afterCycle();
    const path = `/api/actions/${suggestion.id}/approve`;
    expect((await viewer.post(path)).status).toBe(403);
    expect((await campaign(viewer, suggested)).status).toBe('active');

    const approved = await member.post(path);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: suggestion.id, status: 'executed', executed_at: expect.any(String) });
    expect((await campaign(viewer, suggested)).status).toBe('paused');

    const twice = await member.post(path);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/already executed/);
    const dismiss = await member.post(`/api/actions/${suggestion.id}/dismiss`);
    expect(dismiss.status).toBe(409);
    expect(dismiss.body.detail).toBe('only pending suggestions can be dismissed; this one is executed');
  });

  it('dismisses a suggestion (members): nothing changes on the campaign; it cannot be approved after', async () => {
    const { viewer, member, admin, suggestion, suggested, scale } = await afterCycle();
    expect((await viewer.post(`/api/actions/${suggestion.id}/dismiss`)).status).toBe(403);
    const dismissed = await member.post(`/api/actions/${suggestion.id}/dismiss`);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', executed_at: null });
    expect(await campaign(viewer, suggested)).toMatchObject({ status: 'active', version: 1 });
    expect((await member.post(`/api/actions/${suggestion.id}/approve`)).status).toBe(409);
    expect((await member.post(`/api/actions/${suggestion.id}/dismiss`)).status).toBe(409);
    // Only an executed action can be rolled back; a pending one can only be approved or dismissed.
    expect((await admin.post(`/api/actions/${suggestion.id}/rollback`)).status).toBe(409);
    expect((await member.post(`/api/actions/${scale.id}/approve`)).body.detail).toBe(
      'the action is already executed: nothing was changed',
    );
    await admin.post(`/api/actions/${scale.id}/rollback`);
    const rolledBack = await member.post(`/api/actions/${scale.id}/approve`);
    expect(rolledBack.status).toBe(409);
    expect(rolledBack.body.detail).toBe('only pending suggestions can be approved; this one is rolled_back');
  });

  it('answers 409 with expected and actual when the campaign changed since the action', async () => {
    const { viewer, member, admin, suggestion, suggested, scale, winner } = await afterCycle();
    // Someone pauses the suggested campaign by hand: the suggestion no longer applies.
    const edited = await member.patch(`/api/campaigns/${suggested}`, { status: 'paused', version: 1 });
    expect(edited.status).toBe(200);
    const approve = await member.post(`/api/actions/${suggestion.id}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.headers.get('content-type')).toBe('application/problem+json');
    expect(approve.body).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: 'cannot approve: the campaign changed since (status is paused, expected active)',
      instance: `/api/actions/${suggestion.id}/approve`,
      expected: { status: 'active', budget: 200 },
      actual: { status: 'paused', budget: 200 },
    });
    expect(approve.body.errors).toEqual([
      { field: 'status', message: 'expected active, is paused' },
      { field: 'budget', message: 'expected 200, is 200' },
    ]);
    expect((await viewer.get(`/api/actions/${suggestion.id}`)).body.status).toBe('pending');

    // The scaled campaign's budget is edited: rolling the scale back would undo that edit.
    const { version } = await campaign(viewer, winner);
    await member.patch(`/api/campaigns/${winner}`, { budget: 120, version });
    const rollback = await admin.post(`/api/actions/${scale.id}/rollback`);
    expect(rollback.status).toBe(409);
    expect(rollback.body).toMatchObject({
      expected: { status: 'active', budget: 150 },
      actual: { status: 'active', budget: 120 },
    });
    expect(await campaign(viewer, winner)).toMatchObject({ budget: 120 });
    expect((await viewer.get(`/api/actions/${scale.id}`)).body.status).toBe('executed');
  });

  it('answers 404 for an unknown, malformed or foreign action id, for reads and changes alike', async () => {
    const { pause, suggestion } = await afterCycle();
    const stranger = await clients();
    for (const path of [`/api/actions/${pause.id}`, `/api/actions/${crypto.randomUUID()}`, '/api/actions/not-an-id']) {
      expect((await stranger.viewer.get(path)).status, path).toBe(404);
    }
    expect((await stranger.admin.post(`/api/actions/${pause.id}/rollback`)).status).toBe(404);
    expect((await stranger.member.post(`/api/actions/${suggestion.id}/approve`)).status).toBe(404);
    expect((await stranger.member.post(`/api/actions/${suggestion.id}/dismiss`)).status).toBe(404);
    expect((await stranger.admin.post(`/api/actions/${crypto.randomUUID()}/rollback`)).status).toBe(404);
    expect((await stranger.viewer.get('/api/actions')).body.data).toEqual([]);
  });

  it('filters by status, type, campaign, rule, cycle and dates, and pages newest first', async () => {
    const { t, viewer, admin, ledger, pause, scale, suggestion, loser, cycleId } = await afterCycle();
    await admin.post(`/api/actions/${pause.id}/rollback`);
    // An old action, recorded 40 days ago.
    await testDb().session((s) =>
      s.query(
        `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, created_at)
         VALUES ($1, $2, 'notify', 'old', 'executed', now() - interval '40 days')`,
        [t.tenantId, loser],
      ),
    );
    const ids = async (query: string) =>
      (await viewer.get(`/api/actions?${query}`)).body.data.map((a: Action) => a.id) as string[];

    const all: Action[] = (await viewer.get('/api/actions')).body.data;
    expect(all).toHaveLength(5);
    const times = all.map((a) => a.created_at);
    expect([...times].sort().reverse()).toEqual(times);

    expect(await ids('status=pending')).toEqual([suggestion.id]);
    expect(await ids('status=rolled_back')).toEqual([pause.id]);
    expect(await ids('action_type=auto_scale_up')).toEqual([scale.id]);
    expect((await ids(`campaign_id=${loser}`)).sort()).toHaveLength(3);
    expect((await ids(`cycle_id=${cycleId}`)).sort()).toEqual(ledger.map((a) => a.id).sort());
    const scaleRule = scale.rule_id as string;
    expect(await ids(`rule_id=${scaleRule}`)).toEqual([scale.id]);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(await ids(`to=${day(-30)}`)).toHaveLength(1);
    expect(await ids(`from=${day(-30)}`)).toHaveLength(4);
    expect(await ids(`from=${day(-41)}&to=${day(-39)}`)).toHaveLength(1);
    expect(await ids(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).toEqual([]);

    expect(await idsByPage(viewer, '/api/actions', 2)).toEqual(all.map((a) => a.id));

    for (const [query, field] of [
      ['status=bogus', 'status'],
      ['action_type=drop_table', 'action_type'],
      ['campaign_id=1', 'campaign_id'],
      ['from=yesterday', 'from'],
      [`from=${day(0)}&to=${day(-1)}`, 'to'],
      ['limit=0', 'limit'],
      ['cursor=nope', 'cursor'],
      ['colour=red', 'colour'],
    ] as const) {
      const response = await viewer.get(`/api/actions?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.errors[0], query).toMatchObject({ field, in: 'query' });
    }
  });
});
