// One autonomous cycle for one tenant, in two halves. The reading half finds rule matches
// (set-based SQL), scores and guards them, in one snapshot and holding no row locks, however long
// it takes (plan-cycle.ts). The writing half locks what the decisions rest on, drops those a person
// changed meanwhile (changed-since-read.ts), and writes every campaign change with its ledger row
// in one transaction. A work lock per tenant (src/db/work-locks.ts) spans both halves, so the
// second of two cycles sees the first one's effects (paused campaigns are no longer active, scaled
// ones are in their cooldown, suggestions are pending) and adds nothing; a dry run writes nothing
// and takes no lock.
//
// A replay (`asOf`, docs/replay.md) reads the tenant's past as it stood at that instant
// (as-of-snapshot.ts) and judges it with that instant as its clock. Applied (not a dry run), its
// decisions are written now, with now's timestamps, only where the campaign is still as it was then.
import type { CycleResult } from '../contract/cycles.ts';
import type { Database, SqlSession, TransactionOptions } from '../db/port.ts';
import type { LockHolder } from '../db/work-locks.ts';
import type { Proposal, Stop } from '../domain/guardrails.ts';
import { expectedValueRecord } from '../domain/model/action-value.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../domain/run-limits.ts';
import { applyProposals } from './apply-proposals.ts';
import { shadowWithPast } from './as-of-snapshot.ts';
import { checkUnchangedSinceRead } from './changed-since-read.ts';
import { previewOpportunities, recordOpportunities } from './opportunities.ts';
import { type CyclePlan, planCycle } from './plan-cycle.ts';

export interface CycleOptions {
  dryRun?: boolean;
  /** The clock of the cycle (tests and backtests move it); a replay's writes are dated by it. */
  now?: Date;
  /** Replay: judge the tenant's data as it stood at this instant (not after `now`). */
  asOf?: Date;
  triggeredBy?: 'schedule' | 'user' | 'api' | 'cli';
  /** Evaluate this rule only, as if it were the tenant's one rule (a rule preview). */
  ruleId?: string;
  limits?: RunLimits;
  /** Aborting it (a client that went away, a shutdown) cancels the cycle's work on the server. */
  signal?: AbortSignal;
  /** Told who runs the tenant's cycle when this one has to wait for it. */
  onLockWait?: (holder: LockHolder | undefined, tenantId: string) => void;
  /** Runs between the reading and the writing half (tests hold a cycle there). */
  beforeWrite?: () => Promise<void>;
}

/** The key of a tenant's cycle lock (src/db/work-locks.ts). */
export const cycleLockKey = (tenantId: string) => `cycle:${tenantId}`;

export async function runCycle(db: Database, tenantId: string, options: CycleOptions = {}): Promise<CycleResult> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? DEFAULT_RUN_LIMITS;
  const bounded: TransactionOptions = { bounds: limits, signal: options.signal };
  const { asOf } = options;
  // The reading half in one snapshot: a replay's view of the past lasts as long as this transaction.
  const snapshot = { ...bounded, isolation: 'repeatable read' } as const;
  if (options.dryRun) return db.transaction((s) => dryRunOn(s, tenantId, options), snapshot);
  const triggeredBy = options.triggeredBy ?? 'cli';
  return db.locks.run(
    cycleLockKey(tenantId),
    {
      what: `the autonomous cycle of tenant ${tenantId}`,
      holder: `cycle via ${triggeredBy}`,
      waitMs: limits.lockWaitMs,
      onWait: (holder) => options.onLockWait?.(holder, tenantId),
      signal: options.signal,
    },
    async (locked) => {
      const plan = await locked.transaction((s) => readPlan(s, tenantId, now, options), snapshot);
      await options.beforeWrite?.();
      return locked.transaction((s) => writeCycle(s, tenantId, plan, { now, asOf, triggeredBy }), bounded);
    },
  );
}

/**
 * A dry run on a transaction the caller holds: what the cycle would do, and what it would report
 * of the opportunities (a rule's preview runs it inside its own transaction).
 */
