// The seeds' function endpoints, with their exact request and response shapes:
//   POST /functions/v1/autonomous-operations (Bearer; an admin): one cycle for the caller's tenant.
//   POST /functions/v1/cmo-optimizer-cron, /functions/v1/cmo-cron-weekly (x-internal-secret).
// The cron endpoints run the CMO loop for every tenant, one after the other, and answer when all
// are done. The campaign runner's POST /api/campaigns/run-automation is in campaign-runner.ts.
import { z } from 'zod';
import type { CampaignOptimizer } from '../agents/optimizer.ts';
import { briefLoopReport, LOOP_MODES, type LoopMode } from '../cmo/loop.ts';
import { allTenantIds, runCmoLoopForTenants } from '../cmo/loop-tenants.ts';
import type { Database } from '../db/port.ts';
import type { RunLimits } from '../domain/run-limits.ts';
import type { Metrics } from '../server/metrics.ts';
import { runObservedCycle } from './observed-cycle.ts';
import type { ApiRouter } from './router.ts';
import { uuid } from './schemas.ts';

/** The seeds' pg_cron jobs post `{"cron": true, "mode": ...}`; the weekly one leaves mode out. */
const cronBody = (defaultMode: LoopMode) =>
  z.strictObject({ cron: z.literal(true), mode: z.enum(LOOP_MODES).default(defaultMode) });

const count = z.number().int().min(0);
const loopRunSchema = z.object({
  tenant_id: uuid,
  run_id: uuid.describe('The agent_runs row of this run'),
  mode: z.enum(LOOP_MODES),
  status: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  campaigns_optimized: count,
  changes_applied: count,
  suggestions_created: count,
  variants_killed: count,
  changes_skipped: count.describe('Targets changed since they were read; suggestions already made or dismissed'),
  changes_rejected: count.describe('Changes the optimizer proposed that the loop’s checks refused'),
  failed_campaigns: z.array(z.object({ campaign_id: uuid, error: z.string() })),
  stale_assets_flagged: count,
  underperforming_alerts: count,
  summary: z.object({ week_start: z.string(), week_end: z.string(), created: z.boolean() }).nullable(),
});
const cronResponse = z.object({
  success: z.literal(true),
  mode: z.enum(LOOP_MODES),
  tenants_processed: count,
  results: z.array(loopRunSchema),
  errors: z.array(z.object({ tenant_id: uuid, error: z.string() })).describe('Tenants whose run could not finish'),
});

const seedCycleResponse = z.object({
  success: z.literal(true),
  result: z.object({
    success: z.literal(true),
    timestamp: z.iso.datetime(),
    actions_taken: z.object({
      campaigns_paused: z.number().int(),
      campaigns_scaled: z.number().int(),
      opportunities_detected: z.number().int(),
    }),
  }),
  message: z.literal('Autonomous operations completed successfully'),
});

export function seedFunctionRoutes(
  api: ApiRouter,
  deps: { metrics: Metrics; db: Database; optimizer: CampaignOptimizer; limits: RunLimits },
): void {
  const tag = 'Seed functions';

  api.tenant(
    {
      method: 'post',
      path: '/functions/v1/autonomous-operations',
      tag,
      summary: 'Run one autonomous cycle for the caller’s tenant (the seed’s edge function)',
      access: 'admin',
      responses: { 200: { description: 'The seed’s response, byte for byte', schema: seedCycleResponse } },
    },
    async ({ c, db, principal }) => {
      const result = await runObservedCycle(deps.metrics, db, principal.tenantId, {
        triggeredBy: 'api',
        limits: deps.limits,
        signal: c.req.raw.signal,
      });
      const { campaigns_paused, campaigns_scaled, opportunities_detected } = result.actions_taken;
      return c.json({
        success: true,
        result: {
          success: true,
          timestamp: result.timestamp,
          actions_taken: { campaigns_paused, campaigns_scaled, opportunities_detected },
        },
        message: 'Autonomous operations completed successfully',
      });
    },
  );

  for (const [path, defaultMode] of [
    ['/functions/v1/cmo-optimizer-cron', 'optimize'],
    ['/functions/v1/cmo-cron-weekly', 'summarize'],
  ] as const) {
    api.system(
      {
        method: 'post',
        path,
        tag,
        summary: `The CMO loop for every tenant (the seed’s cron entry; mode ${defaultMode} unless the body names one)`,
        description:
          'optimize: every live campaign through the optimizer (applied under autopilot, suggested otherwise); full: optimize, stale content, underperforming alerts; summarize: the weekly summary of the last complete week. One agent_runs row per tenant.',
        access: 'internal',
        body: cronBody(defaultMode),
        responses: { 200: { description: 'One result per tenant', schema: cronResponse } },
      },
      async ({ c, body }) => {
        const report = await runCmoLoopForTenants(deps.db, await allTenantIds(deps.db), {
          mode: body.mode,
          optimizer: deps.optimizer,
          triggeredBy: 'api',
          limits: deps.limits,
        });
        return c.json({
          success: true,
          mode: report.mode,
          tenants_processed: report.tenants_processed,
          results: report.results.map(briefLoopReport),
          errors: report.errors,
        });
      },
    );
  }
}
