// /api/overview: the dashboard's stat cards, read in one statement; the campaigns the engine would
// pause or scale now; and the spend, revenue and ROI charts.
import { z } from 'zod';
import { overviewCampaigns, overviewFigures, overviewTrend } from '../contract/overview.ts';
import { CARD_LIMIT, campaignCards, overviewCards, trendCharts } from '../services/overview.ts';
import type { ApiRouter } from './router.ts';

export function overviewRoutes(api: ApiRouter): void {
  api.tenant(
    {
      method: 'get',
      path: '/api/overview',
      tag: 'Overview',
      summary: 'The dashboard’s figures',
      description:
        'Action counts cover the last `days` days (by when the action was recorded); the backlog is current.',
      access: 'viewer',
      query: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30) }),
      responses: { 200: { description: 'The stat cards', schema: overviewFigures } },
    },
    async ({ c, db, principal, query }) => {
      return c.json({ days: query.days, ...(await overviewCards(db, principal.tenantId, query.days)) });
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/overview/campaigns',
      tag: 'Overview',
      summary: 'Campaigns the engine would pause or scale now',
      description: `The decisions of a dry run of the cycle (POST /api/cycles/dry-run): pauses are the underperforming campaigns, worst ROI first; budget increases the scaling candidates, most confident first. At most ${CARD_LIMIT} of each. Nothing is recorded; campaigns a guardrail holds back, or with a suggestion already pending, are not listed. Waits for a cycle running for the tenant.`,
      access: 'viewer',
      query: z.strictObject({}),
      responses: { 200: { description: 'The red and the green cards', schema: overviewCampaigns } },
    },
    async ({ c, db, principal }) => c.json(await campaignCards(db, principal.tenantId, c.req.raw.signal)),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/overview/trend',
      tag: 'Overview',
      summary: 'Daily spend and revenue, and how active campaigns spread by ROI',
      description:
        'daily: every UTC day of the last `days` days, today included, oldest first, summed over all campaigns and channels (zero on days without stats). roi_distribution: active campaigns with lifetime spend, counted by lifetime ROI band; all six bands, empty ones included.',
      access: 'viewer',
      query: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30) }),
      responses: { 200: { description: 'The charts’ series', schema: overviewTrend } },
    },
    async ({ c, db, principal, query }) => {
      return c.json({ days: query.days, ...(await trendCharts(db, principal.tenantId, query.days)) });
    },
  );
}
