// The dashboard's figures, for /api/overview: the stat cards, the campaigns the engine would pause
// or scale now (the engine's own dry run, not a copy of its rules, so the cards say what the next
// cycle does), and the spend, revenue and ROI charts.

import type { DecisionReport } from '../contract/cycles.ts';
import type { Database } from '../db/port.ts';
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

/** Cards per list: the dashboard shows the worst and the surest, not every campaign. */
export const CARD_LIMIT = 20;

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

export function overviewCards(db: Database, tenantId: string, days: number) {
  return db.session((s) => overview(s, tenantId, days));
}

/**
 * The pauses (worst ROI first) and budget increases (most confident first) a dry run of the cycle
 * decides now. Not through runObservedCycle: a page view is not a cycle, and would swamp the
 * dry-run metrics. A preview takes no lock and writes nothing, as POST /api/cycles/dry-run.
 */
export async function campaignCards(db: Database, tenantId: string, signal: AbortSignal) {
  const preview = await runCycle(db, tenantId, { dryRun: true, signal });
  const pauses = preview.decisions.filter((d) => d.action_type === 'auto_pause').sort(byRoi);
  const scales = preview.decisions.filter((d) => d.action_type === 'auto_scale_up').sort(byConfidence);
  const shown = pauses.slice(0, CARD_LIMIT);
  const [lifetimes, descriptions] = await db.session(
    async (s) =>
      [
        await campaignLifetimes(
          s,
          tenantId,
          shown.map((d) => d.campaign_id),
          new Date(preview.timestamp),
        ),
        await ruleDescriptions(s, tenantId, [...new Set(shown.map((d) => d.rule))]),
      ] as const,
  );
  const lifetime = new Map(lifetimes.map((row) => [row.campaign_id, row]));
  return {
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
  };
}

/** Daily spend and revenue over the last `days` days, and active campaigns counted by ROI band. */
export function trendCharts(db: Database, tenantId: string, days: number) {
  return db.session(async (s) => ({
    currency: await tenantCurrency(s, tenantId),
    daily: await dailyTotals(s, tenantId, days),
    roi_distribution: await roiDistribution(s, tenantId),
  }));
}
