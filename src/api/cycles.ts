// /api/cycles: run the tenant's autonomous cycle now (or only preview it), backtest its rules over
// past days, and read the cycles that ran. A real run and a dry run are timed into the metrics.
import { z } from 'zod';
import { backtestResult } from '../contract/backtest.ts';
import { cycleResult, recordedCycle } from '../contract/cycles.ts';
import { pageSchema } from '../contract/page.ts';
import { parseReplayClock } from '../domain/replay-clock.ts';
import type { RunLimits } from '../domain/run-limits.ts';
import { backtest } from '../engine/backtest.ts';
import type { Metrics } from '../server/metrics.ts';
import { ProblemError } from '../server/problem.ts';
import { getCycle, listCycles } from '../services/cycles.ts';
import { runObservedCycle } from './observed-cycle.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams } from './schemas.ts';

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
      summary: 'Backtest the active rules (or all of them) over the last days',
      description:
        'Replays the active pause and scale rules (the switched-off ones too with include_inactive, as if on; they stay off) day by day as if autopilot had been on, and reports per rule and in total the spend saved or added, the revenue forgone or gained, the net, how many actions the campaigns’ later stats proved wrong, and net_negative for a rule that would have lost money (docs/backtest.md). Nothing is written. The body may be left out (30 days).',
      access: 'member',
      body: z
        .strictObject({
          days: z.number().int().min(1).max(90).default(30),
          include_inactive: z
            .boolean()
            .default(false)
            .describe('Replay the switched-off rules too, as if they were on (they stay off)'),
        })
        .default({ days: 30, include_inactive: false }),
      responses: { 200: { description: 'What each rule would have done', schema: backtestResult } },
    },
    async ({ c, db, principal, body }) =>
      c.json(await backtest(db, principal.tenantId, { days: body.days, includeInactive: body.include_inactive })),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/cycles',
      tag,
      summary: 'List the cycles that ran, newest first',
      access: 'viewer',
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of cycles', schema: pageSchema(recordedCycle) } },
    },
    async ({ c, db, principal, query }) => {
      return c.json(toPage(await listCycles(db, principal.tenantId, query), query.limit));
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
      responses: { 200: { description: 'The cycle', schema: recordedCycle } },
    },
    async ({ c, db, principal, params }) => {
      return c.json(await getCycle(db, principal.tenantId, params.id));
    },
  );
}
