// The scheduled-campaign runner (seed 003): launches every campaign whose status is 'scheduled'
// and whose scheduled_at has come. For each, in its own transaction: recipients are generated from
// the audience segment unless the campaign has some already, then the status becomes 'sending'.
// Idempotent and safe to run twice at once: a campaign is locked while it launches
// (FOR UPDATE SKIP LOCKED: a second runner passes it by) and only a 'scheduled' one is taken.
// One campaign's failure is reported and the others go on.
import { ConfigError } from '../config.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { addSegmentAsRecipients, countActiveMembers, countRecipients } from '../db/repositories/recipients.ts';
import { tenantScoped } from '../db/tenant-scope.ts';

/** Members copied per statement: large enough that a million is a handful of statements. */
export const DEFAULT_RECIPIENT_CHUNK = 200_000;

/** The seed's response, field for field. */
export interface RunnerResult {
  processed_count: number;
  campaigns: LaunchedCampaign[];
  errors: { campaign_id: string; error: string }[];
}

export interface LaunchedCampaign {
  campaign_id: string;
  organization_id: string;
  name: string;
  previous_status: string;
  new_status: string;
  recipients_generated: boolean;
  recipient_count: number;
}

export interface RecipientProgress {
  campaign_id: string;
  added: number;
  total: number;
}

export interface RunnerOptions {
  /** One tenant (the seed's organization_id); all tenants when left out. */
  tenantId?: string;
  /** Recorded as launched_by; must name a user. */
  systemUserId: string;
  recipientChunk?: number;
  onProgress?: (progress: RecipientProgress) => void;
}

interface DueCampaign {
  tenant_id: string;
  id: string;
}

async function dueCampaigns(db: Database, tenantId: string | undefined): Promise<DueCampaign[]> {
  return db.session((s) =>
    s.query<DueCampaign>(
      `SELECT tenant_id, id FROM campaigns
        WHERE status = 'scheduled' AND scheduled_at <= now() AND ($1::uuid IS NULL OR tenant_id = $1)
        ORDER BY scheduled_at, tenant_id, id`,
      [tenantId ?? null],
    ),
  );
}

/** Launches one campaign; undefined when another runner has it or it is no longer due. */
async function launch(s: SqlSession, due: DueCampaign, options: RunnerOptions): Promise<LaunchedCampaign | undefined> {
  const [campaign] = await s.query<{ title: string; status: string; segment_id: string | null }>(
    `SELECT title, status, segment_id FROM campaigns
      WHERE tenant_id = $1 AND id = $2 AND status = 'scheduled' AND scheduled_at <= now()
      FOR UPDATE SKIP LOCKED`,
    [due.tenant_id, due.id],
  );
  if (!campaign) return undefined;
  const target = { tenantId: due.tenant_id, campaignId: due.id };
  // Recipients already there (an earlier launch, or added by hand) are the audience: none generated.
  const existing = await countRecipients(s, target.tenantId, target.campaignId);
  let generated = 0;
  if (existing === 0 && campaign.segment_id !== null) {
    const segmentId = campaign.segment_id;
    const total = await countActiveMembers(s, target.tenantId, segmentId);
    generated = await addSegmentAsRecipients(
      s,
      { ...target, segmentId },
      {
        chunk: options.recipientChunk ?? DEFAULT_RECIPIENT_CHUNK,
        progress: (added) => options.onProgress?.({ campaign_id: due.id, added, total }),
      },
    );
  }
  await s.query(
    `UPDATE campaigns
        SET status = 'sending', started_at = coalesce(started_at, now()), launched_by = $3,
            version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [due.tenant_id, due.id, options.systemUserId],
  );
  return {
    campaign_id: due.id,
    organization_id: due.tenant_id,
    name: campaign.title,
    previous_status: campaign.status,
    new_status: 'sending',
    recipients_generated: generated > 0,
    recipient_count: existing + generated,
  };
}

export async function runCampaignAutomation(db: Database, options: RunnerOptions): Promise<RunnerResult> {
  const result: RunnerResult = { processed_count: 0, campaigns: [], errors: [] };
  for (const due of await dueCampaigns(db, options.tenantId)) {
    try {
      // Each campaign under its tenant's row-level security, in a transaction of its own.
      const launched = await tenantScoped(db, due.tenant_id).transaction((s) => launch(s, due, options));
      if (launched) result.campaigns.push(launched);
    } catch (error) {
      result.errors.push({ campaign_id: due.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  result.processed_count = result.campaigns.length;
  return result;
}

/** Refuses to start with a system user that does not exist (launched_by would fail every launch). */
export async function assertSystemUser(db: Database, userId: string): Promise<void> {
  const [found] = await db.session((s) => s.query('SELECT 1 FROM users WHERE id = $1', [userId]));
  if (!found) throw new ConfigError(`NIGHTSHIFT_SYSTEM_USER_ID names no user (${userId})`);
}
