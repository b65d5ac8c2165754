// Runs the cycle for several tenants and adds up their results into the seeds' summary shape:
// {"success": true, "timestamp": ..., "actions_taken": {...}} plus suggestions and guardrail stops.

import type { CycleResult } from '../contract/cycles.ts';
import type { Database } from '../db/port.ts';
import { type CycleOptions, runCycle } from './cycle.ts';

export interface CycleSummary {
  success: true;
  timestamp: string;
  dry_run: boolean;
  as_of: string | null;
  tenants: number;
  actions_taken: CycleResult['actions_taken'];
  campaigns_resumed: number;
  notifications_sent: number;
  sent_to_ad_platforms: number;
  opportunities_resolved: number;
  suggestions_created: number;
  guardrail_stops: number;
  results: CycleResult[];
}

export interface CyclesOptions extends CycleOptions {
  /** Tenants run at once, each on its own connection (PGlite serialises them anyway). */
  concurrency?: number;
}

export async function runCycles(
  db: Database,
  tenantIds: readonly string[],
  options: CyclesOptions = {},
): Promise<CycleSummary> {
  const results: CycleResult[] = new Array(tenantIds.length);
  let next = 0;
  const worker = async () => {
    while (next < tenantIds.length) {
      const i = next++;
      results[i] = await runCycle(db, tenantIds[i]!, options);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, tenantIds.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const sum = (pick: (r: CycleResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    success: true,
    timestamp: (options.now ?? new Date()).toISOString(),
    dry_run: options.dryRun ?? false,
    as_of: options.asOf?.toISOString() ?? null,
    tenants: results.length,
    actions_taken: {
      campaigns_paused: sum((r) => r.actions_taken.campaigns_paused),
      campaigns_scaled: sum((r) => r.actions_taken.campaigns_scaled),
      campaigns_posted: sum((r) => r.actions_taken.campaigns_posted),
      opportunities_detected: sum((r) => r.actions_taken.opportunities_detected),
    },
    campaigns_resumed: sum((r) => r.campaigns_resumed),
    notifications_sent: sum((r) => r.notifications_sent),
    sent_to_ad_platforms: sum((r) => r.sent_to_ad_platforms),
    opportunities_resolved: sum((r) => r.opportunities_resolved),
    suggestions_created: sum((r) => r.suggestions_created),
    guardrail_stops: sum((r) => r.guardrail_stops.length),
    results,
  };
}
