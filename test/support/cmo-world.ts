// Small, exact worlds for the CMO loop: campaigns with content steps and variants whose counters,
// reply timing and ages are set by the test, so every decision the loop makes has a known answer.
import type { Database } from '../../src/db/port.ts';
import { createCampaign, NOW, type TestTenant } from './scenario.ts';

const DAY_MS = 86_400_000;
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

export interface VariantSpec {
  label: string;
  sends?: number;
  replies?: number;
  meetings?: number;
  status?: 'active' | 'killed';
  subject?: string;
  body?: string;
  smsCopy?: string;
  voiceScript?: string;
  replyDelays?: Record<string, number>;
}

export interface StepSpec {
  type?: 'email' | 'sms' | 'voice';
  step: number;
  delayHours?: number;
  /** How long ago the asset and its variants were last updated (default: 1 day). */
  updatedDaysAgo?: number;
  variants: VariantSpec[];
}

export interface StepIds {
  assetId: string;
  variants: Record<string, string>;
}

export async function addStep(db: Database, t: TestTenant, campaignId: string, spec: StepSpec): Promise<StepIds> {
  const updated = daysAgo(spec.updatedDaysAgo ?? 1);
  return db.transaction(async (s) => {
    const [asset] = await s.query<{ id: string }>(
      `INSERT INTO content_assets (tenant_id, workspace_id, campaign_id, asset_type, name, channel, step_index, delay_hours,
                                   created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
      [
        t.tenantId,
        t.workspaceId,
        campaignId,
        spec.type ?? 'email',
        `Step ${spec.step}`,
        spec.type ?? 'email',
        spec.step,
        spec.delayHours ?? 0,
        updated,
      ],
    );
    const variants: Record<string, string> = {};
    for (const v of spec.variants) {
      const [row] = await s.query<{ id: string }>(
        `INSERT INTO content_variants (tenant_id, asset_id, variant_label, status, subject, body, sms_copy, voice_script,
                                       sends, replies, meetings, reply_delays, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
        [
          t.tenantId,
          asset!.id,
          v.label,
          v.status ?? 'active',
          v.subject ?? ((spec.type ?? 'email') === 'email' ? `Subject ${v.label}` : null),
          v.body ?? null,
          v.smsCopy ?? null,
          v.voiceScript ?? null,
          v.sends ?? 0,
          v.replies ?? 0,
          v.meetings ?? 0,
          JSON.stringify(v.replyDelays ?? {}),
          updated,
        ],
      );
      variants[v.label] = row!.id;
    }
    return { assetId: asset!.id, variants };
  });
}

/** A campaign with daily email stats: `sends` and `replies` spread over `days` days ending yesterday. */
export async function emailCampaign(
  db: Database,
  t: TestTenant,
  spec: { title: string; sends: number; replies: number; days?: number; autopilot?: boolean; goal?: string },
): Promise<string> {
  const id = await createCampaign(db, t, {
    title: spec.title,
    budget: 100,
    hoursRunning: 24 * 30,
    autopilot: spec.autopilot,
  });
  if (spec.goal) {
    await db.session((s) =>
      s.query('UPDATE campaigns SET goal = $3 WHERE tenant_id = $1 AND id = $2', [t.tenantId, id, spec.goal]),
    );
  }
  const days = spec.days ?? 1;
  if (spec.sends > 0) {
    await db.session((s) =>
      s.query(
        `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, sends, replies)
         SELECT $1, $2, ($3::timestamptz - make_interval(days => d))::date, 'email',
                $4 / $6 + CASE WHEN d <= $4 % $6 THEN 1 ELSE 0 END,
                $5 / $6 + CASE WHEN d <= $5 % $6 THEN 1 ELSE 0 END
           FROM generate_series(1, $6) AS d`,
        [t.tenantId, id, NOW.toISOString(), spec.sends, spec.replies, days],
      ),
    );
  }
  return id;
}

export async function variantRow(db: Database, t: TestTenant, variantId: string) {
  const [row] = await db.session((s) =>
    s.query<{ status: string; subject: string | null; sms_copy: string | null; kill_reason: string | null }>(
      'SELECT status, subject, sms_copy, kill_reason FROM content_variants WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, variantId],
    ),
  );
  return row!;
}

export async function assetRow(db: Database, t: TestTenant, assetId: string) {
  const [row] = await db.session((s) =>
    s.query<{ delay_hours: number; stale_flagged_at: Date | null }>(
      'SELECT delay_hours::float8 AS delay_hours, stale_flagged_at FROM content_assets WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, assetId],
    ),
  );
  return row!;
}
