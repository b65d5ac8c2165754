// What the CMO agents stored, read back as documents: the strategy, funnel and optimization agents
// run offline through the kernel, then /api/cmo-plans, /api/cmo-funnels and
// /api/cmo-recommendations give a plan's phases and budgets, a funnel's stages linked to its plan,
// and the recommendations of one run, with the campaign each names. Another tenant sees none of
// them; a malformed filter is a 422 naming it.
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgentWorld, createAgentWorld, parseSse } from './support/agent-world.ts';
import { createTenant } from './support/scenario.ts';
import {
  type ApiClient,
  apiClient,
  expectFieldError,
  type JsonBody,
  tokenFor,
  useTestApi,
} from './support/test-api.ts';

describe('the CMO agents’ documents', () => {
  const { db, api } = useTestApi();
  let world: AgentWorld;
  let viewer: ApiClient;
  let stranger: ApiClient;
  const runs: Record<string, { run_id: string; output: JsonBody; records: { table: string; id: string }[] }> = {};

  beforeAll(async () => {
    world = await createAgentWorld(db());
    const userId = crypto.randomUUID();
    await db().session((s) => s.query('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, `${userId}@x.test`]));
    const member = apiClient(api(), await tokenFor(db(), world.tenantId, 'member', userId));
    viewer = apiClient(api(), await tokenFor(db(), world.tenantId, 'viewer'));
    stranger = apiClient(api(), await tokenFor(db(), (await createTenant(db())).tenantId, 'admin'));
    const run = async (mode: string, request: object) => {
      const response = await member.post('/functions/v1/cmo-kernel', {
        mode,
        workspaceId: world.workspaceId,
        ...request,
      });
      expect(response.status, String(response.body)).toBe(200);
      const result = parseSse(response.body).find((e) => e.event === 'result');
      runs[mode] = JSON.parse(result!.data);
    };
    await run('strategy', { primaryGoal: 'Book 36 meetings', budget: 12000, startDate: '2026-12-01' });
    await run('funnels', { planId: runs.strategy!.records[0]!.id });
    await run('optimization', { period: '30d' });
  });

  it('lists the plans and gives one with its phases, channel mix and milestones', async () => {
    const planId = runs.strategy!.records[0]!.id;
    const list = await viewer.get(`/api/cmo-plans?workspace_id=${world.workspaceId}`);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: planId,
        budget: 12000,
        start_date: '2026-12-01',
        agent_run_id: runs.strategy!.run_id,
      }),
    ]);
    const plan = await viewer.get(`/api/cmo-plans/${planId}`);
    expect(plan.status).toBe(200);
    const answer = runs.strategy!.output;
    expect(plan.body).toMatchObject({
      name: answer.name,
      summary: answer.summary,
      phases: answer.phases,
      channel_mix: answer.channel_mix,
      milestones: answer.milestones,
      risks: answer.risks,
      currency: answer.currency,
    });
    expect(plan.body.phases.length).toBeGreaterThan(0);
  });

  it('lists the funnels with their plan’s name and gives one with its stages', async () => {
    const funnelId = runs.funnels!.records[0]!.id;
    const planId = runs.strategy!.records[0]!.id;
    const list = await viewer.get(`/api/cmo-funnels?plan_id=${planId}`);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: funnelId, plan_id: planId, plan_name: runs.strategy!.output.name }),
    ]);
    const funnel = await viewer.get(`/api/cmo-funnels/${funnelId}`);
    expect(funnel.status).toBe(200);
    expect(funnel.body.stages).toEqual(runs.funnels!.output.stages);
  });

  it('lists one run’s recommendations with the campaign each names', async () => {
    const list = await viewer.get(`/api/cmo-recommendations?agent_run_id=${runs.optimization!.run_id}`);
    expect(list.status).toBe(200);
    const titles = runs.optimization!.output.recommendations.map((r: JsonBody) => r.title);
    expect(list.body.data.map((r: JsonBody) => r.title).sort()).toEqual([...titles].sort());
    const named = list.body.data.find((r: JsonBody) => r.campaign_id === world.campaignId);
    expect(named?.campaign_title).toBe('Audit outreach');
  });

  it('shows another tenant nothing: empty lists and 404 for the ids', async () => {
    expect((await stranger.get('/api/cmo-plans')).body.data).toEqual([]);
    expect((await stranger.get('/api/cmo-funnels')).body.data).toEqual([]);
    expect((await stranger.get('/api/cmo-recommendations')).body.data).toEqual([]);
    expect((await stranger.get(`/api/cmo-plans/${runs.strategy!.records[0]!.id}`)).status).toBe(404);
    expect((await stranger.get(`/api/cmo-funnels/${runs.funnels!.records[0]!.id}`)).status).toBe(404);
  });

  it('refuses a malformed filter with a 422 naming it', async () => {
    expectFieldError(await viewer.get('/api/cmo-plans?workspace_id=nope'), 'workspace_id');
    expectFieldError(await viewer.get('/api/cmo-funnels?plan_id=nope'), 'plan_id');
    expectFieldError(await viewer.get('/api/cmo-recommendations?agent_run_id=1'), 'agent_run_id');
  });
});
