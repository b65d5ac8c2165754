// The seeds' function endpoints, with their exact request and response shapes:
//   POST /functions/v1/autonomous-operations (Bearer; an admin): one cycle for the caller's tenant.
//   POST /functions/v1/cmo-optimizer-cron, /functions/v1/cmo-cron-weekly (x-internal-secret).
// The CMO loop comes with a later issue; until then its endpoints answer 501. The campaign
// runner's POST /api/campaigns/run-automation is in campaign-runner.ts.
import { z } from 'zod';
import type { Metrics } from '../server/metrics.ts';
import { ProblemError } from '../server/problem.ts';
import { runObservedCycle } from './observed-cycle.ts';
import type { ApiRouter } from './router.ts';

const MODES = ['optimize', 'full', 'summarize'] as const;
/** The seeds' pg_cron jobs post `{"cron": true, "mode": ...}`; the weekly one leaves mode out. */
const cronBody = (defaultMode: (typeof MODES)[number]) =>
  z.strictObject({ cron: z.literal(true), mode: z.enum(MODES).default(defaultMode) });

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

export function seedFunctionRoutes(api: ApiRouter, deps: { metrics: Metrics }): void {
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
      const result = await runObservedCycle(deps.metrics, db, principal.tenantId, { triggeredBy: 'api' });
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
        summary: 'The CMO loop’s cron entry (arrives with the CMO loop issue; 501 until then)',
        access: 'internal',
        body: cronBody(defaultMode),
        responses: { 501: { description: 'Not available yet' } },
      },
      () => {
        throw new ProblemError(501, 'the CMO daily loop is not available yet (it arrives with the CMO loop issue)');
      },
    );
  }
}
