import { describeHolder, type LockHolder } from '../db/work-locks.ts';
import { parseReplayClock } from '../domain/replay-clock.ts';
import { runCycles } from '../engine/cycle-summary.ts';
import { listTenants, resolveTenant } from '../services/tenants.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { abortOnSignal } from './shutdown-signal.ts';

export async function cycleCommand(options: {
  tenant?: string;
  dryRun?: boolean;
  asOf?: string;
  apply?: boolean;
  json?: boolean;
  lockWait?: string;
}): Promise<void> {
  const asOf = replayClock(options);
  // A replay acts only when asked to: today's campaigns acted on with yesterday's view.
  const dryRun = (options.dryRun ?? false) || (asOf !== undefined && !options.apply);
  const { config } = commandConfig();
  const limits = { ...config.limits, ...(options.lockWait ? { lockWaitMs: lockWaitMs(options.lockWait) } : {}) };
  // Ctrl-C cancels the cycle's statement on the server too, and it writes nothing.
  const signal = abortOnSignal();
  const summary = await withDatabase(config, async (db) => {
    const tenants = options.tenant === undefined ? await listTenants(db) : [await resolveTenant(db, options.tenant)];
    const slugOf = new Map(tenants.map((t) => [t.id, t.slug]));
    const onLockWait = (holder: LockHolder | undefined, tenantId: string) =>
      process.stderr.write(
        `nightshift: the cycle of tenant ${slugOf.get(tenantId)} is running (${holder ? describeHolder(holder) : 'just ended'}); waiting up to ${limits.lockWaitMs / 1000} s\n`,
      );
    return runCycles(
      db,
      tenants.map((t) => t.id),
      { dryRun, asOf, triggeredBy: 'cli', limits, signal, onLockWait },
    );
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const a = summary.actions_taken;
  const replay = summary.as_of ? ` replayed as of ${summary.as_of}` : '';
  const lines = [
    `Autonomous cycle${replay} ${summary.dry_run ? 'preview (dry run, nothing written)' : 'complete'} for ${summary.tenants} tenant(s)`,
    `  Campaigns paused: ${a.campaigns_paused}`,
    `  Campaigns scaled: ${a.campaigns_scaled}`,
    `  Campaigns resumed (engine pauses reversed): ${summary.campaigns_resumed}`,
    `  Campaigns posted: ${a.campaigns_posted}`,
    `  Sent to the ad platforms, not confirmed yet: ${summary.sent_to_ad_platforms}`,
    `  Opportunities detected: ${a.opportunities_detected} (resolved: ${summary.opportunities_resolved})`,
    `  Alerts raised: ${summary.notifications_sent}`,
    `  Suggestions awaiting approval: ${summary.suggestions_created}`,
    `  Stopped by guardrails: ${summary.guardrail_stops}`,
  ];
  for (const result of summary.results) {
    for (const d of result.decisions)
      lines.push(
        `  ${d.mode === 'suggest' ? 'suggests' : d.awaiting_platform ? 'sent' : 'did'} ${d.action_type}: ${d.title} — ${d.reason}`,
      );
    for (const g of result.guardrail_stops) lines.push(`  stopped (${g.guardrail}): ${g.title} — ${g.detail}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function replayClock(options: { asOf?: string; apply?: boolean; dryRun?: boolean }): Date | undefined {
  if (options.asOf === undefined) {
    if (options.apply) throw new UsageError('--apply acts on a replay: it needs --as-of');
    return undefined;
  }
  if (options.apply && options.dryRun) throw new UsageError('--apply and --dry-run contradict each other');
  const clock = parseReplayClock(options.asOf, new Date());
  if (!clock.ok) throw new UsageError(`--as-of ${clock.message}`);
  return clock.asOf;
}

function lockWaitMs(seconds: string): number {
  if (!/^\d{1,5}$/.test(seconds))
    throw new UsageError(`--lock-wait expects whole seconds, got ${JSON.stringify(seconds)}`);
  return Number(seconds) * 1000;
}
