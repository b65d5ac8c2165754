// What the CMO agents stored, to read: /api/cmo-plans, /api/cmo-funnels (newest first in cursor
// pages, by workspace; one whole) and /api/cmo-recommendations (by workspace or by the run that
// made them). Viewers may read them, as they read the runs.
import { z } from 'zod';
import {
  cmoFunnelHead,
  cmoFunnelRecord,
  cmoPlanHead,
  cmoPlanRecord,
  cmoRecommendationRecord,
} from '../contract/cmo-documents.ts';
import { pageSchema } from '../contract/page.ts';
import * as documents from '../services/cmo-documents.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, uuid } from './schemas.ts';

export function cmoDocumentRoutes(api: ApiRouter): void {
  const tag = 'CMO agents';
  api.tenant(
    {
      method: 'get',
      path: '/api/cmo-plans',
      tag,
      summary: 'List the 90-day plans the strategy agent stored, newest first',
      access: 'viewer',
      query: z.strictObject({ workspace_id: uuid.optional(), ...pageQuery }),
      responses: { 200: { description: 'A page of plans', schema: pageSchema(cmoPlanHead) } },
    },
    async ({ c, db, principal, query }) =>
      c.json(toPage(await documents.listPlans(db, principal.tenantId, query), query.limit)),
  );
  api.tenant(
    {
      method: 'get',
      path: '/api/cmo-plans/{id}',
      tag,
      summary: 'One plan with its phases, channel mix, milestones, targets and risks',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The plan', schema: cmoPlanRecord }, 404: { description: 'No such plan' } },
    },
    async ({ c, db, principal, params }) => c.json(await documents.getPlan(db, principal.tenantId, params.id)),
  );
  api.tenant(
    {
      method: 'get',
      path: '/api/cmo-funnels',
      tag,
      summary: 'List the funnels the funnel agent stored, newest first',
      access: 'viewer',
      query: z.strictObject({ workspace_id: uuid.optional(), plan_id: uuid.optional(), ...pageQuery }),
      responses: { 200: { description: 'A page of funnels', schema: pageSchema(cmoFunnelHead) } },
    },
    async ({ c, db, principal, query }) =>
      c.json(toPage(await documents.listFunnels(db, principal.tenantId, query), query.limit)),
  );
  api.tenant(
    {
      method: 'get',
      path: '/api/cmo-funnels/{id}',
      tag,
      summary: 'One funnel with its stages',
      access: 'viewer',
      params: idParams,
      responses: {
        200: { description: 'The funnel', schema: cmoFunnelRecord },
        404: { description: 'No such funnel' },
      },
    },
    async ({ c, db, principal, params }) => c.json(await documents.getFunnel(db, principal.tenantId, params.id)),
  );
  api.tenant(
    {
      method: 'get',
      path: '/api/cmo-recommendations',
      tag,
      summary: 'List the optimization agent’s recommendations, newest first',
      access: 'viewer',
      query: z.strictObject({ workspace_id: uuid.optional(), agent_run_id: uuid.optional(), ...pageQuery }),
      responses: { 200: { description: 'A page of recommendations', schema: pageSchema(cmoRecommendationRecord) } },
    },
    async ({ c, db, principal, query }) =>
      c.json(toPage(await documents.listRecommendations(db, principal.tenantId, query), query.limit)),
  );
}
