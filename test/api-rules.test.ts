// /api/rules over real HTTP: list and read, create and replace (validated by the domain's rule
// schema, each bad field named), switch on and off, reorder (every rule exactly once), delete
// (never from under the ledger), and preview (a stored rule or a definition; nothing written),
// with the role each needs. The engine's ruleId option that the preview uses is tested here too.
import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import {
  addStats,
  campaignState,
  createCampaign,
  createTenant,
  lateBloomerDays,
  NOW,
  pauseScaleSuggestWorld,
  steadyDays,
  type TestTenant,
} from './support/scenario.ts';
import { type ApiClient, apiClient, expectFieldError, useTestApi } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const DEFAULT_RULES = ['Critical ROI Pause', 'Low ROI Pause', 'Exceptional ROI Aggressive Scale', 'High ROI Scale'];

const ctrFloor = {
  rule_name: 'CTR floor',
  rule_type: 'pause',
  priority: 95,
  condition: { terms: [{ metric: 'ctr', window: '7d', operator: '<', threshold: 0.005 }], min_spend: 100 },
  action: { type: 'auto_pause' },
};

interface Rule {
  id: string;
  rule_name: string;
  priority: number;
  is_active: boolean;
}

describe('/api/rules', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();
  const rulesOf = async (client: ApiClient): Promise<Rule[]> => (await client.get('/api/rules')).body.data;
  const ruleNamed = async (client: ApiClient, name: string) =>
    (await rulesOf(client)).find((r) => r.rule_name === name)!;

  /** Everything a preview could touch, to compare before and after. */
  const snapshot = (t: TestTenant) =>
    testDb().session((s) =>
      s.query(
        `SELECT (SELECT count(*) FROM autonomous_actions WHERE tenant_id = $1) AS actions,
                (SELECT count(*) FROM autonomous_cycles WHERE tenant_id = $1) AS cycles,
                (SELECT count(*) FROM optimization_opportunities WHERE tenant_id = $1) AS opportunities,
                (SELECT count(*) FROM alerts WHERE tenant_id = $1) AS alerts,
                (SELECT json_agg(json_build_array(id, rule_name, is_active, priority, updated_at) ORDER BY id)
                   FROM autonomous_rules WHERE tenant_id = $1) AS rules,
                (SELECT json_agg(json_build_array(id, status, budget, version) ORDER BY id)
                   FROM campaigns WHERE tenant_id = $1) AS campaigns`,
        [t.tenantId],
      ),
    );

  it('lists the tenant’s rules highest priority first and reads one; viewers may, strangers may not', async () => {
    const { viewer } = await clients();
    const list = await viewer.get('/api/rules');
    expect(list.status).toBe(200);
    const rules: Rule[] = list.body.data;
    expect(rules.map((r) => r.rule_name)).toEqual(DEFAULT_RULES);
    expect(rules.map((r) => r.priority)).toEqual([100, 90, 85, 80]);
    expect(rules[0]).toMatchObject({
      rule_type: 'pause',
      is_active: true,
      condition: { match: 'all', terms: [{ metric: 'roi', window: 'lifetime', operator: '<', threshold: 0.5 }] },
      action: { type: 'auto_pause' },
      created_by: null,
    });
    expect(rules[0]).not.toHaveProperty('tenant_id');

    const one = await viewer.get(`/api/rules/${rules[2]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(rules[2]);

    const scales = await viewer.get('/api/rules?rule_type=scale');
    expect(scales.body.data.map((r: Rule) => r.rule_name)).toEqual(DEFAULT_RULES.slice(2));
    expect((await viewer.get('/api/rules?is_active=false')).body.data).toEqual([]);
    expect((await viewer.get('/api/rules?rule_type=bogus')).body.errors[0]).toMatchObject({ field: 'rule_type' });

    expect((await apiClient(api(), null).get('/api/rules')).status).toBe(401);
    const stranger = (await clients()).viewer;
    expect((await stranger.get(`/api/rules/${rules[0]!.id}`)).status).toBe(404);
    expect((await viewer.get(`/api/rules/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await viewer.get('/api/rules/not-an-id')).status).toBe(404);
  });

  it('lets admins create a rule (normalised, 201 with its location); members and viewers get 403', async () => {
    const { admin, member, viewer } = await clients();
    expect((await member.post('/api/rules', ctrFloor)).status).toBe(403);
    expect((await viewer.post('/api/rules', ctrFloor)).status).toBe(403);

    const flat = {
      rule_name: 'Cheap clicks',
      rule_type: 'notify',
      priority: 10,
      condition: { metric: 'cpc', operator: '<', threshold: 0.1 },
      action: { type: 'notify', severity: 'low' },
    };
    const created = await admin.post('/api/rules', flat);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/rules/${created.body.id}`);
    expect(created.body).toMatchObject({
      rule_name: 'Cheap clicks',
      is_active: true,
      description: null,
      condition: { match: 'all', terms: [{ metric: 'cpc', window: 'lifetime', operator: '<', threshold: 0.1 }] },
      action: { type: 'notify', severity: 'low' },
      // The admin is a real member now (tokens of non-members are refused): the rule names them.
      created_by: (await admin.get('/api/me')).body.user.id,
    });
    expect((await viewer.get(`/api/rules/${created.body.id}`)).body).toEqual(created.body);
    expect((await rulesOf(viewer)).at(-1)!.rule_name).toBe('Cheap clicks');

    const again = await admin.post('/api/rules', { ...ctrFloor, rule_name: 'Cheap clicks' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatchObject({ field: 'rule_name' });
    expect(await rulesOf(viewer)).toHaveLength(5);
  });

  it('names every offending field of a bad rule body and stores nothing', async () => {
    const { admin, viewer } = await clients();
    const cases: [object, string][] = [
      [{ condition: { terms: [{ metric: 'vibes', operator: '<', threshold: 1 }] } }, 'condition.terms.0.metric'],
      [{ condition: { terms: [{ metric: 'roi', operator: '=~', threshold: 1 }] } }, 'condition.terms.0.operator'],
      [
        { condition: { terms: [{ metric: 'roi', window: '3y', operator: '<', threshold: 1 }] } },
        'condition.terms.0.window',
      ],
      [{ condition: { terms: [] } }, 'condition.terms'],
      [{ condition: { metric: 'roi', operator: '<', threshold: 1, min_spend: -5 } }, 'condition.min_spend'],
      [{ condition: { metric: 'roi', operator: '<' } }, 'condition.threshold'],
      [{ condition: undefined }, 'condition'],
      [{ rule_type: 'scale', action: { type: 'auto_scale_up', multiplier: 5 } }, 'action.multiplier'],
      [{ action: { type: 'auto_scale_up', multiplier: 1.5 } }, 'action.type'],
      [{ action: { type: 'self_destruct' } }, 'action.type'],
      [{ priority: 1001 }, 'priority'],
      [{ priority: 1.5 }, 'priority'],
      [{ rule_name: '  ' }, 'rule_name'],
      [{ rule_type: 'delete' }, 'rule_type'],
      [{ sql: 'DROP TABLE campaigns' }, 'sql'],
    ];
    for (const [change, field] of cases) {
      const response = await admin.post('/api/rules', { ...ctrFloor, ...change });
      expectFieldError(response, field, JSON.stringify(change));
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await admin.post('/api/rules', '{"rule_name": ')).status).toBe(400);
    expect((await rulesOf(viewer)).map((r) => r.rule_name)).toEqual(DEFAULT_RULES);
  });

  it('replaces a definition (admins only), keeping is_active unless sent; 404 for unknown or foreign ids', async () => {
    const { admin, member, viewer } = await clients();
    const { body: rule } = await admin.post('/api/rules', { ...ctrFloor, is_active: false });
    expect(rule.is_active).toBe(false);
    const path = `/api/rules/${rule.id}`;
    const changed = { ...ctrFloor, priority: 40, condition: { metric: 'ctr', operator: '<', threshold: 0.01 } };

    expect((await member.put(path, changed)).status).toBe(403);
    const replaced = await admin.put(path, changed);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: rule.id,
      priority: 40,
      is_active: false,
      condition: { match: 'all', terms: [{ metric: 'ctr', window: 'lifetime', operator: '<', threshold: 0.01 }] },
    });
    expect(new Date(replaced.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(rule.updated_at).getTime());
    expect((await admin.put(path, { ...changed, is_active: true })).body.is_active).toBe(true);

    const mismatched = await admin.put(path, { ...changed, action: { type: 'notify' } });
    expect(mismatched.status).toBe(422);
    expect(mismatched.body.errors[0]).toMatchObject({ field: 'action.type', in: 'body' });
    const renamed = await admin.put(path, { ...changed, rule_name: 'Critical ROI Pause' });
    expect(renamed.status).toBe(409);
    expect((await viewer.get(path)).body).toMatchObject({ rule_name: 'CTR floor', priority: 40, is_active: true });

    expect((await admin.put(`/api/rules/${crypto.randomUUID()}`, changed)).status).toBe(404);
    const stranger = (await clients()).admin;
    expect((await stranger.put(path, changed)).status).toBe(404);
    expect((await viewer.get(path)).body.priority).toBe(40);
  });

  it('switches a rule off and on (admins only), and an inactive rule no longer acts', async () => {
    const { t, admin, member, viewer } = await clients();
    const { loser } = await pauseScaleSuggestWorld(testDb(), t);
    const critical = await ruleNamed(viewer, 'Critical ROI Pause');
    const path = `/api/rules/${critical.id}/active`;

    expect((await member.put(path, { is_active: false })).status).toBe(403);
    const off = await admin.put(path, { is_active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: critical.id, is_active: false });
    expect((await viewer.get('/api/rules?is_active=false')).body.data.map((r: Rule) => r.id)).toEqual([critical.id]);
    expect(
      (await member.post('/api/cycles/dry-run')).body.decisions.map((d: { rule: string }) => d.rule),
    ).not.toContain('Critical ROI Pause');

    expect((await admin.put(path, { is_active: true })).body.is_active).toBe(true);
    const dry = await member.post('/api/cycles/dry-run');
    expect(dry.body.decisions).toContainEqual(
      expect.objectContaining({ campaign_id: loser, rule: 'Critical ROI Pause', action_type: 'auto_pause' }),
    );

    expect((await admin.put(path, { is_active: 'no' })).body.errors[0]).toMatchObject({ field: 'is_active' });
    expect((await admin.put(path, {})).status).toBe(422);
    expect((await admin.put(`/api/rules/${crypto.randomUUID()}/active`, { is_active: false })).status).toBe(404);
  });

  it('reorders: every rule once, highest first; the order and distinct priorities stick', async () => {
    const { admin, member, viewer } = await clients();
    // Two more rules tied with a default rule's priority.
    await admin.post('/api/rules', { ...ctrFloor, priority: 80 });
    await admin.post('/api/rules', { ...ctrFloor, rule_name: 'Tied', priority: 80 });
    const before = await rulesOf(viewer);
    const wanted = [...before].reverse().map((r) => r.id);

    expect((await member.post('/api/rules/reorder', { rule_ids: wanted })).status).toBe(403);
    const reordered = await admin.post('/api/rules/reorder', { rule_ids: wanted });
    expect(reordered.status).toBe(200);
    expect(reordered.body.data.map((r: Rule) => r.id)).toEqual(wanted);
    const priorities = reordered.body.data.map((r: Rule) => r.priority);
    expect(priorities).toEqual([100, 90, 85, 82, 81, 80]);
    expect(await rulesOf(viewer)).toEqual(reordered.body.data);

    expect((await rulesOf(viewer)).map((r) => r.rule_name)).toEqual([
      'Tied',
      'High ROI Scale',
      'CTR floor',
      'Exceptional ROI Aggressive Scale',
      'Low ROI Pause',
      'Critical ROI Pause',
    ]);
  });

  it('refuses a reorder that does not name every rule exactly once, naming rule_ids, and changes nothing', async () => {
    const { admin, viewer } = await clients();
    const stranger = await clients();
    const ids = (await rulesOf(viewer)).map((r) => r.id);
    const foreign = (await rulesOf(stranger.viewer))[0]!.id;
    const cases: [unknown, string][] = [
      [{ rule_ids: ids.slice(1) }, 'rule_ids'],
      [{ rule_ids: [...ids, ids[0]] }, 'rule_ids'],
      [{ rule_ids: [...ids.slice(1), foreign] }, 'rule_ids'],
      [{ rule_ids: [...ids, crypto.randomUUID()] }, 'rule_ids'],
      [{ rule_ids: [] }, 'rule_ids'],
      [{ rule_ids: ['not-an-id', ...ids.slice(1)] }, 'rule_ids.0'],
      [{}, 'rule_ids'],
      [{ rule_ids: ids, extra: true }, 'extra'],
    ];
    const before = await rulesOf(viewer);
    for (const [body, field] of cases) {
      const response = await admin.post('/api/rules/reorder', body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.errors[0], JSON.stringify(body)).toMatchObject({ field, in: 'body' });
    }
    expect(await rulesOf(viewer)).toEqual(before);
    expect(await rulesOf(stranger.viewer)).toHaveLength(4);
  });

  it('deletes a rule the ledger never refers to; one that acted answers 409 and stays', async () => {
    const { t, admin, member, viewer } = await clients();
    await pauseScaleSuggestWorld(testDb(), t);
    const { body: unused } = await admin.post('/api/rules', ctrFloor);
    expect((await member.delete(`/api/rules/${unused.id}`)).status).toBe(403);
    const deleted = await admin.delete(`/api/rules/${unused.id}`);
    expect(deleted.status).toBe(204);
    expect((await viewer.get(`/api/rules/${unused.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/rules/${unused.id}`)).status).toBe(404);
    // The name is free again.
    expect((await admin.post('/api/rules', ctrFloor)).status).toBe(201);

    expect((await admin.post('/api/cycles')).status).toBe(201);
    const critical = await ruleNamed(viewer, 'Critical ROI Pause');
    const refused = await admin.delete(`/api/rules/${critical.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/took 2 action\(s\) in the ledger: deactivate it/);
    expect((await viewer.get(`/api/rules/${critical.id}`)).status).toBe(200);
    const ledger = (await viewer.get(`/api/actions?rule_id=${critical.id}`)).body.data;
    expect(ledger).toHaveLength(2);
    expect(ledger.every((a: { rule_name: string }) => a.rule_name === 'Critical ROI Pause')).toBe(true);

    const stranger = (await clients()).admin;
    expect((await stranger.delete(`/api/rules/${critical.id}`)).status).toBe(404);
  });

  it('previews a stored rule: its decisions alone, in their modes, and nothing is written', async () => {
    const { t, member, viewer } = await clients();
    const { loser, winner, suggested } = await pauseScaleSuggestWorld(testDb(), t);
    const critical = await ruleNamed(viewer, 'Critical ROI Pause');
    const before = await snapshot(t);

    expect((await viewer.post(`/api/rules/${critical.id}/preview`)).status).toBe(403);
    const preview = await member.post(`/api/rules/${critical.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ rule_id: critical.id, rule_name: 'Critical ROI Pause', guardrail_stops: [] });
    const decisions = [...preview.body.decisions].sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : 1));
    expect(decisions).toEqual(
      [
        { id: loser, mode: 'execute' },
        { id: suggested, mode: 'suggest' },
      ]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map(({ id, mode }) => ({
          campaign_id: id,
          title: 'Campaign',
          rule: 'Critical ROI Pause',
          action_type: 'auto_pause',
          mode,
          previous_state: { status: 'active', budget: 200, roi: 0.25 },
          new_state: { status: 'paused', budget: 200, roi: 0.25 },
          confidence: expect.any(Number),
          reason: expect.stringMatching(/matched "Critical ROI Pause": paused to stop losses/),
          // 7 days at $400 a day, at ROI 0.25 shrunk a little toward the tenant's others: about
          // $2,000 of spend saved net of the revenue forgone.
          expected_value: {
            confidence: expect.closeTo(1, 2),
            expected_gain: expect.closeTo(2_000, -2),
            expected_loss: expect.closeTo(0, 0),
            net: expect.closeTo(2_000, -2),
            spend_at_stake: 2_800,
            horizon_days: 7,
          },
        })),
    );

    const scale = await member.post(`/api/rules/${(await ruleNamed(viewer, 'High ROI Scale')).id}/preview`);
    expect(scale.body.decisions).toEqual([
      expect.objectContaining({
        campaign_id: winner,
        action_type: 'auto_scale_up',
        new_state: expect.objectContaining({ budget: 150 }),
      }),
    ]);
    expect(scale.body.decisions[0].confidence).toBeGreaterThanOrEqual(0.75);

    expect(await snapshot(t)).toEqual(before);
    expect(await campaignState(testDb(), t, loser)).toMatchObject({ status: 'active', version: 1 });
    expect((await member.post(`/api/rules/${crypto.randomUUID()}/preview`)).status).toBe(404);
    expect((await member.post(`/api/rules/${critical.id}/preview`, { anything: 1 })).status).toBe(422);
  });

  it('previews with a backtest of the rule alone: the money, a negative net flagged, ?days validated', async () => {
    const { t, member, viewer } = await clients();
    // Pauses act at any confidence, so the pause comes on the first evening the rule matches.
    await testDb().session((s) =>
      s.query(`UPDATE tenants SET settings = '{"guardrails": {"min_pause_confidence": 0}}' WHERE id = $1`, [
        t.tenantId,
      ]),
    );
    const bloomer = await createCampaign(testDb(), t, { title: 'Late bloomer', budget: 50, hoursRunning: 240 });
    await addStats(testDb(), t, bloomer, lateBloomerDays(), new Date());
    const critical = await ruleNamed(viewer, 'Critical ROI Pause');
    const before = await snapshot(t);
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

    const preview = await member.post(`/api/rules/${critical.id}/preview?days=10`);
    expect(preview.status).toBe(200);
    // Paused the evening of its first day, nine days ago: nine days of ROI 2 forgone.
    const figures = {
      campaigns_paused: 1,
      campaigns_scaled: 0,
      spend_saved: 450,
      revenue_forgone: 900,
      spend_added: 0,
      revenue_gained: 0,
      net: -450,
      net_negative: true,
      paused_proved_good: 1,
      scaled_proved_bad: 0,
      undetermined: 0,
    };
    expect(preview.body.backtest).toEqual({
      tenant_id: t.tenantId,
      from: day(9),
      to: day(0),
      horizon_days: 14,
      rules: [{ rule_name: 'Critical ROI Pause', ...figures }],
      total: figures,
    });
    // The fields the preview had are all still there.
    expect(Object.keys(preview.body).sort()).toEqual(
      ['backtest', 'decisions', 'evaluated_at', 'guardrail_stops', 'rule_id', 'rule_name'].sort(),
    );

    // 14 days unless told; a rule that never acts reports zeros.
    const scale = await member.post(`/api/rules/${(await ruleNamed(viewer, 'High ROI Scale')).id}/preview`);
    expect(scale.body.backtest).toMatchObject({ from: day(13), to: day(0), rules: [] });
    expect(scale.body.backtest.total).toMatchObject({ campaigns_paused: 0, campaigns_scaled: 0, net: 0 });

    // An unsaved definition is backtested the same way.
    const definition = {
      rule_name: 'Eager pause',
      rule_type: 'pause',
      priority: 1,
      condition: { metric: 'roi', operator: '<', threshold: 0.5, min_spend: 50 },
      action: { type: 'auto_pause' },
    };
    const unsaved = await member.post('/api/rules/preview?days=10', definition);
    expect(unsaved.status).toBe(200);
    expect(unsaved.body.backtest.rules).toEqual([{ rule_name: 'Eager pause', ...figures }]);

    for (const days of ['0', '91', '2.5', 'ten', '']) {
      expectFieldError(await member.post(`/api/rules/${critical.id}/preview?days=${days}`), 'days', `days=${days}`);
      expectFieldError(await member.post(`/api/rules/preview?days=${days}`, definition), 'days', `days=${days}`);
    }
    expectFieldError(await member.post(`/api/rules/${critical.id}/preview?horizon=3`), 'horizon');
    expect(await snapshot(t)).toEqual(before);
  });

  it('previews an inactive rule as if switched on, and leaves it off', async () => {
    const { t, admin, member, viewer } = await clients();
    const { loser, suggested } = await pauseScaleSuggestWorld(testDb(), t);
    const critical = await ruleNamed(viewer, 'Critical ROI Pause');
    await admin.put(`/api/rules/${critical.id}/active`, { is_active: false });
    const before = await snapshot(t);
    const preview = await member.post(`/api/rules/${critical.id}/preview`);
    expect(preview.body.decisions.map((d: { campaign_id: string }) => d.campaign_id).sort()).toEqual(
      [loser, suggested].sort(),
    );
    expect(await snapshot(t)).toEqual(before);
    expect((await viewer.get(`/api/rules/${critical.id}`)).body.is_active).toBe(false);
  });

  it('previews an unsaved definition (even one named like a stored rule), with the guardrails that stop it', async () => {
    const { t, member, viewer } = await clients();
    const { loser, suggested, winner } = await pauseScaleSuggestWorld(testDb(), t);
    // Spent $30 only: the min_spend guardrail ($50 before any pause) stops a rule that matches it.
    const small = await createCampaign(testDb(), t, { title: 'Small', budget: 50, hoursRunning: 72 });
    await addStats(testDb(), t, small, steadyDays(3, { spend: 10, revenue: 5 }));
    const before = await snapshot(t);

    const definition = {
      rule_name: 'Critical ROI Pause',
      rule_type: 'pause',
      priority: 1,
      condition: { metric: 'roi', operator: '<', threshold: 1 },
      action: { type: 'auto_pause' },
    };
    const preview = await member.post('/api/rules/preview', definition);
    expect(preview.status).toBe(200);
    expect(preview.body.rule_id).toBeNull();
    expect(preview.body.rule_name).toBe('Critical ROI Pause');
    expect(preview.body.decisions.map((d: { campaign_id: string }) => d.campaign_id).sort()).toEqual(
      [loser, suggested].sort(),
    );
    expect(preview.body.decisions.map((d: { campaign_id: string }) => d.campaign_id)).not.toContain(winner);
    expect(preview.body.guardrail_stops).toEqual([
      {
        campaign_id: small,
        title: 'Small',
        rule: 'Critical ROI Pause',
        guardrail: 'min_spend',
        detail: expect.stringMatching(/spent \$30\.00 of the \$50\.00 required before a pause/),
      },
    ]);
    expect(await snapshot(t)).toEqual(before);
    expect((await rulesOf(viewer)).map((r) => r.rule_name)).toEqual(DEFAULT_RULES);

    const bad = await member.post('/api/rules/preview', { ...definition, condition: { metric: 'vibes' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('condition.metric');
    expect((await viewer.post('/api/rules/preview', definition)).status).toBe(403);
  });

  it('documents the rule body’s real fields in OpenAPI', async () => {
    const { body: document } = await apiClient(api(), null).get('/openapi.json');
    const body = document.paths['/api/rules'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual([
      'rule_name',
      'rule_type',
      'description',
      'priority',
      'is_active',
      'condition',
      'action',
    ]);
    const [terms, flat] = body.properties.condition.anyOf;
    expect(Object.keys(terms.properties)).toEqual([
      'match',
      'terms',
      'min_spend',
      'min_conversions',
      'min_hours_running',
    ]);
    expect(terms.properties.terms.items.properties.metric.enum).toContain('reply_rate');
    expect(flat.required).toEqual(['metric', 'operator', 'threshold']);
    expect(body.properties.action.oneOf).toHaveLength(4);
    expect(document.paths['/api/rules/{id}/preview'].post.responses['200']).toBeDefined();
  });
});

describe('the cycle restricted to one rule (the ruleId option)', () => {
  const testDb = useTestDb();

  it('decides with that rule only, as if it were the only one', async () => {
    const t = await createTenant(testDb());
    const { loser, winner, suggested } = await pauseScaleSuggestWorld(testDb(), t);
    const rules = await testDb().session((s) =>
      s.query<{ id: string; rule_name: string }>('SELECT id, rule_name FROM autonomous_rules WHERE tenant_id = $1', [
        t.tenantId,
      ]),
    );
    const idOf = (name: string) => rules.find((r) => r.rule_name === name)!.id;
    const decided = async (ruleId?: string) =>
      (await runCycle(testDb(), t.tenantId, { now: NOW, dryRun: true, ruleId })).decisions
        .map(
          (d) =>
            `${d.campaign_id === loser ? 'loser' : d.campaign_id === winner ? 'winner' : d.campaign_id === suggested ? 'suggested' : '?'}:${d.rule}`,
        )
        .sort();

    expect(await decided()).toEqual([
      'loser:Critical ROI Pause',
      'suggested:Critical ROI Pause',
      'winner:High ROI Scale',
    ]);
    expect(await decided(idOf('Critical ROI Pause'))).toEqual([
      'loser:Critical ROI Pause',
      'suggested:Critical ROI Pause',
    ]);
    expect(await decided(idOf('High ROI Scale'))).toEqual(['winner:High ROI Scale']);
    // Alone, Low ROI Pause (ROI under 1 over 48 h and lifetime) catches the losers that Critical ROI Pause takes first.
    expect(await decided(idOf('Low ROI Pause'))).toEqual(['loser:Low ROI Pause', 'suggested:Low ROI Pause']);
    expect(await decided(crypto.randomUUID())).toEqual([]);
  });
});
