// /api/opportunities: what the cycle found worth a person's attention, newest detection first in
// cursor pages or grouped per campaign, and working one: start it, resolve it, dismiss it with a
// note (which keeps the detector quiet about it for 30 days), or undo a dismissal. Moving one where
// it already is answers 409, as the ledger does.
import { z } from 'zod';
import { opportunityGroups, opportunityRecord } from '../contract/opportunities.ts';
import { OPPORTUNITY_SEVERITIES, OPPORTUNITY_STATUSES, OPPORTUNITY_TYPES } from '../contract/opportunity-vocabulary.ts';
import { pageSchema } from '../contract/page.ts';
import {
  getOpportunity,
  opportunityGroups as groupOpportunities,
  listOpportunities,
  moveOpportunity,
} from '../services/opportunities.ts';
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

const groupQuery = z.strictObject({
  status: z
    .enum(['active', ...OPPORTUNITY_STATUSES])
    .default('active')
    .describe('active (the default): open and in progress'),
  opportunity_type: z.enum(OPPORTUNITY_TYPES).optional(),
  severity: z.enum(OPPORTUNITY_SEVERITIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many campaigns'),
});

const dismissBody = z
  .strictObject({
    note: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .describe('Why: shown on the card until the dismissal is undone'),
  })
  .optional();

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

  // Before /api/opportunities/{id}, which would take "by-campaign" for an id.
  api.tenant(
    {
      method: 'get',
      path: '/api/opportunities/by-campaign',
      tag,
      summary: 'Opportunities grouped per campaign, most severe first',
      description:
        'One entry per campaign with a matching opportunity: its findings (most severe, then surest, first) and the suggestions ' +
        'waiting for approval on it. Campaigns are ordered by their most severe finding, then by lifetime spend (the money ' +
        'at stake), largest first; `limit` of them, with how many match in all.',
      access: 'viewer',
      query: groupQuery,
      responses: { 200: { description: 'Campaigns and their findings', schema: opportunityGroups } },
    },
    async ({ c, db, principal, query }) => c.json(await groupOpportunities(db, principal.tenantId, query)),
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
    [
      'reopen',
      'open',
      'Undo a dismissal: the opportunity is open again (and may be flagged again); its note is cleared',
    ],
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

  api.tenant(
    {
      method: 'post',
      path: '/api/opportunities/{id}/dismiss',
      tag,
      summary: 'Dismiss an open or in-progress opportunity (not flagged again for 30 days), with an optional note',
      access: 'member',
      params: idParams,
      body: dismissBody,
      responses: moved,
    },
    async ({ c, db, principal, params, body }) =>
      c.json(show(await moveOpportunity(db, principal.tenantId, params.id, 'dismissed', body?.note))),
  );
}
