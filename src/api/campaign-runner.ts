// POST /api/campaigns/run-automation (seed 003): launches the caller's due scheduled campaigns
// and answers the runner's own response, field for field. `organization_id` may name only the
// caller's tenant (another tenant's id is a 404, as every other route answers it); the runner over
// all tenants is the scheduled job and `nightshift run-automation`.
import { z } from 'zod';
import { runCampaignAutomation } from '../runner/campaign-runner.ts';
import { ProblemError } from '../server/problem.ts';
import type { ApiRouter } from './router.ts';
import { uuid } from './schemas.ts';

const runnerResponse = z.object({
  processed_count: z.number().int(),
  campaigns: z.array(
    z.object({
      campaign_id: uuid,
      organization_id: uuid,
      name: z.string(),
      previous_status: z.string(),
      new_status: z.string(),
      recipients_generated: z.boolean(),
      recipient_count: z.number().int(),
    }),
  ),
  errors: z.array(z.object({ campaign_id: uuid, error: z.string() })),
});

export function campaignRunnerRoutes(api: ApiRouter, deps: { systemUserId: string }): void {
  api.tenant(
    {
      method: 'post',
      path: '/api/campaigns/run-automation',
      tag: 'Campaigns',
      summary: 'Launch due scheduled campaigns (the campaign runner)',
      description:
        'Every campaign of the tenant with status `scheduled` and `scheduled_at` in the past: recipients are generated from its audience segment unless it has some already, and its status becomes `sending`. Idempotent: a campaign already launched is not taken again. One campaign’s failure is listed in `errors` and the others go on.',
      access: 'admin',
      query: z.strictObject({ organization_id: uuid.optional() }),
      responses: { 200: { description: 'What the runner did', schema: runnerResponse } },
    },
    async ({ c, db, principal, query }) => {
      if (query.organization_id !== undefined && query.organization_id !== principal.tenantId) {
        throw new ProblemError(404, `no organization ${query.organization_id}`);
      }
      const result = await runCampaignAutomation(db, { tenantId: principal.tenantId, systemUserId: deps.systemUserId });
      return c.json(result);
    },
  );
}
