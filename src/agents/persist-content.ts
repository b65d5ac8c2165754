// Stores what the campaign designer, the content engine and the optimization analyst produce:
// draft campaigns with their sequence, content assets with their variants, recommendations. Each
// runs inside the transaction that completes the agent run. Campaigns are created as drafts with
// autopilot off: a person launches what an agent designed.
import type { SqlSession } from '../db/port.ts';
import type { CampaignDesignOutput, ContentOutput, OptimizationOutput, VariantCopy } from './agent-outputs.ts';
import type { PersistedRecord, PersistScope } from './persist-strategy.ts';
import type { WorkspaceContext } from './workspace-context.ts';

interface AssetToStore {
  campaignId: string;
  assetType: string;
  channel: string;
  name: string;
  stepIndex: number;
  delayHours: number;
  funnelStage: string | null;
  variants: (VariantCopy & { label: string })[];
}

async function insertAsset(s: SqlSession, scope: PersistScope, asset: AssetToStore): Promise<PersistedRecord[]> {
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO content_assets (tenant_id, workspace_id, campaign_id, asset_type, name, channel, step_index,
                                 delay_hours, funnel_stage)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      scope.tenantId,
      scope.workspaceId,
      asset.campaignId,
      asset.assetType,
      asset.name,
      asset.channel,
      asset.stepIndex,
      asset.delayHours,
      asset.funnelStage,
    ],
  );
  const records: PersistedRecord[] = [{ table: 'content_assets', id: row!.id }];
  for (const variant of asset.variants) {
    const [stored] = await s.query<{ id: string }>(
      `INSERT INTO content_variants (tenant_id, asset_id, variant_label, subject, body, sms_copy, voice_script, social_post)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        scope.tenantId,
        row!.id,
        variant.label,
        variant.subject || null,
        variant.body || null,
        variant.sms_copy || null,
        variant.voice_script || null,
        variant.social_post || null,
      ],
    );
    records.push({ table: 'content_variants', id: stored!.id });
  }
  return records;
}

export async function persistCampaignDesign(
  s: SqlSession,
  scope: PersistScope,
  output: CampaignDesignOutput,
  context: WorkspaceContext,
): Promise<PersistedRecord[]> {
  const records: PersistedRecord[] = [];
  for (const campaign of output.campaigns) {
    const [row] = await s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, description, status, goal, budget, currency, channels,
                              cta_text, cta_url, plan_id, funnel_id, created_by)
       VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        scope.tenantId,
        scope.workspaceId,
        campaign.title,
        campaign.description,
        campaign.goal,
        Math.round(campaign.budget * 100) / 100,
        context.tenant.currency,
        campaign.channels,
        campaign.cta_text,
        campaign.cta_url || null,
        context.plan?.id ?? null,
        context.funnel?.id ?? null,
        scope.userId,
      ],
    );
    records.push({ table: 'campaigns', id: row!.id });
    for (const [stepIndex, step] of campaign.sequence.entries()) {
      const { asset_type, channel, name, delay_hours, ...copy } = step;
      records.push(
        ...(await insertAsset(s, scope, {
          campaignId: row!.id,
          assetType: asset_type,
          channel,
          name,
          stepIndex,
          delayHours: delay_hours,
          funnelStage: null,
          variants: [{ ...copy, label: 'A' }],
        })),
      );
    }
  }
  return records;
}

/** New assets follow the campaign's existing steps, in the order the engine gave them. */
export async function persistContent(
  s: SqlSession,
  scope: PersistScope,
  output: ContentOutput,
  context: WorkspaceContext,
  funnelStage: string,
): Promise<PersistedRecord[]> {
  const campaign = context.campaign!;
  const nextStep = Math.max(-1, ...campaign.assets.map((a) => a.step_index)) + 1;
  const records: PersistedRecord[] = [];
  for (const [offset, asset] of output.assets.entries()) {
    records.push(
      ...(await insertAsset(s, scope, {
        campaignId: campaign.id,
        assetType: asset.asset_type,
        channel: asset.channel,
        name: asset.name,
        stepIndex: nextStep + offset,
        delayHours: asset.delay_hours,
        funnelStage,
        variants: asset.variants,
      })),
    );
  }
  return records;
}

export async function persistRecommendations(
  s: SqlSession,
  scope: PersistScope,
  output: OptimizationOutput,
  context: WorkspaceContext,
): Promise<PersistedRecord[]> {
  const records: PersistedRecord[] = [];
  for (const item of output.recommendations) {
    const [row] = await s.query<{ id: string }>(
      `INSERT INTO cmo_recommendations (tenant_id, workspace_id, agent_run_id, campaign_id, plan_id, funnel_id, title,
                                        category, priority, rationale, expected_impact, action, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        scope.tenantId,
        scope.workspaceId,
        scope.runId,
        item.campaign_id ?? null,
        context.plan?.id ?? null,
        context.funnel?.id ?? null,
        item.title,
        item.category,
        item.priority,
        item.rationale,
        item.expected_impact,
        item.action,
        scope.userId,
      ],
    );
    records.push({ table: 'cmo_recommendations', id: row!.id });
  }
  return records;
}
