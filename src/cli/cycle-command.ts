import { runCycles } from '../engine/cycle-summary.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function cycleCommand(options: { tenant?: string; dryRun?: boolean; json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const summary = await withDatabase(config, async (db) => {
    let query = db.kysely.selectFrom('tenants').select('id').orderBy('created_at');
    if (options.tenant !== undefined) query = query.where('slug', '=', options.tenant);
    const tenants = await query.execute();
    if (options.tenant !== undefined && tenants.length === 0)
      throw new UsageError(`no tenant with slug ${JSON.stringify(options.tenant)}`);
    return runCycles(
      db,
      tenants.map((t) => t.id),
      { dryRun: options.dryRun ?? false, triggeredBy: 'cli' },
    );
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const a = summary.actions_taken;
  const lines = [
    `Autonomous cycle ${summary.dry_run ? 'preview (dry run, nothing written)' : 'complete'} for ${summary.tenants} tenant(s)`,
    `  Campaigns paused: ${a.campaigns_paused}`,
    `  Campaigns scaled: ${a.campaigns_scaled}`,
    `  Campaigns posted: ${a.campaigns_posted}`,
    `  Opportunities detected: ${a.opportunities_detected} (resolved: ${summary.opportunities_resolved})`,
    `  Alerts raised: ${summary.notifications_sent}`,
    `  Suggestions awaiting approval: ${summary.suggestions_created}`,
    `  Stopped by guardrails: ${summary.guardrail_stops}`,
  ];
  for (const result of summary.results) {
    for (const d of result.decisions)
      lines.push(`  ${d.mode === 'execute' ? 'did' : 'suggests'} ${d.action_type}: ${d.title} — ${d.reason}`);
    for (const g of result.guardrail_stops) lines.push(`  stopped (${g.guardrail}): ${g.title} — ${g.detail}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
