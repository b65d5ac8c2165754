// The tasks a schedule can queue, one job per tenant each. Handlers are thin: they call the
// engine, the runner, the dispatcher, and return a short summary of what they did, which the run
// history keeps (schedule_runs.result).

import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import type { CampaignOptimizer } from '../agents/optimizer.ts';
import { briefLoopReport, LOOP_MODES, type LoopMode, runCmoLoop } from '../cmo/loop.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import { foldMessageEvents } from '../delivery/fold-events.ts';
import { type DeliveryDeps, deliverForTenant } from '../delivery/run-delivery.ts';
import type { RunLimits } from '../domain/run-limits.ts';
import { runCycle } from '../engine/cycle.ts';
import { measureActualImpact } from '../ledger/actual-impact.ts';
import type { Logger } from '../log.ts';
import { deliverDueNotifications } from '../notify/deliver.ts';
import { runCampaignAutomation } from '../runner/campaign-runner.ts';
import { syncTenantAdAccounts } from '../services/ad-sync.ts';
import { deliverDueChanges } from '../services/platform-changes.ts';
import { tokenRenewal, type XRenewalDeps } from '../services/social-accounts.ts';
import { dispatchDuePosts } from '../social/dispatcher.ts';
import type { Platform, PlatformAdapter } from '../social/platform.ts';

/** What tasks run with; the worker needs the database its process opened (`SystemDatabase`). */
export interface TaskDeps<D extends Database = Database> {
  db: D;
  log: Logger;
  /** The user the campaign runner launches campaigns as. */
  systemUserId: string;
  /** Days after an executed action that its actual impact is measured. */
  impactAfterDays: number;
  /**
   * What the social dispatcher posts through, the key to the accounts' tokens, and the X app and
   * API that renew an X account's expired token (without them it needs a reconnect).
   */
  social: { adapters: Record<Platform, PlatformAdapter>; cipher: TokenCipher; renewal?: XRenewalDeps };
  /** What the CMO loop asks about each campaign. */
  optimizer: CampaignOptimizer;
  /** Bounds on the cycle's and the CMO loop's database work. */
  limits: RunLimits;
  /** Where the ad platforms are, and the key to the ad accounts' credentials. */
  adPlatforms: { endpoints: AdPlatformEndpoints; cipher: TokenCipher };
  /** The senders' key, the tracking links' key and addresses, Twilio's API. */
  delivery: DeliveryDeps;
}

