import type { TenantRef } from '../db/repositories/tenant-refs.ts';
import { describeHolder, type LockHolder } from '../db/work-locks.ts';
import { parseReplayClock } from '../domain/replay-clock.ts';
import { runCycles } from '../engine/cycle-summary.ts';
import { listTenants, resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { cycleReport } from './cycle-report.ts';
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
  const tenantOf = new Map<string, TenantRef>();
  const summary = await withDatabase(config, async (db) => {
    const tenants = options.tenant === undefined ? await listTenants(db) : [await resolveTenant(db, options.tenant)];
    for (const t of tenants) tenantOf.set(t.id, t);
    const onLockWait = (holder: LockHolder | undefined, tenantId: string) =>
      process.stderr.write(
        `nightshift: the cycle of tenant ${tenantOf.get(tenantId)?.slug} is running (${holder ? describeHolder(holder) : 'just ended'}); waiting up to ${limits.lockWaitMs / 1000} s\n`,
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
  process.stdout.write(`${cycleReport(summary, tenantOf)}\n`);
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
