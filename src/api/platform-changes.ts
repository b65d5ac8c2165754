// /api/platform-changes: the pauses, resumes and budgets on their way to the ad platforms (the
// outbox every executed action on a linked campaign writes), and a dry run of the queued ones.
// Sending is the delivery worker's (the ad-platform-changes task); cancelling one is dismissing or
// rolling back its action.
import { z } from 'zod';
import { pageSchema } from '../contract/page.ts';
import { PLATFORM_CHANGE_STATUSES, platformChangeCheck, platformChangeRecord } from '../contract/platform-changes.ts';
import { checkPlatformChanges } from '../services/platform-change-check.ts';
import { listPlatformChanges } from '../services/platform-change-records.ts';
import type { AdAccountRouteDeps } from './ad-accounts.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { uuid } from './schemas.ts';

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(PLATFORM_CHANGE_STATUSES).optional(),
  campaign_id: uuid.optional(),
  action_id: uuid.optional(),
});

export function platformChangeRoutes(api: ApiRouter, deps: AdAccountRouteDeps): void {
  const tag = 'Ad accounts';

  api.tenant(
    {
      method: 'get',
      path: '/api/platform-changes',
      tag,
      summary: 'List the changes sent (or on their way) to the ad platforms, newest first',
      description:
        'One row per field an executed action on a linked campaign changes. Its action stays applying until the platform confirms (then executed) or refuses (then failed, with the platform’s words).',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of changes', schema: pageSchema(platformChangeRecord) } },
    },
    async ({ c, db, principal, query }) =>
      c.json(toPage(await listPlatformChanges(db, principal.tenantId, query), query.limit)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/platform-changes/check',
      tag,
      summary: 'Dry run: would the platforms take the queued changes?',
      description:
        'Asks each platform about each queued change without making it: Google Ads with validateOnly, Meta with execution_options ["validate_only"]. Nothing is sent for real, claimed or written; the delivery worker sends them as before.',
      access: 'member',
      responses: { 200: { description: 'A verdict per queued change', schema: platformChangeCheck } },
    },
    async ({ c, db, principal }) =>
      c.json({ changes: await checkPlatformChanges(db, { ...deps.adPlatforms, tenantId: principal.tenantId }) }),
  );
}
