// /api/opportunities: what the cycle found worth a person's attention, newest detection first in
// cursor pages, and working one: start it, resolve it, or dismiss it (which keeps the detector
// quiet about it for 30 days). Moving one where it already is answers 409, as the ledger does.
import type { Context } from 'hono';
import { z } from 'zod';
import { opportunityRecord } from '../contract/opportunities.ts';
import { OPPORTUNITY_SEVERITIES, OPPORTUNITY_STATUSES, OPPORTUNITY_TYPES } from '../contract/opportunity-vocabulary.ts';
import type { Database } from '../db/port.ts';
import { getOpportunity, listOpportunities, type OpportunityRow } from '../db/repositories/opportunities.ts';
import {
  OpportunityNotFoundError,
  type OpportunityStatus,
  OpportunityStatusError,
  setOpportunityStatus,
} from '../engine/opportunity-status.ts';
import type { Principal } from '../server/authenticate.ts';
import { ProblemError } from '../server/problem.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, uuid } from './schemas.ts';

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  opportunity_type: z.enum(OPPORTUNITY_TYPES).optional(),
  campaign_id: uuid.optional(),
  severity: z.enum(OPPORTUNITY_SEVERITIES).optional(),
});

function show({ sort_key: _, ...row }: OpportunityRow) {
  return row;
}

async function move(c: Context, db: Database, principal: Principal, id: string, status: OpportunityStatus) {
  let outcome: { unchanged: boolean };
  try {
    outcome = await setOpportunityStatus(db, principal.tenantId, id, status);
  } catch (error) {
    if (error instanceof OpportunityNotFoundError) throw new ProblemError(404, error.message);
    if (error instanceof OpportunityStatusError) throw new ProblemError(409, error.message);
    throw error;
  }
  if (outcome.unchanged) {
    throw new ProblemError(409, `the opportunity is already ${status}: nothing was changed`, {
      errors: [{ field: 'status', message: `is ${status}` }],
    });
  }
  const row = await db.session((s) => getOpportunity(s, principal.tenantId, id));
  return c.json(show(row!));
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
      const rows = await db.session((s) => listOpportunities(s, principal.tenantId, query));
      return c.json(toPage(rows, query.limit));
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
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => getOpportunity(s, principal.tenantId, params.id));
      if (!row) throw new ProblemError(404, `no opportunity ${params.id}`);
      return c.json(show(row));
    },
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
      ({ c, db, principal, params }) => move(c, db, principal, params.id, status),
    );
  }
}
