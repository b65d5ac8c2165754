// `nightshift run-automation`: the campaign runner over every tenant (or one), as the scheduled
// job runs it; progress while a large audience becomes recipients.
import { assertSystemUser, runCampaignAutomation } from '../runner/campaign-runner.ts';
import { resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { plural } from './plural.ts';
import { progressReporter } from './progress.ts';

export async function runAutomationCommand(options: { organization?: string; json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const progress = options.json ? undefined : progressReporter(process.stderr, { label: '', unit: 'recipient' });
  const result = await withDatabase(config, async (db) => {
    const tenantId =
      options.organization === undefined ? undefined : (await resolveTenant(db, options.organization)).id;
    await assertSystemUser(db, config.systemUserId);
    return runCampaignAutomation(db, {
      tenantId,
      systemUserId: config.systemUserId,
      onProgress:
        progress && (({ campaign_id, added, total }) => progress.update(added, total, `campaign ${campaign_id}`)),
    });
  }).finally(() => progress?.end());
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [`Campaigns launched: ${result.processed_count}`];
  for (const c of result.campaigns)
    lines.push(
      `  ${c.name} (${c.campaign_id}): ${c.previous_status} → ${c.new_status}, ${plural(c.recipient_count, 'recipient')}${c.recipients_generated ? ' (generated now)' : ''}`,
    );
  for (const e of result.errors) lines.push(`  failed ${e.campaign_id}: ${e.error}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (result.errors.length > 0) process.exitCode = 1;
}
