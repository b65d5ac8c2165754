// `nightshift agent <mode>` as a user runs it, on a database of its own: the offline provider, a
// real OpenAI-compatible gateway (streamed to the terminal as it arrives), --json, and the ways it
// refuses or fails.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { finished, runCli, startCli } from '../scripts/support/cli-process.ts';
import { type AgentWorld, createAgentWorld, validPlanAnswer } from './support/agent-world.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { type OpenAiServer, startOpenAiServer } from './support/openai-server.ts';
import { backend } from './support/test-db.ts';

const MODEL = 'google/gemini-2.5-flash';
const API_KEY = 'sk-test-cli-agent-key-0123456789';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const REQUEST = { primaryGoal: 'Book 40 demos', budget: 9000 };

const PLAN = validPlanAnswer('Book 40 demos');
const PLAN_TEXT = JSON.stringify(PLAN);

const cli = ownCliDatabase('cli-agent');
const { withDb } = cli;
let gateway: OpenAiServer;
let world: AgentWorld;

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  // Whatever the parent has: offline unless a case names a gateway, and the default model.
  NIGHTSHIFT_AI_BASE_URL: '',
  NIGHTSHIFT_AI_API_KEY: '',
  NIGHTSHIFT_AI_MODEL: '',
  ...cli.env(),
  ...extra,
});
const gatewayEnv = () =>
  env({
    NIGHTSHIFT_AI_BASE_URL: gateway.baseUrl,
    NIGHTSHIFT_AI_API_KEY: API_KEY,
    NIGHTSHIFT_AI_FIRST_CHUNK_SECONDS: '10',
    NIGHTSHIFT_AI_CHUNK_SECONDS: '10',
    NIGHTSHIFT_AI_TIMEOUT_SECONDS: '30',
  });
const agent = (args: string[], extra?: Record<string, string>) => runCli(['agent', ...args], extra ?? env());

const runRow = (runId: string) =>
  withDb(async (db) => {
    const [row] = await db.session((s) =>
      s.query<{ status: string; error: string | null; provider: string; model: string | null; workspace_id: string }>(
        'SELECT status, error, provider, model, workspace_id FROM agent_runs WHERE tenant_id = $1 AND id = $2',
        [world.tenantId, runId],
      ),
    );
    return row;
  });

const planRow = (planId: string) =>
  withDb(async (db) => {
    const [row] = await db.session((s) =>
      s.query<{ tenant_id: string; workspace_id: string; primary_goal: string }>(
        'SELECT tenant_id, workspace_id, primary_goal FROM cmo_plans WHERE id = $1',
        [planId],
      ),
    );
    return row;
  });

beforeAll(async () => {
  gateway = await startOpenAiServer();
  // The first command creates and migrates the database; the world goes in after.
  const migrated = await runCli(['migrate'], env());
  expect(migrated.code, migrated.stderr).toBe(0);
  world = await withDb(createAgentWorld);
});
afterAll(async () => {
  await gateway?.close();
});
beforeEach(() => {
  gateway.requests.length = 0;
});

