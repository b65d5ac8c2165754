// Mode optimize for one tenant: given every live campaign's inputs (read at once, loop-inputs.ts),
// ask the optimizer about each campaign, check its answer, and write the checked changes in batches.
//
// A batch is one transaction for up to `batchSize` campaigns (one statement per kind of change).
// If it fails, its campaigns are written again one transaction each, so a failure stays with the
// campaign that caused it: that campaign is reported, the others are written. A campaign whose
// optimizer call fails, or whose answer is not a valid plan, is reported the same way.
import { setImmediate } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CampaignOptimizer, OptimizationInput } from '../agents/optimizer.ts';
import type { Database } from '../db/port.ts';
import { checkPlan, type RejectedChange } from './check-plan.ts';
import type { LoopInputs } from './loop-inputs.ts';
import type { PlannedChange } from './planned-change.ts';
import type { SkippedChange } from './skipped-changes.ts';
import { lockTenantLoop, type WriteReport, writeChanges } from './write-changes.ts';

export const DEFAULT_BATCH_SIZE = 1000;
/** The run's output lists this many rejected (and skipped) changes at most; the counts are always exact. */
const MAX_LISTED_REJECTIONS = 50;

export interface CampaignFailure {
  campaign_id: string;
  error: string;
}

export interface OptimizeOutcome {
  campaigns_optimized: number;
  changes_applied: number;
  suggestions_created: number;
  variants_killed: number;
  /** Changes whose target moved since it was read, and suggestions already made or dismissed. */
  changes_skipped: number;
  /** The changes skipped because a person (or another run) moved their target, and what moved. */
  skipped_changes: SkippedChange[];
  changes_rejected: number;
  rejections: (RejectedChange & { campaign_id: string })[];
  failed_campaigns: CampaignFailure[];
}

interface Planned {
  input: OptimizationInput;
  changes: PlannedChange[];
}

export async function optimizeCampaigns(
  db: Database,
  tenantId: string,
  inputs: LoopInputs,
  run: { agentRunId: string; optimizer: CampaignOptimizer; now: Date; batchSize?: number },
): Promise<OptimizeOutcome> {
  const outcome: OptimizeOutcome = {
    campaigns_optimized: 0,
    changes_applied: 0,
    suggestions_created: 0,
    variants_killed: 0,
    changes_skipped: 0,
    skipped_changes: [],
    changes_rejected: 0,
    rejections: [],
    failed_campaigns: [],
  };
  const batchSize = run.batchSize ?? DEFAULT_BATCH_SIZE;
  // A gateway optimizer waits on the network: several campaigns at once, as many as it allows.
  const limit = pLimit(run.optimizer.concurrency ?? 1);
  // One batch is written while the next is planned: the server applies one while this thread
  // works out the other (two cores busy instead of one at a time). One write in flight at most.
  let writing: Promise<void> = Promise.resolve();
  for (let start = 0; start < inputs.campaigns.length; start += batchSize) {
    const batch = inputs.campaigns.slice(start, start + batchSize);
    const planned = await planBatch(batch, inputs.autonomousEnabled, run.optimizer, limit, outcome);
    await writing;
    writing = writeBatch(db, tenantId, run, planned, outcome);
  }
  await writing;
  return outcome;
}

/** Campaigns planned between two turns of the event loop, so the write in flight keeps moving. */
const PLAN_SLICE = 50;

async function planBatch(
  batch: readonly OptimizationInput[],
  autonomousEnabled: boolean,
  optimizer: CampaignOptimizer,
  limit: LimitFunction,
  outcome: OptimizeOutcome,
): Promise<Planned[]> {
  const answers = await Promise.all(
    batch.map((input, index) =>
      limit(async () => {
        // A built-in optimizer answers at once, and a chain of answered promises never lets the
        // event loop read the server's replies to the write in flight: give it a turn now and then.
        if (index % PLAN_SLICE === PLAN_SLICE - 1) await setImmediate();
        return optimizer.optimize(input);
      }).then(
        (answer) => ({ ok: true as const, answer }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ),
  );
  const planned: Planned[] = [];
  for (const [index, input] of batch.entries()) {
    const mode = input.campaign.autopilot_enabled && autonomousEnabled ? 'apply' : 'suggest';
    const answer = answers[index]!;
    try {
      if (!answer.ok) throw answer.error;
      const checked = checkPlan(input, answer.answer, mode);
      planned.push({ input, changes: checked.accepted });
      outcome.changes_rejected += checked.rejected.length;
      for (const rejection of checked.rejected.slice(0, MAX_LISTED_REJECTIONS - outcome.rejections.length)) {
        outcome.rejections.push({ campaign_id: input.campaign.id, ...rejection });
      }
    } catch (error) {
      outcome.failed_campaigns.push({ campaign_id: input.campaign.id, error: messageOf(error) });
    }
  }
  return planned;
}

async function writeBatch(
  db: Database,
  tenantId: string,
  run: { agentRunId: string; now: Date },
  planned: readonly Planned[],
  outcome: OptimizeOutcome,
): Promise<void> {
  const write = (batch: readonly Planned[]) =>
    db.transaction(async (s) => {
      await lockTenantLoop(s, tenantId);
      const report = await writeChanges(s, tenantId, { ...run, changes: batch.flatMap((p) => p.changes) });
      await s.query('UPDATE campaigns SET last_optimization_at = $3 WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [
        tenantId,
        batch.map((p) => p.input.campaign.id),
        run.now.toISOString(),
      ]);
      return report;
    });
  if (planned.length === 0) return;
  try {
    count(outcome, planned.length, await write(planned));
  } catch {
    for (const one of planned) {
      try {
        count(outcome, 1, await write([one]));
      } catch (error) {
        outcome.failed_campaigns.push({ campaign_id: one.input.campaign.id, error: messageOf(error) });
      }
    }
  }
}

function count(outcome: OptimizeOutcome, campaigns: number, report: WriteReport): void {
  outcome.campaigns_optimized += campaigns;
  outcome.changes_applied += report.applied.length;
  outcome.suggestions_created += report.suggested.length;
  outcome.variants_killed += report.applied.filter((c) => c.type === 'kill_variant').length;
  outcome.changes_skipped += report.skipped;
  outcome.skipped_changes.push(...report.moved.slice(0, MAX_LISTED_REJECTIONS - outcome.skipped_changes.length));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
