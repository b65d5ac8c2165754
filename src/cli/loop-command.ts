// `nightshift loop --mode optimize|full|summarize`: the CMO loop over every tenant (or one), as the
// daily and weekly schedules run it, with one line per tenant and the total.
import { optimizerFromConfig } from '../agents/content-optimizer.ts';
import { briefLoopReport, LOOP_MODES, type LoopMode } from '../cmo/loop.ts';
import { allTenantIds, runCmoLoopForTenants } from '../cmo/loop-tenants.ts';
import { resolveTenant } from '../services/tenants.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { abortOnSignal } from './shutdown-signal.ts';

export async function loopCommand(options: { mode: string; tenant?: string; json?: boolean }): Promise<void> {
  const mode = LOOP_MODES.find((m) => m === options.mode);
  if (!mode)
    throw new UsageError(`--mode must be one of ${LOOP_MODES.join(', ')}; got ${JSON.stringify(options.mode)}`);
  const { config } = commandConfig();
  const report = await withDatabase(config, async (db) => {
    const tenantIds =
      options.tenant === undefined ? await allTenantIds(db) : [(await resolveTenant(db, options.tenant)).id];
    return runCmoLoopForTenants(db, tenantIds, {
      mode,
      optimizer: optimizerFromConfig(config.ai),
      triggeredBy: 'cli',
      limits: config.limits,
      signal: abortOnSignal(),
    });
  });
  const results = report.results.map(briefLoopReport);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...report, results }, null, 2)}\n`);
  } else {
    process.stdout.write(`${describe(mode, results, report.errors)}\n`);
  }
  if (report.errors.length > 0 || results.some((r) => r.status === 'failed')) process.exitCode = 1;
}

function describe(
  mode: LoopMode,
  results: ReturnType<typeof briefLoopReport>[],
  errors: { tenant_id: string; error: string }[],
): string {
  const lines = [`CMO loop (${mode}) for ${results.length + errors.length} tenant(s)`];
  for (const r of results) {
    const parts =
      mode === 'summarize'
        ? [
            r.summary?.created
              ? `summary of ${r.summary.week_start} written`
              : `summary of ${r.summary?.week_start} already there`,
          ]
        : [
            `${r.campaigns_optimized} campaigns optimized`,
            `${r.changes_applied} changes applied (${r.variants_killed} variants killed)`,
            `${r.suggestions_created} suggestions`,
            ...(mode === 'full'
              ? [`${r.stale_assets_flagged} stale assets flagged`, `${r.underperforming_alerts} underperforming alerts`]
              : []),
          ];
    lines.push(`  ${r.tenant_id} ${r.status}: ${parts.join(', ')} (run ${r.run_id})`);
    for (const f of r.failed_campaigns) lines.push(`    campaign ${f.campaign_id} failed: ${f.error}`);
  }
  for (const e of errors) lines.push(`  ${e.tenant_id} failed: ${e.error}`);
  return lines.join('\n');
}