describe(`nightshift agent (${backend})`, () => {
  it('runs the strategy agent offline: the plan on stdout, the run and what it stored on stderr', async () => {
    const result = await agent(['strategy', '--workspace', world.workspaceId, '--input', JSON.stringify(REQUEST)]);
    expect(result.code, result.stderr).toBe(0);

    const plan = JSON.parse(result.stdout);
    expect(plan.budget).toBe(9000);
    expect(plan.phases.reduce((sum: number, p: { budget: number }) => sum + p.budget, 0)).toBeCloseTo(9000, 2);
    const names = [...world.offerNames, ...world.segmentNames];
    expect(
      names.some((name) => result.stdout.includes(name)),
      result.stdout,
    ).toBe(true);

    const started = new RegExp(`^cmo-plan-90day \\(offline\\) run (${UUID})$`, 'm').exec(result.stderr);
    expect(started, result.stderr).not.toBeNull();
    const runId = started![1]!;
    const stored = new RegExp(`^run ${runId} completed; stored: cmo_plans (${UUID})$`, 'm').exec(result.stderr);
    expect(stored, result.stderr).not.toBeNull();

    expect(await planRow(stored![1]!)).toEqual({
      tenant_id: world.tenantId,
      workspace_id: world.workspaceId,
      primary_goal: 'Book 40 demos',
    });
    expect(await runRow(runId)).toMatchObject({
      status: 'completed',
      provider: 'offline',
      model: null,
      workspace_id: world.workspaceId,
    });
    expect(gateway.requests).toHaveLength(0);
  });

  it('streams a gateway’s answer to stdout as it arrives, with the bearer key sent and never printed', async () => {
    gateway.script({ kind: 'text', text: PLAN_TEXT, chunkSize: 50, delayMs: 150 });
    const child = startCli(
      ['agent', 'strategy', '--workspace', world.workspaceId, '--input', JSON.stringify(REQUEST)],
      gatewayEnv(),
    );
    const t0 = performance.now();
    const chunks: { at: number; text: string }[] = [];
    let startedAt: number | undefined;
    let stderrSoFar = '';
    child.stdout.on('data', (d: Buffer) => chunks.push({ at: performance.now() - t0, text: d.toString('utf8') }));
    child.stderr.on('data', (d: Buffer) => {
      stderrSoFar += d;
      if (startedAt === undefined && /\) run /.test(stderrSoFar)) startedAt = performance.now() - t0;
    });
    const result = await finished(child);
    const exitedAt = performance.now() - t0;
    expect(result.code, result.stderr).toBe(0);

    // The text arrived in pieces over the gateway's ~3 s, not all at once at the end.
    const textChunks = chunks.filter((c) => c.text.trim() !== '');
    expect(textChunks.length, JSON.stringify(chunks)).toBeGreaterThanOrEqual(2);
    expect(textChunks.at(-1)!.at - textChunks[0]!.at).toBeGreaterThan(1000);
    expect(exitedAt - textChunks[0]!.at).toBeGreaterThan(1000);
    expect(startedAt).toBeDefined();
    expect(startedAt!).toBeLessThan(textChunks[0]!.at);
    expect(result.stdout).toBe(`${PLAN_TEXT}\n`);

    const started = new RegExp(`^cmo-plan-90day \\(gateway ${MODEL}\\) run (${UUID})$`, 'm').exec(result.stderr);
    expect(started, result.stderr).not.toBeNull();
    expect(result.stderr).toMatch(new RegExp(`^run ${started![1]} completed; stored: cmo_plans ${UUID}$`, 'm'));
    expect(await runRow(started![1]!)).toMatchObject({ status: 'completed', provider: 'gateway', model: MODEL });

    expect(gateway.requests).toHaveLength(1);
    const sent = gateway.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toMatchObject({ model: MODEL, stream: true });
    expect(result.stdout).not.toContain(API_KEY);
    expect(result.stderr).not.toContain(API_KEY);
  });

  it('prints the run as JSON with --json', async () => {
    const result = await agent([
      'strategy',
      '--workspace',
      world.workspaceId,
      '--input',
      JSON.stringify(REQUEST),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(Object.keys(run).sort()).toEqual(['output', 'records', 'run_id', 'status']);
    expect(run).toMatchObject({ run_id: expect.stringMatching(new RegExp(`^${UUID}$`)), status: 'completed' });
    expect(run.output).toMatchObject({ budget: 9000, primary_goal: 'Book 40 demos' });
    expect(run.records).toEqual([{ table: 'cmo_plans', id: expect.stringMatching(new RegExp(`^${UUID}$`)) }]);
    expect(await planRow(run.records[0].id)).toMatchObject({ workspace_id: world.workspaceId });
    expect(await runRow(run.run_id)).toMatchObject({ status: 'completed' });
  });

  it('refuses bad usage with exit 64 and one line that says what is wrong', async () => {
    const input = JSON.stringify(REQUEST);
    const refusals: { args: string[]; message: RegExp }[] = [
      {
        args: ['strategize', '--workspace', world.workspaceId, '--input', input],
        message: /<mode> must be one of setup, strategy, funnels, campaigns, content, optimization; got "strategize"/,
      },
      { args: ['strategy', '--workspace', world.workspaceId, '--input', '{budget: 9000'], message: /--input must be/ },
      {
        args: ['strategy', '--workspace', world.workspaceId, '--input', JSON.stringify({ ...REQUEST, budget: -1 })],
        message: /--input: budget: /,
      },
      {
        args: ['strategy', '--workspace', '00000000-0000-4000-8000-00000000abcd', '--input', input],
        message: /no workspace "00000000-0000-4000-8000-00000000abcd"/,
      },
      // Not a workspace id at all: the fault is --workspace's, not --input's.
      {
        args: ['strategy', '--workspace', 'nope', '--input', input],
        message: /--workspace must be a workspace id \(a UUID\); got "nope"/,
      },
    ];
    // At once: only the unknown workspace opens the database; the others stop before it.
    const results = await Promise.all(refusals.map(({ args }) => agent(args)));
    for (const [i, { args, message }] of refusals.entries()) {
      const result = results[i]!;
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(64);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^nightshift: /);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });

  it('fails the run when the gateway answers 429: non-zero exit, the reason on stderr, the run row failed', async () => {
    gateway.script({ kind: 'status', status: 429 });
    const result = await agent(
      ['strategy', '--workspace', world.workspaceId, '--input', JSON.stringify(REQUEST)],
      gatewayEnv(),
    );
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const failed = new RegExp(`^nightshift: run (${UUID}) failed: rate_limited\\b.*$`, 'm').exec(result.stderr);
    expect(failed, result.stderr).not.toBeNull();
    expect(result.stderr.split('\n').filter((l) => l.startsWith('nightshift: '))).toHaveLength(1);
    expect(result.stderr).not.toContain(API_KEY);
    expect(result.stdout).not.toContain(API_KEY);
    expect(gateway.requests).toHaveLength(1);

    const run = await runRow(failed![1]!);
    expect(run).toMatchObject({ status: 'failed', provider: 'gateway' });
    expect(run!.error).toContain('rate_limited');
    expect(run!.error).not.toContain(API_KEY);
  });
});
