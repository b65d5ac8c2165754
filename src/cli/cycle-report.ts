// What `nightshift cycle` prints: the totals, then a heading per tenant (its name) with one line
// per decision and one line counting its guardrail stops by guardrail (a cycle over hundreds of
// tenants stops thousands of candidates; `--json` lists each). Tenants with nothing to report are
// counted, not listed. A dry run says what would happen, never what did.
import type { DecisionReport, GuardrailStopReport } from '../contract/cycles.ts';
import type { TenantRef } from '../db/repositories/tenant-refs.ts';
import type { CycleSummary } from '../engine/cycle-summary.ts';
import { plural } from './plural.ts';
import { tenantName } from './tenant-name.ts';

/** Each action as a verb: [base, past, -ing]. */
const VERBS: Record<DecisionReport['action_type'], [string, string, string]> = {
  auto_pause: ['pause', 'paused', 'pausing'],
  auto_scale_up: ['scale up', 'scaled up', 'scaling up'],
  auto_resume: ['resume', 'resumed', 'resuming'],
  auto_post: ['post', 'posted', 'posting'],
  notify: ['alert on', 'alerted on', 'alerting on'],
};

function decisionLine(d: DecisionReport, dryRun: boolean): string {
  const [base, past, ing] = VERBS[d.action_type];
  const verb =
    d.mode === 'suggest'
      ? `${dryRun ? 'would suggest' : 'suggests'} ${ing}`
      : dryRun
        ? `would ${base}`
        : d.awaiting_platform
          ? `sent to its ad platform to ${base}`
          : past;
  return `    ${verb}: ${d.title} — ${d.reason}`;
}

/** "stopped by guardrails: cooldown 3, min_spend 12" (most first). */
function stopsLine(stops: GuardrailStopReport[]): string {
  const counts = new Map<string, number>();
  for (const g of stops) counts.set(g.guardrail, (counts.get(g.guardrail) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([g, n]) => `${g} ${n}`);
  return `    stopped by guardrails: ${parts.join(', ')}`;
}

export function cycleReport(summary: CycleSummary, tenants: ReadonlyMap<string, TenantRef>): string {
  const a = summary.actions_taken;
  const dry = summary.dry_run;
  // "Campaigns paused: 4" after a cycle, "Campaigns that would be paused: 4" before one.
  const would = (done: string, wouldBe: string) => (dry ? wouldBe : done);
  const replay = summary.as_of ? ` replayed as of ${summary.as_of}` : '';
  const lines = [
    `Autonomous cycle${replay} ${dry ? 'preview (dry run, nothing written)' : 'complete'} for ${plural(summary.tenants, 'tenant')}`,
    `  ${would('Campaigns paused', 'Campaigns that would be paused')}: ${a.campaigns_paused}`,
    `  ${would('Campaigns scaled', 'Campaigns that would be scaled')}: ${a.campaigns_scaled}`,
    `  ${would('Campaigns resumed', 'Campaigns that would be resumed')} (engine pauses reversed): ${summary.campaigns_resumed}`,
    `  ${would('Campaigns posted', 'Campaigns that would be posted')}: ${a.campaigns_posted}`,
    `  ${would('Sent to the ad platforms, not confirmed yet', 'Changes that would be sent to the ad platforms')}: ${summary.sent_to_ad_platforms}`,
    `  Opportunities detected: ${a.opportunities_detected} (${would('resolved', 'would be resolved')}: ${summary.opportunities_resolved})`,
    `  ${would('Alerts raised', 'Alerts that would be raised')}: ${summary.notifications_sent}`,
    `  ${would('Suggestions awaiting approval', 'Suggestions that would await approval')}: ${summary.suggestions_created}`,
    `  Stopped by guardrails: ${summary.guardrail_stops}`,
  ];
  let quiet = 0;
  for (const result of summary.results) {
    if (result.decisions.length === 0 && result.guardrail_stops.length === 0) {
      quiet++;
      continue;
    }
    lines.push(`  ${tenantName(tenants.get(result.tenant_id), result.tenant_id)}`);
    for (const d of result.decisions) lines.push(decisionLine(d, dry));
    if (result.guardrail_stops.length > 0) lines.push(stopsLine(result.guardrail_stops));
  }
  if (quiet > 0 && quiet < summary.results.length) {
    lines.push(`  ${plural(quiet, 'other tenant')}: nothing to ${dry ? 'do' : 'report'}`);
  }
  return lines.join('\n');
}
