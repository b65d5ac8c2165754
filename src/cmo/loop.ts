// The CMO daily execution loop for one tenant (seed 000: cmo-optimizer-cron → cmo-orchestrator →
// cmo-optimizer), in three modes:
//   optimize   every live campaign through the optimizer: applied when autopilot is on (the
//              campaign's and the tenant's), stored as suggestions otherwise;
//   full       optimize, then stale content and underperforming alerts (the daily loop);
//   summarize  the weekly summary of the last complete week (the weekly job).
// Every run of every mode is one agent_runs row (agent cmo_orchestrator_cron). A campaign that
// fails is recorded there and the run goes on with the next one; the run then ends 'failed' with
// the failures listed, so nobody mistakes a partial run for a clean one. Running a mode twice the
// same day changes nothing the second time: applied changes leave nothing left to change, the
// same suggestion is not made twice, flags and alerts carry once-only keys, and a week has one summary.
import { finishAgentRun, startAgentRun } from '../agents/agent-run.ts';
import type { CampaignOptimizer } from '../agents/optimizer.ts';
import { boundedView } from '../db/bounded-view.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../domain/run-limits.ts';
import { flagStaleContent, raiseUnderperformingAlerts, staleCandidates } from './daily-checks.ts';
import { loadLoopInputs } from './loop-inputs.ts';
import { messageOf, type OptimizeOutcome, optimizeCampaigns } from './optimize-campaigns.ts';
import { summaryMarkdown } from './summary-report.ts';
import { computeWeeklySummary, lastCompleteWeek, storeWeeklySummary } from './weekly-summary.ts';

export const LOOP_MODES = ['optimize', 'full', 'summarize'] as const;
export type LoopMode = (typeof LOOP_MODES)[number];
export const LOOP_AGENT = 'cmo_orchestrator_cron';

export interface LoopOptions {
  mode: LoopMode;
  optimizer: CampaignOptimizer;
  triggeredBy: 'schedule' | 'api' | 'cli';
  /** The loop's clock (tests move it). */
  now?: Date;
  batchSize?: number;
  /** Bounds on each of the run's transactions (statement and lock timeouts). */
  limits?: RunLimits;
  /** Aborting it (a shutdown, a client gone) cancels the run's statements; what was written stays. */
  signal?: AbortSignal;
  /** Runs between reading the campaigns and writing the changes (tests hold a run there). */
  beforeWrite?: () => Promise<void>;
}

export interface LoopReport {
  tenant_id: string;
  run_id: string;
  mode: LoopMode;
  status: 'completed' | 'failed';
  error: string | null;
  optimize: OptimizeOutcome | null;
  stale_assets_flagged: string[];
  underperforming_alerts: string[];
  summary: { week_start: string; week_end: string; created: boolean } | null;
}

export async function runCmoLoop(db: Database, tenantId: string, options: LoopOptions): Promise<LoopReport> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? DEFAULT_RUN_LIMITS;
  const scoped = tenantScoped(boundedView(db, { bounds: limits, signal: options.signal }), tenantId);
  const runId = await startAgentRun(scoped, tenantId, {
    agent: LOOP_AGENT,
    mode: options.mode,
    input: { mode: options.mode, cron: options.triggeredBy === 'schedule', triggered_by: options.triggeredBy },
    provider: options.mode === 'summarize' ? null : options.optimizer.provider,
    model: options.mode === 'summarize' ? null : options.optimizer.model,
  });
  const report: LoopReport = {
    tenant_id: tenantId,
    run_id: runId,
    mode: options.mode,
    status: 'completed',
    error: null,
    optimize: null,
    stale_assets_flagged: [],
    underperforming_alerts: [],
    summary: null,
  };
  try {
    if (options.mode === 'summarize') {
      report.summary = await summarizeWeek(scoped, tenantId, runId, now);
    } else {
      const inputs = await loadLoopInputs(scoped, tenantId);
      await options.beforeWrite?.();
      // The underperforming alerts read the campaigns' totals, which optimizing does not change:
      // they are raised on a connection of their own meanwhile.
      const alerts =
        options.mode === 'full'
          ? scoped.transaction((s) => raiseUnderperformingAlerts(s, tenantId, inputs.settings, now))
          : Promise.resolve([]);
      // Awaited below; until then a failure must not count as unhandled.
      alerts.catch(() => {});
      const optimize = await optimizeCampaigns(scoped, tenantId, inputs, {
        agentRunId: runId,
        optimizer: options.optimizer,
        now,
        batchSize: options.batchSize,
      });
      report.optimize = optimize;
      if (options.mode === 'full') {
        // After the changes: a change made now makes its content young again.
        const candidates = staleCandidates(inputs.contentUpdatedAt, inputs.settings, now);
        report.stale_assets_flagged = await scoped.transaction((s) =>
          flagStaleContent(s, tenantId, inputs.settings, now, candidates),
        );
      }
      report.underperforming_alerts = await alerts;
      const failed = optimize.failed_campaigns;
      if (failed.length > 0) {
        report.status = 'failed';
        report.error = `${failed.length} of ${failed.length + optimize.campaigns_optimized} campaigns failed; first: ${failed[0]!.campaign_id}: ${failed[0]!.error}`;
      }
    }
  } catch (error) {
    report.status = 'failed';
    report.error = messageOf(error);
    await finishAgentRun(scoped, tenantId, runId, { status: 'failed', output: outputOf(report), error: report.error });
    throw error;
  }
  await finishAgentRun(scoped, tenantId, runId, {
    status: report.status,
    output: outputOf(report),
    error: report.error,
  });
  return report;
}

/** The counts of a run, as the cron endpoints, the CLI and the job history show them. */
export function briefLoopReport(report: LoopReport) {
  const o = report.optimize;
  return {
    tenant_id: report.tenant_id,
    run_id: report.run_id,
    mode: report.mode,
    status: report.status,
    error: report.error,
    campaigns_optimized: o?.campaigns_optimized ?? 0,
    changes_applied: o?.changes_applied ?? 0,
    suggestions_created: o?.suggestions_created ?? 0,
    variants_killed: o?.variants_killed ?? 0,
    changes_skipped: o?.changes_skipped ?? 0,
    changes_rejected: o?.changes_rejected ?? 0,
    failed_campaigns: o?.failed_campaigns ?? [],
    stale_assets_flagged: report.stale_assets_flagged.length,
    underperforming_alerts: report.underperforming_alerts.length,
    summary: report.summary,
  };
}

async function summarizeWeek(db: Database, tenantId: string, runId: string, now: Date) {
  const { weekStart, weekEnd } = lastCompleteWeek(now);
  const created = await db.transaction(async (s) => {
    const summary = await computeWeeklySummary(s, tenantId, weekStart);
    return storeWeeklySummary(s, tenantId, summary, summaryMarkdown(summary), runId);
  });
  return { week_start: weekStart, week_end: weekEnd, created };
}

/** What agent_runs.output keeps: the counts, the failures, and the ids of what was flagged. */
function outputOf(report: LoopReport): Record<string, unknown> {
  return {
    optimize: report.optimize,
    stale_assets_flagged: report.stale_assets_flagged,
    underperforming_alerts: report.underperforming_alerts,
    summary: report.summary,
  };
}
