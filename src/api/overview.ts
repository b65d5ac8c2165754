// /api/overview: the dashboard's stat cards, read in one statement; the campaigns the engine would
// pause or scale now; and the spend, revenue and ROI charts.
import { z } from 'zod';
import type { DecisionReport } from '../contract/cycles.ts';
import { overviewCampaigns, overviewFigures, overviewTrend } from '../contract/overview.ts';
import { overview } from '../db/repositories/overview.ts';
import {
  campaignLifetimes,
  dailyTotals,
  roiDistribution,
  ruleDescriptions,
  tenantCurrency,
} from '../db/repositories/overview-charts.ts';
import { roiText } from '../domain/decision-text.ts';
import { runCycle } from '../engine/cycle.ts';
import type { ApiRouter } from './router.ts';

/** Cards per list: the dashboard shows the worst and the surest, not every campaign. */
const CARD_LIMIT = 20;

// Worst first; a campaign without ROI (no spend) after every measured one.
const byRoi = (a: DecisionReport, b: DecisionReport) =>
  (a.previous_state.roi ?? Number.POSITIVE_INFINITY) - (b.previous_state.roi ?? Number.POSITIVE_INFINITY) ||
  a.campaign_id.localeCompare(b.campaign_id);
const byConfidence = (a: DecisionReport, b: DecisionReport) =>
  b.confidence - a.confidence || a.campaign_id.localeCompare(b.campaign_id);

const decisionCard = (d: DecisionReport) => ({
  campaign_id: d.campaign_id,
  title: d.title,
  roi: d.previous_state.roi,
  budget: d.previous_state.budget,
  confidence: d.confidence,
  rule: d.rule,
  reason: d.reason,
  mode: d.mode,
});

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
      const row = await db.session((s) => overview(s, principal.tenantId, query.days));
      return c.json({ days: query.days, ...row });
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
    async ({ c, db, principal }) => {
      // The engine itself, not a copy of its rules, so the cards say what the next cycle does. Not
      // through runObservedCycle: a page view is not a cycle, and would swamp the dry-run metrics.
      // A preview takes no lock and writes nothing, as POST /api/cycles/dry-run.
      const preview = await runCycle(db, principal.tenantId, { dryRun: true, signal: c.req.raw.signal });
      const pauses = preview.decisions.filter((d) => d.action_type === 'auto_pause').sort(byRoi);
      const scales = preview.decisions.filter((d) => d.action_type === 'auto_scale_up').sort(byConfidence);
      const shown = pauses.slice(0, CARD_LIMIT);
      const [lifetimes, descriptions] = await db.session(
        async (s) =>
          [
            await campaignLifetimes(
              s,
              principal.tenantId,
              shown.map((d) => d.campaign_id),
              new Date(preview.timestamp),
            ),
            await ruleDescriptions(s, principal.tenantId, [...new Set(shown.map((d) => d.rule))]),
          ] as const,
      );
      const lifetime = new Map(lifetimes.map((row) => [row.campaign_id, row]));
      return c.json({
        underperforming: shown.map((d) => {
          const totals = lifetime.get(d.campaign_id);
          return {
            ...decisionCard(d),
            spend: totals?.spend ?? 0,
            ctr: totals?.ctr ?? null,
            hours_running: totals?.hours_running ?? null,
            recommendation: `${d.rule}: ${roiText(d.previous_state.roi)} — ${descriptions.get(d.rule) ?? d.reason}`,
          };
        }),
        scaling: scales.slice(0, CARD_LIMIT).map((d) => ({ ...decisionCard(d), suggested_budget: d.new_state.budget })),
        evaluated_at: preview.timestamp,
      });
    },
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
      const charts = await db.session(async (s) => ({
        currency: await tenantCurrency(s, principal.tenantId),
        daily: await dailyTotals(s, principal.tenantId, query.days),
        roi_distribution: await roiDistribution(s, principal.tenantId),
      }));
      return c.json({ days: query.days, ...charts });
    },
  );
}
