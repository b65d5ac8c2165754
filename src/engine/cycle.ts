// One autonomous cycle for one tenant: find rule matches (set-based SQL), score and guard them,
// then write every campaign change together with its ledger row in one transaction.
// A transaction-scoped advisory lock per tenant serialises concurrent cycles: the second one
// sees the first one's effects (paused campaigns are no longer active, scaled ones are in their
// cooldown, suggestions are pending) and so adds nothing.
import type { Database, SqlSession } from '../db/port.ts';
import { applyGuardrails, guardrailSettingsSchema, type Proposal, type Stop } from '../domain/guardrails.ts';
import { applyProposals } from './apply-proposals.ts';
import { findCandidates, tenantOrderValue } from './candidates.ts';
import { detectOpportunities, previewOpportunities, recordOpportunities } from './opportunities.ts';
import { preparePerformance } from './performance.ts';
import { connectedPlatforms } from './social-schedule.ts';

export interface CycleOptions {
  dryRun?: boolean;
  /** The clock of the cycle (tests and backtests move it). */
  now?: Date;
  triggeredBy?: 'schedule' | 'user' | 'api' | 'cli';
  /** Evaluate this rule only, as if it were the tenant's one rule (a rule preview). */
  ruleId?: string;
}

export interface GuardrailStopReport {
  campaign_id: string;
  title: string;
  rule: string;
  guardrail: Stop['guardrail'];
  detail: string;
}

export interface DecisionReport {
  campaign_id: string;
  title: string;
  rule: string;
  action_type: Proposal['actionType'];
  mode: Proposal['mode'];
  previous_state: Proposal['previousState'];
  new_state: Proposal['newState'];
  confidence: number;
  reason: string;
}

export interface CycleResult {
  success: true;
  timestamp: string;
  tenant_id: string;
  cycle_id: string | null;
  dry_run: boolean;
  actions_taken: {
    campaigns_paused: number;
    campaigns_scaled: number;
    campaigns_posted: number;
    opportunities_detected: number;
  };
  /** Alerts raised by notify rules. */
  notifications_sent: number;
  /** Open opportunities whose condition cleared this cycle. */
  opportunities_resolved: number;
  suggestions_created: number;
  guardrail_stops: GuardrailStopReport[];
  decisions: DecisionReport[];
}

export class TenantNotFoundError extends Error {
  override name = 'TenantNotFoundError';
}

export async function runCycle(db: Database, tenantId: string, options: CycleOptions = {}): Promise<CycleResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (s) => {
    await lockTenantCycle(s, tenantId);
    const [tenant] = await s.query<{
      currency: string;
      autonomous_enabled: boolean;
      settings: { guardrails?: unknown };
    }>('SELECT currency, autonomous_enabled, settings FROM tenants WHERE id = $1', [tenantId]);
    if (!tenant) throw new TenantNotFoundError(`no tenant ${tenantId}`);
    const settings = guardrailSettingsSchema.parse(tenant.settings.guardrails ?? {});
    const asOf = now.toISOString().slice(0, 10);
    await preparePerformance(s, tenantId, asOf, now);
    const candidates = (await findCandidates(s, tenantId)).filter(
      (c) => !c.hasPendingSuggestion && (options.ruleId === undefined || c.ruleId === options.ruleId),
    );
    const priorOrderValue = await tenantOrderValue(s, tenantId);
    const socialPlatforms = await connectedPlatforms(s, tenantId);
    const outcomes = applyGuardrails(candidates, {
      settings,
      autonomousEnabled: tenant.autonomous_enabled,
      priorOrderValue,
      now,
      budgetAddedToday: await budgetAddedToday(s, tenantId, now),
      currency: tenant.currency,
      socialPlatforms,
    });
    const proposals = outcomes.filter((o): o is Proposal => o.kind === 'proposal');
    const stops = outcomes.filter((o): o is Stop => o.kind === 'stop');
    const executed = proposals.filter((p) => p.mode === 'execute');
    const executedCount = (type: Proposal['actionType']) => executed.filter((p) => p.actionType === type).length;

    // Opportunities of the campaigns as they will be after this cycle: one it pauses has no
    // live problems left (and a preview counts exactly what the real cycle will record).
    const pausing = new Set(executed.filter((p) => p.actionType === 'auto_pause').map((p) => p.candidate.campaignId));
    const detected = (await detectOpportunities(s, tenantId, asOf, now, priorOrderValue)).filter(
      (o) => !pausing.has(o.campaignId),
    );
    let cycleId: string | null = null;
    let opportunities: { opened: number; resolved: number };
    if (options.dryRun) {
      opportunities = await previewOpportunities(s, tenantId, detected);
    } else {
      cycleId = await recordCycle(s, tenantId, options.triggeredBy ?? 'cli', now);
      await applyProposals(s, tenantId, cycleId, proposals, { now, socialPlatforms });
      opportunities = await recordOpportunities(s, tenantId, detected, now);
    }
    const result: CycleResult = {
      success: true,
      timestamp: now.toISOString(),
      tenant_id: tenantId,
      cycle_id: cycleId,
      dry_run: options.dryRun ?? false,
      actions_taken: {
        campaigns_paused: executedCount('auto_pause'),
        campaigns_scaled: executedCount('auto_scale_up'),
        campaigns_posted: executedCount('auto_post'),
        opportunities_detected: opportunities.opened,
      },
      notifications_sent: executedCount('notify'),
      opportunities_resolved: opportunities.resolved,
      suggestions_created: proposals.length - executed.length,
      guardrail_stops: stops.map((stop) => ({
        campaign_id: stop.candidate.campaignId,
        title: stop.candidate.title,
        rule: stop.candidate.ruleName,
        guardrail: stop.guardrail,
        detail: stop.detail,
      })),
      decisions: proposals.map((p) => ({
        campaign_id: p.candidate.campaignId,
        title: p.candidate.title,
        rule: p.candidate.ruleName,
        action_type: p.actionType,
        mode: p.mode,
        previous_state: p.previousState,
        new_state: p.newState,
        confidence: p.confidence,
        reason: p.reason,
      })),
    };
    if (cycleId) {
      await s.query(
        "UPDATE autonomous_cycles SET status = 'completed', summary = $3, finished_at = now() WHERE tenant_id = $1 AND id = $2",
        [tenantId, cycleId, JSON.stringify({ ...result, decisions: undefined })],
      );
    }
    return result;
  });
}

/** Waits for the tenant's running cycle, if any, and holds off the next until the transaction ends. */
export async function lockTenantCycle(s: SqlSession, tenantId: string): Promise<void> {
  await s.query("SELECT pg_advisory_xact_lock(hashtextextended('nightshift-cycle:' || $1, 0))", [tenantId]);
}

async function budgetAddedToday(s: SqlSession, tenantId: string, now: Date): Promise<number> {
  const [row] = await s.query<{ added: number }>(
    `SELECT coalesce(sum((new_state->>'budget')::numeric - (previous_state->>'budget')::numeric), 0)::float8 AS added
       FROM autonomous_actions
      WHERE tenant_id = $1 AND action_type = 'auto_scale_up' AND status = 'executed'
        AND executed_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [tenantId, now.toISOString()],
  );
  return row?.added ?? 0;
}

async function recordCycle(s: SqlSession, tenantId: string, triggeredBy: string, now: Date): Promise<string> {
  const [row] = await s.query<{ id: string }>(
    'INSERT INTO autonomous_cycles (tenant_id, triggered_by, started_at) VALUES ($1, $2, $3) RETURNING id',
    [tenantId, triggeredBy, now.toISOString()],
  );
  return row!.id;
}
