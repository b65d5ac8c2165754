// What bench:send's delivery parts send: a tenant whose segment of N contacts is the audience of a
// campaign with one e-mail step of two variants in demo-like copy (merge fields, two links, a call
// to action), launched by the runner.
import { DEFAULT_SYSTEM_USER_ID } from '../../src/config.ts';
import type { Database } from '../../src/db/port.ts';
import { runCampaignAutomation } from '../../src/runner/campaign-runner.ts';
import { seedSegment } from './recipient-generation.ts';

export const SUBJECT = 'Quick question, {{ first_name }}';
export const BODY =
  'Hi {{first_name}},\n\nTeams like {{ company | default: "yours" }} onboard in half the time: ' +
  'https://acme.test/onboarding\n\nThe numbers: https://acme.test/case-study?ref=email\n\nWorth a look?';
export const CAMPAIGN = { cta_text: 'Book a demo', cta_url: 'https://acme.test/demo', utm_source: 'nightshift' };

export interface EmailCampaign {
  tenantId: string;
  campaignId: string;
}

/** Launched with `recipients` recipients; `beforeLaunch` sets the tenant up further (its sender). */
export async function launchedEmailCampaign(
  db: Database,
  recipients: number,
  beforeLaunch: (tenantId: string) => Promise<unknown> = async () => {},
): Promise<EmailCampaign> {
  const segment = await seedSegment(db, recipients, { named: true });
  const campaignId = await db.transaction(async (s) => {
    const [campaign] = await s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, status, segment_id, scheduled_at, goal, channels,
                              cta_text, cta_url, utm_source)
       VALUES ($1, $2, 'Send bench', 'scheduled', $3, now() - interval '1 minute', 'leads', '{email}', $4, $5, $6)
       RETURNING id`,
      [
        segment.tenantId,
        segment.workspaceId,
        segment.segmentId,
        CAMPAIGN.cta_text,
        CAMPAIGN.cta_url,
        CAMPAIGN.utm_source,
      ],
    );
    const [asset] = await s.query<{ id: string }>(
      `INSERT INTO content_assets (tenant_id, workspace_id, campaign_id, asset_type, name, channel, step_index)
       VALUES ($1, $2, $3, 'email', 'Step 1', 'email', 0) RETURNING id`,
      [segment.tenantId, segment.workspaceId, campaign!.id],
    );
    await s.query(
      `INSERT INTO content_variants (tenant_id, asset_id, variant_label, subject, body)
       VALUES ($1, $2, 'A', $3, $4), ($1, $2, 'B', $5, $4)`,
      [segment.tenantId, asset!.id, SUBJECT, BODY, `${SUBJECT}?`],
    );
    return campaign!.id;
  });
  // As the contacts import does (analyzeAfterBulk): planned on statistics of tables a tenth of the
  // size, the runner's count of the segment's active members took minutes.
  await db.session((s) => s.exec('ANALYZE contacts, segment_members'));
  await beforeLaunch(segment.tenantId);
  const launched = await runCampaignAutomation(db, {
    tenantId: segment.tenantId,
    systemUserId: DEFAULT_SYSTEM_USER_ID,
  });
  const count = launched.campaigns[0]?.recipient_count;
  if (count !== recipients) throw new Error(`the runner launched ${count} recipients, not ${recipients}`);
  return { tenantId: segment.tenantId, campaignId };
}