export async function dryRunOn(s: SqlSession, tenantId: string, options: CycleOptions = {}): Promise<CycleResult> {
  const now = options.now ?? new Date();
  const plan = await readPlan(s, tenantId, now, options);
  const opportunities = await previewOpportunities(s, tenantId, plan.opportunities);
  return cycleResult(tenantId, now, options.asOf, null, plan.proposals, plan.stops, opportunities);
}

async function readPlan(s: SqlSession, tenantId: string, now: Date, options: CycleOptions): Promise<CyclePlan> {
  if (options.asOf) await shadowWithPast(s, tenantId, options.asOf);
  return planCycle(s, tenantId, { now: options.asOf ?? now, ruleId: options.ruleId });
}

async function writeCycle(
  s: SqlSession,
  tenantId: string,
  plan: CyclePlan,
  context: { now: Date; asOf: Date | undefined; triggeredBy: string },
): Promise<CycleResult> {
  const { now, asOf } = context;
  const checked = await checkUnchangedSinceRead(s, tenantId, replayed(plan.proposals, asOf), plan.read);
  const [cycle] = await s.query<{ id: string }>(
    'INSERT INTO autonomous_cycles (tenant_id, triggered_by, started_at) VALUES ($1, $2, $3) RETURNING id',
    [tenantId, context.triggeredBy, now.toISOString()],
  );
  const cycleId = cycle!.id;
  const awaitingPlatform = await applyProposals(s, tenantId, cycleId, checked.unchanged, now);
  const opportunities = await recordOpportunities(s, tenantId, plan.opportunities, now);
  const result = cycleResult(
    tenantId,
    now,
    asOf,
    cycleId,
    checked.unchanged,
    [...plan.stops, ...checked.changed],
    opportunities,
    awaitingPlatform,
  );
  await s.query(
    "UPDATE autonomous_cycles SET status = 'completed', summary = $3, finished_at = now() WHERE tenant_id = $1 AND id = $2",
    [tenantId, cycleId, JSON.stringify({ ...result, decisions: undefined })],
  );
  return result;
}

/** A replay's decisions say, in the ledger, what view of the past they were made on. */
function replayed(proposals: readonly Proposal[], asOf: Date | undefined): readonly Proposal[] {
  if (!asOf) return proposals;
  return proposals.map((p) => ({ ...p, reason: `Replayed on the data as of ${asOf.toISOString()}: ${p.reason}` }));
}

function cycleResult(
  tenantId: string,
  now: Date,
  asOf: Date | undefined,
  cycleId: string | null,
  proposals: readonly Proposal[],
  stops: readonly Stop[],
  opportunities: { opened: number; resolved: number },
  /** Campaigns whose change went to their ad platform: not counted as done until it confirms. */
  awaitingPlatform: ReadonlySet<string> = new Set(),
): CycleResult {
  const acted = proposals.filter((p) => p.mode === 'execute');
  const executed = acted.filter((p) => !awaitingPlatform.has(p.candidate.campaignId));
  const executedCount = (type: Proposal['actionType']) => executed.filter((p) => p.actionType === type).length;
  return {
    success: true,
    timestamp: now.toISOString(),
    tenant_id: tenantId,
    cycle_id: cycleId,
    dry_run: cycleId === null,
    as_of: asOf?.toISOString() ?? null,
    actions_taken: {
      campaigns_paused: executedCount('auto_pause'),
      campaigns_scaled: executedCount('auto_scale_up'),
      campaigns_posted: executedCount('auto_post'),
      opportunities_detected: opportunities.opened,
    },
    campaigns_resumed: executedCount('auto_resume'),
    notifications_sent: executedCount('notify'),
    opportunities_resolved: opportunities.resolved,
    sent_to_ad_platforms: acted.length - executed.length,
    suggestions_created: proposals.length - acted.length,
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
      ...(awaitingPlatform.has(p.candidate.campaignId) ? { awaiting_platform: true } : {}),
      previous_state: p.previousState,
      new_state: p.newState,
      confidence: p.confidence,
      reason: p.reason,
      expected_value: p.value ? expectedValueRecord(p.value) : null,
    })),
  };
}
