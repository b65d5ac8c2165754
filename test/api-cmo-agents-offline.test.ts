// The CMO agents with no gateway configured: the offline provider answers, deterministically, from
// the workspace's own data. Users rely on the whole chain (setup → strategy → funnels → campaigns
// → content → optimization) working through the kernel, each step building on what the previous
// one stored, every run audited in agent_runs and readable over /api/agent-runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_FUNCTIONS, type AgentMode } from '../src/agents/agent-inputs.ts';
import { AGENT_OUTPUTS } from '../src/agents/agent-outputs.ts';
import { type AgentWorld, agentTableCounts, createAgentWorld, parseSse, streamedText } from './support/agent-world.ts';
import { createTenant } from './support/scenario.ts';
import { type JsonBody, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

interface RunResult {
  mode: AgentMode;
  request: Record<string, unknown>;
  run_id: string;
  output: JsonBody;
  records: { table: string; id: string }[];
}

const cents = (n: number) => Math.round(n * 100);
const sumCents = (items: { budget: number }[]) => items.reduce((sum, item) => sum + cents(item.budget), 0);

describe('CMO agents offline (no gateway configured)', () => {
  const db = useTestDb();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db());
  });
  afterAll(() => api?.close());

  const rows = (sql: string, params: unknown[]) => db().session((s) => s.query<JsonBody>(sql, params));
  /** One row of a table by its key: every agent table is keyed (tenant_id, id). */
  const rowOf = async (tenantId: string, table: string, id: string) =>
    (await rows(`SELECT * FROM ${table} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]))[0];

  /** A real user (created_by references users) and a member token of the tenant for them. */
  async function memberOf(tenantId: string) {
    const userId = crypto.randomUUID();
    await rows('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, `${userId}@example.com`]);
    return { userId, token: await tokenFor(db(), tenantId, 'member', userId) };
  }

  /**
   * Posts `{mode, ...request}` to the kernel and reads the whole stream, checking what every
   * successful run promises: a 200 event stream that opens with `run` (offline, no model), streams
   * the answer's JSON text, and ends with a `result` holding that same, schema-valid output.
   */
  async function runKernel(token: string, mode: AgentMode, request: Record<string, unknown>): Promise<RunResult> {
    const response = await fetch(`${api.url}/functions/v1/cmo-kernel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode, ...request }),
    });
    const text = await response.text();
    expect(response.status, `${mode}: ${text}`).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(text);
    expect(events[0]!.event, mode).toBe('run');
    expect(JSON.parse(events[0]!.data)).toMatchObject({
      agent: AGENT_FUNCTIONS[mode],
      provider: 'offline',
      model: null,
    });
    expect(
      events.map((e) => e.event),
      mode,
    ).not.toContain('error');
    expect(events.at(-1)!.data).toBe('[DONE]');
    const result = JSON.parse(events.find((e) => e.event === 'result')!.data);
    expect(result.status).toBe('completed');
    expect(response.headers.get('x-agent-run-id')).toBe(result.run_id);
    expect(JSON.parse(streamedText(events)), mode).toEqual(result.output);
    expect(AGENT_OUTPUTS[mode].parse(result.output), mode).toEqual(result.output);
    return { mode, request, ...result };
  }

  /** Who a stored row belongs to: the caller's workspace and user. */
  const ownedBy = (world: AgentWorld, userId: string) => ({ workspace_id: world.workspaceId, created_by: userId });
  const idsOf = (run: RunResult, table: string) => run.records.filter((r) => r.table === table).map((r) => r.id);

  describe('the full chain through the kernel', () => {
    let world: AgentWorld;
    let userId: string;
    let chain: Record<AgentMode, RunResult>;
    let countsBeforeSetup: Record<string, number>;
    let countsAfterSetup: Record<string, number>;

    beforeAll(async () => {
      world = await createAgentWorld(db());
      const member = await memberOf(world.tenantId);
      userId = member.userId;
      const ws = world.workspaceId;
      const run = (mode: AgentMode, request: Record<string, unknown>) => runKernel(member.token, mode, request);
      // Every default is spelled out, so the stored input can be compared with the request as sent.
      const intro = [{ role: 'user', content: 'We are Acme Analytics, a B2B SaaS company. https://acme.example' }];
      const goal = { primaryGoal: 'Book 36 meetings with RevOps leaders', budget: 12000, startDate: '2026-12-01' };
      const channels = ['email', 'sms'];
      countsBeforeSetup = await agentTableCounts(db(), world.tenantId);
      const setup = await run('setup', { workspaceId: ws, messages: intro, currentStep: 'brand', existingData: {} });
      countsAfterSetup = await agentTableCounts(db(), world.tenantId);
      const strategy = await run('strategy', { workspaceId: ws, ...goal, targetMetrics: {}, constraints: {} });
      const funnels = await run('funnels', { workspaceId: ws });
      const design = { campaignGoal: 'meetings', channels, preferences: { budget: 6000 } };
      const campaigns = await run('campaigns', { workspaceId: ws, ...design });
      const campaignId = idsOf(campaigns, 'campaigns')[0];
      const brief = { funnelStage: 'conversion', channels, ctaIntent: 'Book your audit', contentTypes: channels };
      const content = await run('content', { workspaceId: ws, campaignId, ...brief });
      const optimization = await run('optimization', { workspaceId: ws, period: '30d' });
      chain = { setup, strategy, funnels, campaigns, content, optimization };
    });

    it('answers from the workspace’s own brand, segments, offers and stats', () => {
      const { setup, strategy, funnels, campaigns, content, optimization } = chain;
      const names = { segments: [...world.segmentNames].sort(), offers: [...world.offerNames].sort() };
      // The intake of a known brand keeps what is stored rather than starting over.
      expect(setup.output.brand_profile.brand_name).toBe('Acme Analytics');
      expect(setup.output.icp_segments.map((s: { name: string }) => s.name).sort()).toEqual(names.segments);

      const plan = strategy.output;
      expect(plan.budget).toBe(12000);
      expect(sumCents(plan.phases)).toBe(cents(12000));
      for (const name of [...world.offerNames, ...world.segmentNames]) expect(JSON.stringify(plan)).toContain(name);

      // No planId: the funnel follows the newest plan, whose goal is meetings.
      expect(funnels.output.funnel_type).toBe('demo_request');
      expect(names.segments).toContain(funnels.output.stages[0].segment);
      expect(names.offers).toContain(funnels.output.stages[0].offer);

      const designed = campaigns.output.campaigns;
      expect(sumCents(designed)).toBeLessThanOrEqual(cents(6000));
      // One campaign per segment, each selling one of the workspace's offers.
      expect(designed.map((c: JsonBody) => c.segment).sort()).toEqual(names.segments);
      for (const c of designed) {
        expect(names.offers).toContain(c.offer);
        expect(c).toMatchObject({ goal: 'meetings', channels: ['email', 'sms'] });
        expect(c.sequence.map((step: JsonBody) => step.channel)).toEqual(['email', 'sms', 'email']);
      }

      expect(content.output.assets.map((a: JsonBody) => a.asset_type)).toEqual(['email', 'sms']);
      for (const asset of content.output.assets) {
        for (const variant of asset.variants) {
          const copy = `${variant.subject ?? ''} ${variant.body ?? ''} ${variant.sms_copy ?? ''}`;
          expect(
            [...names.offers, ...names.segments].some((name) => copy.includes(name)),
            copy,
          ).toBe(true);
        }
      }

      // The stats campaign lost money (spend 50 a day, revenue 20): the analyst names it by id.
      const named = optimization.output.recommendations.map((r: JsonBody) => r.campaign_id);
      expect(named).toContain(world.campaignId);
      expect(named.every((id: string | null) => id === null || id === world.campaignId)).toBe(true);
    });

    it('stores a plan, a funnel on it, draft campaigns with content, and recommendations', async () => {
      const { setup, strategy, funnels, campaigns, content, optimization } = chain;
      // The intake updated the stored brand, segments and offers in place: no new rows.
      expect(countsAfterSetup).toEqual({ ...countsBeforeSetup, agent_runs: countsBeforeSetup.agent_runs! + 1 });
      expect(setup.records).toHaveLength(1 + world.segmentNames.length + world.offerNames.length);

      const planId = idsOf(strategy, 'cmo_plans')[0]!;
      const plan = await rowOf(world.tenantId, 'cmo_plans', planId);
      expect(Number(plan.budget)).toBe(12000);
      expect(plan).toMatchObject({ agent_run_id: strategy.run_id, ...ownedBy(world, userId) });

      const funnelId = idsOf(funnels, 'cmo_funnels')[0]!;
      expect(await rowOf(world.tenantId, 'cmo_funnels', funnelId)).toMatchObject({
        plan_id: planId,
        agent_run_id: funnels.run_id,
      });

      const campaignIds = idsOf(campaigns, 'campaigns');
      expect(campaignIds).toHaveLength(campaigns.output.campaigns.length);
      // A person launches what an agent designed: drafts, autopilot off, tied to the plan and funnel.
      const draft = { status: 'draft', autopilot_enabled: false, plan_id: planId, funnel_id: funnelId };
      for (const id of campaignIds) {
        expect(await rowOf(world.tenantId, 'campaigns', id)).toMatchObject(draft);
        const assets = await rows(
          `SELECT a.step_index, a.funnel_stage, count(v.id)::int AS variants FROM content_assets a
             JOIN content_variants v ON v.tenant_id = a.tenant_id AND v.asset_id = a.id
            WHERE a.tenant_id = $1 AND a.campaign_id = $2 GROUP BY a.tenant_id, a.id ORDER BY a.step_index`,
          [world.tenantId, id],
        );
        expect(assets.length).toBeGreaterThanOrEqual(3);
        expect(assets.every((a: JsonBody) => a.variants >= 1)).toBe(true);
      }

      // The content step appends after the campaign's three designed steps, tagged with its stage.
      const steps = await rows(
        `SELECT step_index, funnel_stage FROM content_assets WHERE tenant_id = $1 AND campaign_id = $2
          ORDER BY step_index`,
        [world.tenantId, content.request.campaignId],
      );
      const stages = ['0 null', '1 null', '2 null', '3 conversion', '4 conversion'];
      expect(steps.map((step: JsonBody) => `${step.step_index} ${step.funnel_stage}`)).toEqual(stages);

      const recommendations = await rows(
        'SELECT campaign_id, agent_run_id FROM cmo_recommendations WHERE tenant_id = $1 ORDER BY created_at, id',
        [world.tenantId],
      );
      expect(recommendations).toHaveLength(optimization.output.recommendations.length);
      expect(recommendations.every((r: JsonBody) => r.agent_run_id === optimization.run_id)).toBe(true);

      // Every row the later steps created is the tenant's, the workspace's and the user's.
      for (const run of [strategy, funnels, campaigns, content, optimization]) {
        for (const record of run.records) {
          const row = await rowOf(world.tenantId, record.table, record.id);
          expect(row, `${record.table} ${record.id}`).toBeDefined();
          if ('workspace_id' in row) expect(row.workspace_id, record.table).toBe(world.workspaceId);
          if ('created_by' in row) expect(row.created_by, record.table).toBe(userId);
        }
      }
    });

    it('audits each call in agent_runs, readable over /api/agent-runs', async () => {
      const runs = Object.values(chain);
      for (const run of runs) {
        const row = await rowOf(world.tenantId, 'agent_runs', run.run_id);
        expect(row).toMatchObject({ agent: AGENT_FUNCTIONS[run.mode], mode: run.mode, ...ownedBy(world, userId) });
        expect(row).toMatchObject({ status: 'completed', provider: 'offline', model: null, error: null });
        expect(row.input, run.mode).toEqual(run.request);
        expect(row.output).toEqual({ result: run.output, records: run.records });
        expect(row.duration_ms).toBeGreaterThanOrEqual(0);
        expect(row.completed_at).not.toBeNull();
      }
      const viewer = await tokenFor(db(), world.tenantId, 'viewer');
      const get = async (path: string) => {
        const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${viewer}` } });
        return { status: response.status, body: (await response.json()) as JsonBody };
      };
      const newestFirst = runs.map((r) => r.run_id).reverse();
      const all = await get('/api/agent-runs');
      expect(all.body.data.map((r: JsonBody) => r.id)).toEqual(newestFirst);
      const plans = await get('/api/agent-runs?agent=cmo-plan-90day');
      expect(plans.body.data.map((r: JsonBody) => r.id)).toEqual([chain.strategy.run_id]);
      expect((await get('/api/agent-runs?status=completed')).body.data).toHaveLength(runs.length);
      expect((await get('/api/agent-runs?status=failed')).body.data).toEqual([]);

      const first = await get('/api/agent-runs?limit=4');
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const second = await get(`/api/agent-runs?limit=4&cursor=${first.body.next_cursor}`);
      expect(second.body.next_cursor).toBeNull();
      expect([...first.body.data, ...second.body.data].map((r: JsonBody) => r.id)).toEqual(newestFirst);

      const one = await get(`/api/agent-runs/${chain.campaigns.run_id}`);
      expect(one.status).toBe(200);
      expect(one.body.input).toEqual(chain.campaigns.request);
      expect(one.body.output.result).toEqual(chain.campaigns.output);

      // Another tenant's run is not there to see, even by id.
      const other = await createAgentWorld(db());
      const stranger = await memberOf(other.tenantId);
      const theirs = await runKernel(stranger.token, 'optimization', { workspaceId: other.workspaceId, period: '7d' });
      expect((await get(`/api/agent-runs/${theirs.run_id}`)).status).toBe(404);
      expect((await get('/api/agent-runs')).body.data).toHaveLength(runs.length);
    });
  });

  it('gives the same plan for the same strategy request', async () => {
    const world = await createAgentWorld(db());
    const { token } = await memberOf(world.tenantId);
    const request = { workspaceId: world.workspaceId, primaryGoal: 'Book more meetings', budget: 12000 };
    const first = await runKernel(token, 'strategy', request);
    const second = await runKernel(token, 'strategy', request);
    expect(second.output).toEqual(first.output);
    expect(second.run_id).not.toBe(first.run_id);
  });

  it('runs the intake in the tenant’s only workspace and upserts by workspace and by name', async () => {
    const t = await createTenant(db());
    const { userId, token } = await memberOf(t.tenantId);
    // No workspaceId: the tenant has one workspace, so the intake works in it.
    const intake = (currentStep: string, content: string) =>
      runKernel(token, 'setup', { messages: [{ role: 'user', content }], currentStep });
    const brand = await intake('brand', 'We are Beta Bakery, a craft bakery. https://beta.example');
    expect(brand.output).toMatchObject({ next_step: 'audience', brand_profile: { brand_name: 'Beta Bakery' } });
    await intake('audience', 'Cafe owners: rising flour costs\nHotel chefs: uneven supply');
    await intake('offers', 'Sourdough box - $30');
    // The same segment and offer named again, with new details.
    const again = await intake('audience', 'Cafe owners: late deliveries');
    await intake('offers', 'Sourdough box - $35');

    const run = await rowOf(t.tenantId, 'agent_runs', brand.run_id);
    expect(run.workspace_id).toBe(t.workspaceId);
    // The request as validated: no workspaceId was sent, and the default existingData is filled in.
    expect(run.input).toEqual({ ...brand.request, existingData: {} });
    const brands = await rows(
      'SELECT id, workspace_id, brand_name, website, created_by FROM cmo_brand_profiles WHERE tenant_id = $1',
      [t.tenantId],
    );
    expect(brands).toHaveLength(1);
    expect(brands[0]).toMatchObject({ id: idsOf(brand, 'cmo_brand_profiles')[0], workspace_id: t.workspaceId });
    expect(brands[0]).toMatchObject({ brand_name: 'Beta Bakery', website: 'https://beta.example', created_by: userId });
    const segments = await rows(
      'SELECT id, name, pains, workspace_id, created_by FROM cmo_icp_segments WHERE tenant_id = $1 ORDER BY name',
      [t.tenantId],
    );
    expect(segments.map((s: JsonBody) => [s.name, s.pains])).toEqual([
      ['Cafe owners', ['late deliveries']],
      ['Hotel chefs', ['uneven supply']],
    ]);
    expect(idsOf(again, 'cmo_icp_segments')).toContain(segments[0].id);
    expect(segments.every((s: JsonBody) => s.workspace_id === t.workspaceId && s.created_by === userId)).toBe(true);
    const offers = await rows('SELECT name, price FROM cmo_offers WHERE tenant_id = $1', [t.tenantId]);
    expect(offers.map((o: JsonBody) => [o.name, Number(o.price)])).toEqual([['Sourdough box', 35]]);
  });
});
