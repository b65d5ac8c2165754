// The CMO agents through a real OpenAI-compatible gateway: a local server speaking the wire format
// (SSE `data:` chunks, `[DONE]`), scripted to answer normally, slowly, with 429, 402, 500, a broken
// stream, a stall, invalid JSON (repaired, and not), and a client that hangs up. Each case checks
// the HTTP status and body, the agent_runs row, and what was stored (nothing on failure).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayModel } from '../src/agents/gateway-model.ts';
import {
  type AgentWorld,
  agentTableCounts,
  createAgentWorld,
  parseSse,
  streamedText,
  validPlanAnswer,
} from './support/agent-world.ts';
import { type OpenAiServer, startOpenAiServer } from './support/openai-server.ts';
import { createTenant } from './support/scenario.ts';
import { type JsonBody, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';
import { until } from './support/until.ts';

const MODEL = 'google/gemini-2.5-flash';
const API_KEY = 'sk-test-gateway-key-0123456789';

const planRequest = (workspaceId: string) => ({
  workspaceId,
  primaryGoal: 'Book 40 demos with RevOps leaders',
  budget: 9000,
  targetMetrics: { meetings: 40 },
  startDate: '2026-12-01',
});

const PLAN = validPlanAnswer('Book 40 demos with RevOps leaders');
const PLAN_TEXT = JSON.stringify(PLAN);

describe('CMO agents through an OpenAI-compatible gateway', () => {
  const db = useTestDb();
  let gateway: OpenAiServer;
  let api: TestApi;
  let world: AgentWorld;
  let token: string;
  const userId = crypto.randomUUID();

  beforeAll(async () => {
    gateway = await startOpenAiServer();
    const model = createGatewayModel({
      baseUrl: gateway.baseUrl,
      apiKey: API_KEY,
      model: MODEL,
      timeouts: { firstChunkMs: 1500, chunkMs: 1000, totalMs: 10_000 },
    });
    api = await startTestApi(db(), { agentModel: model });
    world = await createAgentWorld(db());
    await db().session((s) =>
      s.query('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, `${userId}@example.com`]),
    );
    token = await tokenFor(db(), world.tenantId, 'member', userId);
  });
  afterAll(async () => {
    await api?.close();
    await gateway?.close();
  });
  beforeEach(() => {
    gateway.requests.length = 0;
  });

  const post = (path: string, body: unknown, bearer = token, signal?: AbortSignal) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });

  const runRow = async (runId: string) => {
    const [row] = await db().session((s) =>
      s.query<Record<string, unknown>>('SELECT * FROM agent_runs WHERE tenant_id = $1 AND id = $2', [
        world.tenantId,
        runId,
      ]),
    );
    return row!;
  };

  it('streams the gateway’s answer, stores the validated plan and completes the run', async () => {
    gateway.script({ kind: 'text', text: PLAN_TEXT, chunkSize: 40 });
    const response = await post('/functions/v1/cmo-plan-90day', planRequest(world.workspaceId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await response.text());
    expect(events[0]!.event).toBe('run');
    expect(streamedText(events)).toBe(PLAN_TEXT);
    expect(events.at(-1)!.data).toBe('[DONE]');
    const result = JSON.parse(events.find((e) => e.event === 'result')!.data);
    expect(result.output).toEqual(PLAN);
    expect(result.records).toEqual([{ table: 'cmo_plans', id: expect.any(String) }]);

    // The seed's request: model, system + user messages, stream, the bearer key.
    const sent = gateway.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toMatchObject({ model: MODEL, stream: true });
    expect(sent.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    // The context it was given is the workspace's own.
    expect(sent.body.messages[1].content).toContain('Pipeline Audit');
    expect(sent.body.messages[1].content).toContain('RevOps leaders');

    const run = await runRow(result.run_id);
    expect(run).toMatchObject({
      agent: 'cmo-plan-90day',
      mode: 'strategy',
      status: 'completed',
      provider: 'gateway',
      model: MODEL,
      workspace_id: world.workspaceId,
      created_by: userId,
      error: null,
    });
    expect(run.input).toMatchObject({ primaryGoal: 'Book 40 demos with RevOps leaders', budget: 9000 });
    expect((run.output as { result: unknown }).result).toEqual(PLAN);
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    expect(run.completed_at).not.toBeNull();
    const [plan] = await db().session((s) =>
      s.query<Record<string, unknown>>('SELECT * FROM cmo_plans WHERE tenant_id = $1 AND id = $2', [
        world.tenantId,
        result.records[0].id,
      ]),
    );
    expect(plan).toMatchObject({
      workspace_id: world.workspaceId,
      created_by: userId,
      agent_run_id: result.run_id,
      name: PLAN.name,
      primary_goal: PLAN.primary_goal,
    });
  });

  it('waits out a slow gateway that keeps sending', async () => {
    gateway.script({ kind: 'text', text: PLAN_TEXT, chunkSize: 200, delayMs: 300 });
    const response = await post('/functions/v1/cmo-kernel', { mode: 'strategy', ...planRequest(world.workspaceId) });
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toContain('result');
  });

  const failsBeforeStreaming = [
    {
      name: '429',
      reply: { kind: 'status', status: 429 },
      status: 429,
      body: { error: 'Rate limits exceeded' },
      kind: 'rate_limited',
    },
    {
      name: '402',
      reply: { kind: 'status', status: 402 },
      status: 402,
      body: { error: 'Payment required' },
      kind: 'payment_required',
    },
    {
      name: '500',
      reply: { kind: 'status', status: 500 },
      status: 500,
      body: { error: expect.any(String) },
      kind: 'upstream',
    },
    {
      name: 'a stall before any text',
      reply: { kind: 'stall' },
      status: 500,
      body: { error: expect.any(String) },
      kind: 'timeout',
    },
  ] as const;

  for (const c of failsBeforeStreaming) {
    it(`answers ${c.status} for a gateway ${c.name}, fails the run and stores nothing`, async () => {
      const before = await agentTableCounts(db(), world.tenantId);
      gateway.script(c.reply);
      const response = await post('/functions/v1/cmo-plan-90day', planRequest(world.workspaceId));
      expect(response.status).toBe(c.status);
      const body: JsonBody = await response.json();
      expect(body).toEqual(c.body);
      if (c.status === 500) expect(body.error).not.toMatch(/sk-|500|stack/i);
      const runId = response.headers.get('x-agent-run-id')!;
      const run = await runRow(runId);
      expect(run).toMatchObject({ status: 'failed', agent: 'cmo-plan-90day' });
      expect(run.error).toContain(c.kind);
      expect(run.error).not.toContain(API_KEY);
      expect(run.completed_at).not.toBeNull();
      const after = await agentTableCounts(db(), world.tenantId);
      expect(after).toEqual({ ...before, agent_runs: before.agent_runs! + 1 });
    });
  }

  it('reports a stream that breaks off half-way as an error event, and stores nothing', async () => {
    const before = await agentTableCounts(db(), world.tenantId);
    gateway.script({ kind: 'broken', text: PLAN_TEXT });
    const response = await post('/functions/v1/cmo-plan-90day', planRequest(world.workspaceId));
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    const error = events.find((e) => e.event === 'error');
    expect(error).toBeDefined();
    const { run_id } = JSON.parse(error!.data);
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect(events.some((e) => e.event === 'result')).toBe(false);
    expect((await runRow(run_id)).error).toContain('broken_stream');
    expect(await agentTableCounts(db(), world.tenantId)).toEqual({ ...before, agent_runs: before.agent_runs! + 1 });
  });

  it('repairs an invalid answer once, telling the model what was wrong', async () => {
    const overBudget = { ...PLAN, phases: PLAN.phases.map((p) => ({ ...p, budget: 4000 })) };
    gateway.script(
      { kind: 'text', text: `Here is the plan: ${JSON.stringify(overBudget)}` },
      { kind: 'text', text: PLAN_TEXT },
    );
    const response = await post('/functions/v1/cmo-plan-90day', planRequest(world.workspaceId));
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toContain('repair');
    const result = JSON.parse(events.find((e) => e.event === 'result')!.data);
    expect(result.output.phases.map((p: { budget: number }) => p.budget)).toEqual([3000, 3000, 3000]);
    const repair = gateway.requests[1]!.body.messages;
    expect(repair.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[3].content).toContain('phase budgets add up to 12000');
    expect((await runRow(result.run_id)).status).toBe('completed');
  });

  it('fails the run when the repaired answer is still not valid JSON, and stores nothing', async () => {
    const before = await agentTableCounts(db(), world.tenantId);
    gateway.script({ kind: 'text', text: '{"name": "half a plan"' }, { kind: 'text', text: 'Sorry, I cannot.' });
    const response = await post('/functions/v1/cmo-plan-90day', planRequest(world.workspaceId));
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    const error = JSON.parse(events.find((e) => e.event === 'error')!.data);
    const run = await runRow(error.run_id);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('invalid_answer');
    expect(gateway.requests).toHaveLength(2);
    expect(await agentTableCounts(db(), world.tenantId)).toEqual({ ...before, agent_runs: before.agent_runs! + 1 });
  });

  it('stops the gateway call and fails the run when the client hangs up', async () => {
    const before = await agentTableCounts(db(), world.tenantId);
    const abortsBefore = gateway.clientAborts;
    gateway.script({ kind: 'stall', text: PLAN_TEXT.slice(0, 50) });
    const abort = new AbortController();
    const response = await post('/functions/v1/cmo-plan-90day', planRequest(world.workspaceId), token, abort.signal);
    const runId = response.headers.get('x-agent-run-id')!;
    const reader = response.body!.getReader();
    await reader.read();
    abort.abort();
    const run = await until(
      'the abandoned run is closed',
      () => runRow(runId),
      (row) => row.status !== 'running',
      { timeoutMs: 5000 },
    );
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/aborted|went away/);
    await until(
      'the gateway call is dropped',
      async () => gateway.clientAborts,
      (n) => n > abortsBefore,
      {
        timeoutMs: 5000,
      },
    );
    expect(await agentTableCounts(db(), world.tenantId)).toEqual({ ...before, agent_runs: before.agent_runs! + 1 });
  });

  it('refuses another tenant’s workspace with 403 before reading or writing anything', async () => {
    const other = await createAgentWorld(db());
    const mine = await agentTableCounts(db(), world.tenantId);
    const theirs = await agentTableCounts(db(), other.tenantId);
    for (const body of [
      { mode: 'strategy', ...planRequest(other.workspaceId) },
      { mode: 'setup', workspaceId: other.workspaceId, messages: [{ role: 'user', content: 'hi' }] },
      {
        mode: 'content',
        workspaceId: other.workspaceId,
        campaignId: other.campaignId,
        funnelStage: 'awareness',
        channels: ['email'],
        ctaIntent: 'book',
        contentTypes: ['email'],
      },
    ]) {
      const response = await post('/functions/v1/cmo-kernel', body);
      expect(response.status, body.mode).toBe(403);
      const text = await response.text();
      expect(text).not.toContain('Acme');
    }
    expect(gateway.requests).toHaveLength(0);
    expect(await agentTableCounts(db(), world.tenantId)).toEqual(mine);
    expect(await agentTableCounts(db(), other.tenantId)).toEqual(theirs);
  });

  it('validates the seed’s inputs, names the field, and runs nothing', async () => {
    const before = await agentTableCounts(db(), world.tenantId);
    const cases: [unknown, string][] = [
      [{ mode: 'strategy', ...planRequest(world.workspaceId), budget: -5 }, 'budget'],
      [{ mode: 'nonsense', workspaceId: world.workspaceId }, 'mode'],
      [{ mode: 'funnels', workspaceId: world.workspaceId, funnelType: 'pyramid' }, 'funnelType'],
      [{ mode: 'funnels', workspaceId: world.workspaceId, planId: crypto.randomUUID() }, 'planId'],
      [{ mode: 'campaigns', workspaceId: world.workspaceId, campaignGoal: 'leads', channels: [] }, 'channels'],
      [{ mode: 'strategy', ...planRequest(world.workspaceId), surprise: 1 }, 'surprise'],
    ];
    for (const [body, field] of cases) {
      const response = await post('/functions/v1/cmo-kernel', body);
      expect(response.status, field).toBe(422);
      const problem: JsonBody = await response.json();
      expect(problem.errors.map((e: { field: string }) => e.field).join(' '), field).toContain(field);
    }
    expect(gateway.requests).toHaveLength(0);
    expect(await agentTableCounts(db(), world.tenantId)).toEqual(before);
  });

  it('needs a member: 401 without credentials, 403 for a viewer', async () => {
    const anonymous = await fetch(`${api.url}/functions/v1/cmo-plan-90day`, {
      method: 'POST',
      body: JSON.stringify(planRequest(world.workspaceId)),
    });
    expect(anonymous.status).toBe(401);
    const viewer = await post(
      '/functions/v1/cmo-plan-90day',
      planRequest(world.workspaceId),
      await tokenFor(db(), world.tenantId, 'viewer'),
    );
    expect(viewer.status).toBe(403);
    const stranger = await createTenant(db());
    const outsider = await post(
      '/functions/v1/cmo-plan-90day',
      planRequest(world.workspaceId),
      await tokenFor(db(), stranger.tenantId, 'admin'),
    );
    expect(outsider.status).toBe(403);
    expect(gateway.requests).toHaveLength(0);
  });
});
