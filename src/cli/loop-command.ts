// `nightshift loop --mode optimize|full|summarize`: the CMO loop over every tenant (or one), as the
// daily and weekly schedules run it, with progress per tenant, then one line per tenant (its name)
// and the total.
import { optimizerFromConfig } from '../agents/content-optimizer.ts';
import { briefLoopReport, LOOP_MODES, type LoopMode } from '../cmo/loop.ts';
import { runCmoLoopForTenants } from '../cmo/loop-tenants.ts';
import type { TenantRef } from '../db/repositories/tenant-refs.ts';
import { listTenants, resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { plural } from './plural.ts';
import { progressReporter } from './progress.ts';
import { abortOnSignal } from './shutdown-signal.ts';
import { tenantName } from './tenant-name.ts';

export async function loopCommand(options: { mode: string; tenant?: string; json?: boolean }): Promise<void> {
  const mode = LOOP_MODES.find((m) => m === options.mode);
  if (!mode)
    throw new UsageError(`--mode must be one of ${LOOP_MODES.join(', ')}; got ${JSON.stringify(options.mode)}`);
  const { config } = commandConfig();
  const tenantOf = new Map<string, TenantRef>();
  // None under --json, whose caller reads the outcome alone (as every command's progress).
  const progress = options.json ? undefined : progressReporter(process.stderr, { label: 'loop: ', unit: 'tenant' });
  const report = await withDatabase(config, async (db) => {
    const tenants = options.tenant === undefined ? await listTenants(db) : [await resolveTenant(db, options.tenant)];
    for (const t of tenants) tenantOf.set(t.id, t);
    return runCmoLoopForTenants(
      db,
      tenants.map((t) => t.id),
      {
        mode,
        optimizer: optimizerFromConfig(config.ai),
        triggeredBy: 'cli',
        limits: config.limits,
        signal: abortOnSignal(),
      },
      progress?.update,
    );
  }).finally(() => progress?.end());
  const results = report.results.map(briefLoopReport);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...report, results }, null, 2)}\n`);
  } else {
    const name = (id: string) => tenantName(tenantOf.get(id), id);
    process.stdout.write(`${describe(mode, results, report.errors, name)}\n`);
  }
  if (report.errors.length > 0 || results.some((r) => r.status === 'failed')) process.exitCode = 1;
}

function describe(
  mode: LoopMode,
  results: ReturnType<typeof briefLoopReport>[],
  errors: { tenant_id: string; error: string }[],
  name: (tenantId: string) => string,
): string {
  const lines = [`CMO loop (${mode}) for ${plural(results.length + errors.length, 'tenant')}`];
  for (const r of results) {
    const parts =
      mode === 'summarize'
        ? [
            r.summary?.created
              ? `summary of ${r.summary.week_start} written`
              : `summary of ${r.summary?.week_start} already there`,
          ]
        : [
            `${plural(r.campaigns_optimized, 'campaign')} optimized`,
            `${plural(r.changes_applied, 'change')} applied (${plural(r.variants_killed, 'variant')} killed)`,
            plural(r.suggestions_created, 'suggestion'),
            ...(mode === 'full'
              ? [
                  `${plural(r.stale_assets_flagged, 'stale asset')} flagged`,
                  plural(r.underperforming_alerts, 'underperforming alert'),
                ]
              : []),
          ];
    lines.push(`  ${name(r.tenant_id)} ${r.status}: ${parts.join(', ')} (run ${r.run_id})`);
    for (const f of r.failed_campaigns) lines.push(`    campaign ${f.campaign_id} failed: ${f.error}`);
  }
  for (const e of errors) lines.push(`  ${name(e.tenant_id)} failed: ${e.error}`);
  return lines.join('\n');
}
