// /api/opportunities: what the cycle found worth a person's attention, newest detection first in
// cursor pages, and working one: start it, resolve it, or dismiss it (which keeps the detector
// quiet about it for 30 days). Moving one where it already is answers 409, as the ledger does.
import { z } from 'zod';
import { opportunityRecord } from '../contract/opportunities.ts';
import { OPPORTUNITY_SEVERITIES, OPPORTUNITY_STATUSES, OPPORTUNITY_TYPES } from '../contract/opportunity-vocabulary.ts';
import { pageSchema } from '../contract/page.ts';
import { getOpportunity, listOpportunities, moveOpportunity } from '../services/opportunities.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, uuid } from './schemas.ts';

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  opportunity_type: z.enum(OPPORTUNITY_TYPES).optional(),
  campaign_id: uuid.optional(),
  severity: z.enum(OPPORTUNITY_SEVERITIES).optional(),
});

function show<Row extends { sort_key: string }>({ sort_key: _, ...row }: Row) {
  return row;
}

export function opportunityRoutes(api: ApiRouter): void {
  const tag = 'Opportunities';
  const moved = {
    200: { description: 'The opportunity after the change', schema: opportunityRecord },
    409: {
      description: 'The opportunity’s status does not allow this, or it already is there',
      mediaType: 'application/problem+json',
    },
  };

  api.tenant(
    {
      method: 'get',
      path: '/api/opportunities',
      tag,
      summary: 'List opportunities, newest detection first',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of opportunities', schema: pageSchema(opportunityRecord) } },
    },
    async ({ c, db, principal, query }) => {
      return c.json(toPage(await listOpportunities(db, principal.tenantId, query), query.limit));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/opportunities/{id}',
      tag,
      summary: 'Read an opportunity',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The opportunity', schema: opportunityRecord } },
    },
    async ({ c, db, principal, params }) => c.json(show(await getOpportunity(db, principal.tenantId, params.id))),
  );

  const transitions = [
    ['start', 'in_progress', 'Start working on an open opportunity'],
    ['resolve', 'resolved', 'Mark an open or in-progress opportunity resolved'],
    ['dismiss', 'dismissed', 'Dismiss an open or in-progress opportunity (not flagged again for 30 days)'],
  ] as const;
  for (const [verb, status, summary] of transitions) {
    api.tenant(
      {
        method: 'post',
        path: `/api/opportunities/{id}/${verb}`,
        tag,
        summary,
        access: 'member',
        params: idParams,
        responses: moved,
      },
      async ({ c, db, principal, params }) =>
        c.json(show(await moveOpportunity(db, principal.tenantId, params.id, status))),
    );
  }
}
