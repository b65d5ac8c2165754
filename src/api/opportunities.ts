// /api/opportunities: what the cycle found worth a person's attention, newest detection first in
// cursor pages, and working one: start it, resolve it, or dismiss it (which keeps the detector
// quiet about it for 30 days). Moving one where it already is answers 409, as the ledger does.
import type { Context } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/port.ts';
import { getOpportunity, listOpportunities, type OpportunityRow } from '../db/repositories/opportunities.ts';
import { OPPORTUNITY_TYPES } from '../engine/opportunities.ts';
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
import { idParams, timestamp, uuid } from './schemas.ts';

const STATUSES = ['open', 'in_progress', 'resolved', 'dismissed'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(STATUSES).optional(),
  opportunity_type: z.enum(OPPORTUNITY_TYPES).optional(),
  campaign_id: uuid.optional(),
  severity: z.enum(SEVERITIES).optional(),
});

const opportunity = z.object({
  id: uuid,
  campaign_id: uuid,
  campaign_title: z.string(),
  opportunity_type: z.enum(OPPORTUNITY_TYPES),
  severity: z.enum(SEVERITIES),
  status: z.enum(STATUSES),
  description: z.string(),
  suggested_action: z.string(),
  confidence_score: z.number().nullable().describe('A probability in [0, 1] computed from the data'),
  evidence: z.record(z.string(), z.unknown()),
  detected_at: timestamp,
  last_seen_at: timestamp,
  resolved_at: timestamp.nullable(),
  updated_at: timestamp,
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
    200: { description: 'The opportunity after the change', schema: opportunity },
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
      responses: { 200: { description: 'A page of opportunities', schema: pageSchema(opportunity) } },
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
      responses: { 200: { description: 'The opportunity', schema: opportunity } },
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
