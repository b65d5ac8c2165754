// `nightshift run-automation`: the campaign runner over every tenant (or one), as the scheduled
// job runs it; a progress bar while a large audience becomes recipients.
import { SingleBar } from 'cli-progress';
import { assertSystemUser, runCampaignAutomation } from '../runner/campaign-runner.ts';
import { resolveTenant } from '../services/tenants.ts';
import { commandConfig, withDatabase } from './context.ts';

export async function runAutomationCommand(options: { organization?: string; json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const showProgress = !options.json && process.stderr.isTTY;
  const bar = new SingleBar({ format: ' recipients {bar} {value}/{total} {campaign}', stream: process.stderr });
  let barCampaign: string | undefined;
  const result = await withDatabase(config, async (db) => {
    const tenantId =
      options.organization === undefined ? undefined : (await resolveTenant(db, options.organization)).id;
    await assertSystemUser(db, config.systemUserId);
    return runCampaignAutomation(db, {
      tenantId,
      systemUserId: config.systemUserId,
      onProgress: showProgress
        ? ({ campaign_id, added, total }) => {
            if (barCampaign !== campaign_id) {
              if (barCampaign) bar.stop();
              bar.start(total, 0, { campaign: campaign_id });
              barCampaign = campaign_id;
            }
            bar.update(added);
          }
        : undefined,
    });
  });
  if (barCampaign) bar.stop();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [`Campaigns launched: ${result.processed_count}`];
  for (const c of result.campaigns)
    lines.push(
      `  ${c.name} (${c.campaign_id}): ${c.previous_status} → ${c.new_status}, ${c.recipient_count} recipients${c.recipients_generated ? ' (generated now)' : ''}`,
    );
  for (const e of result.errors) lines.push(`  failed ${e.campaign_id}: ${e.error}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (result.errors.length > 0) process.exitCode = 1;
}
