// /api/cycles: run the tenant's autonomous cycle now (or only preview it), backtest its rules over
// past days, and read the cycles that ran. A real run and a dry run are timed into the metrics.
import { z } from 'zod';
import { getCycle, listCycles } from '../db/repositories/actions.ts';
import { parseReplayClock } from '../domain/replay-clock.ts';
import type { RunLimits } from '../domain/run-limits.ts';
import { backtest } from '../engine/backtest.ts';
import type { Metrics } from '../server/metrics.ts';
import { ProblemError } from '../server/problem.ts';
import { runObservedCycle } from './observed-cycle.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, timestamp, uuid } from './schemas.ts';

const campaignState = z.object({
  status: z.string(),
  budget: z.number(),
  roi: z.number().nullable(),
  platforms: z.array(z.string()).optional().describe('Posts only: where the campaign is posted'),
});

export const decisionReport = z.object({
  campaign_id: uuid,
  title: z.string(),
  rule: z.string().describe('The rule’s name'),
  action_type: z.enum(['auto_pause', 'auto_scale_up', 'auto_resume', 'auto_post', 'notify']),
  mode: z.enum(['execute', 'suggest']).describe('execute: the campaign’s autopilot acts; suggest: a person decides'),
  previous_state: campaignState,
  new_state: campaignState,
  confidence: z.number().min(0).max(1),
  reason: z.string(),
  expected_value: z
    .object({
      confidence: z.number().min(0).max(1).describe('Probability that the action is right'),
      expected_gain: z.number().describe('Expected money gained over the horizon where the action is right'),
      expected_loss: z.number().describe('Expected money lost where it is wrong (revenue forgone, spend wasted)'),
      net: z.number().describe('expected_gain - expected_loss'),
      spend_at_stake: z.number().describe('Spend saved (pause) or added (scale) over the horizon'),
      horizon_days: z.number().int(),
    })
    .nullable()
    .describe('Pauses and scales: what the engine expects the action to be worth (docs/confidence.md); null otherwise'),
});

export const guardrailStopReport = z.object({
  campaign_id: uuid,
  title: z.string(),
  rule: z.string(),
  guardrail: z.enum([
    'min_spend',
    'cooldown',
    'max_budget',
    'daily_budget_cap',
    'confidence',
    'expected_value',
    'no_social_account',
    'rolled_back',
    'dismissed',
    'changed_during_cycle',
  ]),
  detail: z.string(),
});

const cycleResult = z.object({
  success: z.literal(true),
  timestamp,
  tenant_id: uuid,
  cycle_id: uuid.nullable().describe('Null for a dry run (nothing recorded)'),
  dry_run: z.boolean(),
  as_of: timestamp.nullable().describe('A replay: the instant whose data was judged (docs/replay.md); null otherwise'),
  actions_taken: z.object({
    campaigns_paused: z.number().int(),
    campaigns_scaled: z.number().int(),
    campaigns_posted: z.number().int(),
    opportunities_detected: z.number().int(),
  }),
  campaigns_resumed: z.number().int().describe('Engine pauses reversed on conversions reported since (docs/revive.md)'),
  notifications_sent: z.number().int(),
  opportunities_resolved: z.number().int(),
  suggestions_created: z.number().int(),
  guardrail_stops: z.array(guardrailStopReport),
  decisions: z.array(decisionReport),
});

const amount = (what: string) => z.number().describe(`${what}, to the cent in the tenant’s currency`);
const backtestFigures = {
  campaigns_paused: z.number().int().describe('Pauses replayed (a paused campaign is not judged again)'),
  campaigns_scaled: z.number().int().describe('Budget increases replayed'),
  spend_saved: amount('Spend the paused campaigns went on to record within the horizon'),
  revenue_forgone: amount('Revenue the paused campaigns went on to earn within the horizon'),
  spend_added: amount('The scales’ added share of the spend the campaigns went on to record'),
  revenue_gained: amount('The scales’ added share of the revenue they went on to earn'),
  net: amount('spend_saved - revenue_forgone + revenue_gained - spend_added'),
  net_negative: z.boolean().describe('The actions would have lost money: net < 0'),
  paused_proved_good: z.number().int().describe('Pauses of campaigns whose ROI over the horizon after was >= 1'),
  scaled_proved_bad: z.number().int().describe('Scales of campaigns whose ROI over the horizon after was < 1'),
  undetermined: z.number().int().describe('Actions with fewer than 3 days of later spend: not judged'),
};

export const backtestResult = z
  .object({
    tenant_id: uuid,
    from: z.iso.date(),
    to: z.iso.date(),
    horizon_days: z.number().int().describe('Days after an action whose stats judge it, at most (docs/backtest.md)'),
    rules: z.array(z.object({ rule_name: z.string(), ...backtestFigures })).describe('Each rule that acted'),
    total: z.object(backtestFigures).describe('All rules together'),
  })
  .describe(
    'What the rules would have done, replayed day by day with autopilot on, judged on what the campaigns recorded afterwards',
  );