export interface Task {
  readonly name: string;
  /** Seconds a run may stay active before pg-boss takes it as lost and retries it elsewhere. */
  readonly expireInSeconds: number;
  /** Runs every minute: its jobs are logged at info level only when they did something. */
  readonly routine?: boolean;
  run(deps: TaskDeps, tenantId: string, data: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const autonomousCycle: Task = {
  name: 'autonomous-cycle',
  expireInSeconds: 15 * 60,
  async run({ db, limits }, tenantId) {
    const result = await runCycle(db, tenantId, { triggeredBy: 'schedule', limits });
    return {
      cycle_id: result.cycle_id,
      actions_taken: result.actions_taken,
      notifications_sent: result.notifications_sent,
      suggestions_created: result.suggestions_created,
      guardrail_stops: result.guardrail_stops.length,
    };
  },
};

const campaignRunner: Task = {
  name: 'campaign-runner',
  routine: true,
  // A million recipients take about 20 s on a small server; a wide margin before a retry.
  expireInSeconds: 30 * 60,
  async run({ db, systemUserId }, tenantId) {
    const result = await runCampaignAutomation(db, { tenantId, systemUserId });
    return {
      processed_count: result.processed_count,
      campaign_ids: result.campaigns.map((c) => c.campaign_id),
      errors: result.errors,
    };
  },
};

const socialDispatcher: Task = {
  name: 'social-dispatcher',
  routine: true,
  expireInSeconds: 10 * 60,
  async run({ db, social }, tenantId) {
    const { adapters, cipher, renewal } = social;
    const renewToken = renewal ? tokenRenewal(db, renewal, tenantId) : undefined;
    const report = await dispatchDuePosts(db, { tenantId, adapters, cipher, renewToken });
    return {
      schedules: report.schedules.map((s) => ({ schedule_id: s.scheduleId, outcome: s.outcome, reason: s.reason })),
    };
  },
};

/**
 * Delivers the changes of linked campaigns to their ad platforms (src/services/platform-changes.ts),
 * claim after claim until none is due or 5 minutes have gone (the run expires after 10). The run's
 * summary: how many ended how, and the first 100 not confirmed with their reasons.
 */
const adPlatformChanges: Task = {
  name: 'ad-platform-changes',
  routine: true,
  expireInSeconds: 10 * 60,
  async run({ db, adPlatforms }, tenantId) {
    const report = await deliverDueChanges(db, { tenantId, ...adPlatforms });
    return {
      claims: report.claims,
      outcomes: report.outcomes,
      unfinished: report.unfinished.map((c) => ({ change_id: c.changeId, outcome: c.outcome, reason: c.reason })),
    };
  },
};

const actualImpact: Task = {
  name: 'actual-impact',
  expireInSeconds: 15 * 60,
  async run({ db, impactAfterDays }, tenantId) {
    const result = await measureActualImpact(db, { tenantId, afterDays: impactAfterDays });
    return { measured: result.measured, action_ids: result.actions.map((a) => a.action_id) };
  },
};

/**
 * The CMO loop in the mode its schedule names (full by default: the daily loop). A run in which a
 * campaign failed is recorded in agent_runs and then fails the job, so the schedule's history
 * shows it and pg-boss retries it (the loop is idempotent: a retry only redoes what failed).
 */
async function runLoopTask(deps: TaskDeps, tenantId: string, mode: LoopMode) {
  const report = await runCmoLoop(deps.db, tenantId, {
    mode,
    optimizer: deps.optimizer,
    triggeredBy: 'schedule',
    limits: deps.limits,
  });
  if (report.status === 'failed') throw new Error(`CMO loop run ${report.run_id} failed: ${report.error}`);
  return briefLoopReport(report);
}

const cmoLoop: Task = {
  name: 'cmo-loop',
  expireInSeconds: 60 * 60,
  run(deps, tenantId, data) {
    const mode = LOOP_MODES.find((m) => m === data.mode) ?? 'full';
    return runLoopTask(deps, tenantId, mode);
  },
};

const cmoWeeklySummary: Task = {
  name: 'cmo-weekly-summary',
  expireInSeconds: 15 * 60,
  run: (deps, tenantId) => runLoopTask(deps, tenantId, 'summarize'),
};

/**
 * Stats in from the ad platforms: every connected account of the tenant, one after another, its
 * backfill carried on and its attribution window read again. An account that fails has the
 * platform's words recorded (a refused token: needs_reconnect) and is tried again next hour.
 */
const adSync: Task = {
  name: 'ad-sync',
  expireInSeconds: 30 * 60,
  async run({ db, adPlatforms }, tenantId) {
    return { ...(await syncTenantAdAccounts(db, adPlatforms, tenantId)) };
  },
};

/**
 * E-mail and SMS out (src/delivery/): the tenant's due steps claimed, sent through its senders and
 * recorded, claim after claim, for up to 5 minutes (the run expires after 10).
 */
const messageDelivery: Task = {
  name: 'message-delivery',
  routine: true,
  expireInSeconds: 10 * 60,
  async run({ db, delivery }, tenantId) {
    const report = await deliverForTenant(db, delivery, tenantId);
    return { ...report, render_errors: report.render_errors.slice(0, 20) };
  },
};

/** What recipients did (opens, clicks, replies, bounces), folded into the stats the engine reads. */
const messageEvents: Task = {
  name: 'message-events',
  routine: true,
  expireInSeconds: 10 * 60,
  async run({ db }, tenantId) {
    return { ...(await foldMessageEvents(db, tenantId)) };
  },
};

/**
 * Events out to the tenant's destinations (src/notify/): due deliveries and digests sent, failures
 * retried on their schedule, for up to 4 minutes (the run expires after 10).
 */
const notifications: Task = {
  name: 'notifications',
  routine: true,
  expireInSeconds: 10 * 60,
  async run({ db, delivery }, tenantId) {
    const report = await deliverDueNotifications(db, delivery, tenantId);
    return { ...report };
  },
};

export const TASKS: readonly Task[] = [
  autonomousCycle,
  campaignRunner,
  socialDispatcher,
  adPlatformChanges,
  actualImpact,
  cmoLoop,
  cmoWeeklySummary,
  adSync,
  messageDelivery,
  messageEvents,
  notifications,
];

export function findTask(name: string): Task | undefined {
  return TASKS.find((task) => task.name === name);
}