const cycle = z.object({
  id: uuid,
  triggered_by: z.enum(['schedule', 'user', 'api', 'cli']),
  dry_run: z.boolean(),
  status: z.enum(['running', 'completed', 'failed']),
  summary: z
    .record(z.string(), z.unknown())
    .describe('The cycle’s result as recorded: the POST /api/cycles summary without its decisions'),
  error: z.string().nullable(),
  started_at: timestamp,
  finished_at: timestamp.nullable(),
});

function replayInstant(asOf: string): Date {
  const clock = parseReplayClock(asOf, new Date());
  if (clock.ok) return clock.asOf;
  throw new ProblemError(400, `as_of ${clock.message}`, {
    errors: [{ field: 'as_of', in: 'query', message: clock.message }],
  });
}

export function cycleRoutes(api: ApiRouter, deps: { metrics: Metrics; limits: RunLimits }): void {
  const tag = 'Cycles';

  api.tenant(
    {
      method: 'post',
      path: '/api/cycles',
      tag,
      summary: 'Run the autonomous cycle now',
      description:
        'Evaluates every active rule against every active campaign, applies what the guardrails allow (autopilot campaigns) or stores suggestions (the others), and records the cycle. A decision whose campaign, rule or tenant settings a person changed while the cycle ran is not written: it is reported as a guardrail stop `changed_during_cycle`. Waits for a cycle already running for the tenant, at most NIGHTSHIFT_LOCK_WAIT_SECONDS (409 naming who runs it and since when, with Retry-After). A client that disconnects cancels the cycle, which then writes nothing.',
      access: 'admin',
      responses: { 201: { description: 'The cycle’s summary, with each decision', schema: cycleResult } },
    },
    async ({ c, db, principal }) => {
      const result = await runObservedCycle(deps.metrics, db, principal.tenantId, {
        triggeredBy: 'api',
        limits: deps.limits,
        signal: c.req.raw.signal,
      });
      return c.json(result, 201, result.cycle_id ? { location: `/api/cycles/${result.cycle_id}` } : {});
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/cycles/dry-run',
      tag,
      summary: 'Preview the cycle: what it would do now, with nothing changed',
      description:
        'With `as_of`, a replay: what the cycle would have done at that instant, on the data as it stood then (stats as reported by then, the ledger and opportunities as they were; today’s rules and settings). See docs/replay.md. A malformed or future `as_of` is a 400 naming the field.',
      access: 'member',
      query: z.strictObject({
        as_of: z
          .string()
          .optional()
          .describe('Replay as of this instant: 2026-11-20T23:00:00Z (with its offset), or a UTC day (its end)'),
      }),
      responses: { 200: { description: 'The summary a real cycle would give; cycle_id is null', schema: cycleResult } },
    },
    async ({ c, db, principal, query }) =>
      c.json(
        await runObservedCycle(deps.metrics, db, principal.tenantId, {
          dryRun: true,
          asOf: query.as_of === undefined ? undefined : replayInstant(query.as_of),
          triggeredBy: 'api',
          limits: deps.limits,
          signal: c.req.raw.signal,
        }),
      ),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/cycles/backtest',
      tag,
      summary: 'Backtest the active rules over the last days',
      description:
        'Replays the active pause and scale rules day by day as if autopilot had been on, and reports per rule and in total the spend saved or added, the revenue forgone or gained, the net, how many actions the campaigns’ later stats proved wrong, and net_negative for a rule that would have lost money (docs/backtest.md). Nothing is written. The body may be left out (30 days).',
      access: 'member',
      body: z.strictObject({ days: z.number().int().min(1).max(90).default(30) }).default({ days: 30 }),
      responses: { 200: { description: 'What each rule would have done', schema: backtestResult } },
    },
    async ({ c, db, principal, body }) => c.json(await backtest(db, principal.tenantId, { days: body.days })),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/cycles',
      tag,
      summary: 'List the cycles that ran, newest first',
      access: 'viewer',
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of cycles', schema: pageSchema(cycle) } },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listCycles(s, principal.tenantId, query));
      return c.json(toPage(rows, query.limit));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/cycles/{id}',
      tag,
      summary: 'Read a cycle',
      description: 'Its actions: GET /api/actions?cycle_id={id}.',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The cycle', schema: cycle } },
    },
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => getCycle(s, principal.tenantId, params.id));
      if (!row) throw new ProblemError(404, `no cycle ${params.id}`);
      const { sort_key: _, ...shown } = row;
      return c.json(shown);
    },
  );
}
