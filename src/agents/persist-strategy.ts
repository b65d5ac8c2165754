// Stores what the setup, strategy and funnel agents produce. Each runs inside the transaction that
// completes the agent run; every row carries tenant_id, workspace_id, created_by and the run.
import type { AgentRunResult } from '../contract/agent-stream.ts';
import type { SqlSession } from '../db/port.ts';
import type { BrandIntakeOutput, FunnelOutput, Plan90DayOutput } from './agent-outputs.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export interface PersistScope {
  tenantId: string;
  workspaceId: string;
  userId: string | null;
  runId: string;
}

/** A row an agent run created or updated, as the caller is told (the stream's `result`). */
export type PersistedRecord = AgentRunResult['records'][number];

/**
 * The intake's answers update the brand profile field by field (an answer left empty keeps what is
 * stored), and its segments and offers by name. Nothing is stored before a brand name is known.
 */
export async function persistBrandIntake(
  s: SqlSession,
  scope: PersistScope,
  output: BrandIntakeOutput,
  context: WorkspaceContext,
): Promise<PersistedRecord[]> {
  const profile = output.brand_profile;
  const brandName = profile.brand_name || context.brand?.brand_name;
  if (!brandName) return [];
  const records: PersistedRecord[] = [];
  const [brand] = await s.query<{ id: string }>(
    `INSERT INTO cmo_brand_profiles
       (tenant_id, workspace_id, brand_name, industry, website, mission, brand_voice, tone, data, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, workspace_id) DO UPDATE SET
       brand_name = EXCLUDED.brand_name,
       industry = coalesce(EXCLUDED.industry, cmo_brand_profiles.industry),
       website = coalesce(EXCLUDED.website, cmo_brand_profiles.website),
       mission = coalesce(EXCLUDED.mission, cmo_brand_profiles.mission),
       brand_voice = coalesce(EXCLUDED.brand_voice, cmo_brand_profiles.brand_voice),
       tone = CASE WHEN cardinality(EXCLUDED.tone) > 0 THEN EXCLUDED.tone ELSE cmo_brand_profiles.tone END,
       data = cmo_brand_profiles.data || EXCLUDED.data,
       updated_at = now()
     RETURNING id`,
    [
      scope.tenantId,
      scope.workspaceId,
      brandName,
      profile.industry || null,
      profile.website || null,
      profile.mission || null,
      profile.brand_voice || null,
      profile.tone,
      JSON.stringify({ intake_step: output.next_step, intake_complete: output.complete, intake_run_id: scope.runId }),
      scope.userId,
    ],
  );
  records.push({ table: 'cmo_brand_profiles', id: brand!.id });
  for (const segment of output.icp_segments) {
    const [row] = await s.query<{ id: string }>(
      `INSERT INTO cmo_icp_segments
         (tenant_id, workspace_id, name, description, pains, goals, objections, channels, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, workspace_id, name) DO UPDATE SET
         description = coalesce(EXCLUDED.description, cmo_icp_segments.description),
         pains = EXCLUDED.pains, goals = EXCLUDED.goals, objections = EXCLUDED.objections,
         channels = EXCLUDED.channels, updated_at = now()
       RETURNING id`,
      [
        scope.tenantId,
        scope.workspaceId,
        segment.name,
        segment.description || null,
        segment.pains,
        segment.goals,
        segment.objections,
        segment.channels,
        scope.userId,
      ],
    );
    records.push({ table: 'cmo_icp_segments', id: row!.id });
  }
  for (const offer of output.offers) {
    const [row] = await s.query<{ id: string }>(
      `INSERT INTO cmo_offers (tenant_id, workspace_id, name, description, offer_type, price, currency, cta, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, workspace_id, name) DO UPDATE SET
         description = coalesce(EXCLUDED.description, cmo_offers.description),
         offer_type = coalesce(EXCLUDED.offer_type, cmo_offers.offer_type),
         price = coalesce(EXCLUDED.price, cmo_offers.price),
         currency = EXCLUDED.currency,
         cta = coalesce(EXCLUDED.cta, cmo_offers.cta),
         updated_at = now()
       RETURNING id`,
      [
        scope.tenantId,
        scope.workspaceId,
        offer.name,
        offer.description || null,
        offer.offer_type || null,
        offer.price ?? null,
        offer.currency || context.tenant.currency,
        offer.cta || null,
        scope.userId,
      ],
    );
    records.push({ table: 'cmo_offers', id: row!.id });
  }
  return records;
}

export async function persistPlan(
  s: SqlSession,
  scope: PersistScope,
  output: Plan90DayOutput,
  constraints: unknown,
): Promise<PersistedRecord[]> {
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO cmo_plans (tenant_id, workspace_id, name, primary_goal, budget, currency, start_date, end_date,
                            target_metrics, constraints, plan, agent_run_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      scope.tenantId,
      scope.workspaceId,
      output.name,
      output.primary_goal,
      output.budget,
      output.currency,
      output.start_date,
      output.end_date,
      JSON.stringify(output.target_metrics),
      JSON.stringify(constraints),
      JSON.stringify(output),
      scope.runId,
      scope.userId,
    ],
  );
  return [{ table: 'cmo_plans', id: row!.id }];
}

export async function persistFunnel(
  s: SqlSession,
  scope: PersistScope,
  output: FunnelOutput,
  context: WorkspaceContext,
): Promise<PersistedRecord[]> {
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO cmo_funnels (tenant_id, workspace_id, plan_id, name, funnel_type, stages, agent_run_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      scope.tenantId,
      scope.workspaceId,
      context.plan?.id ?? null,
      output.name,
      output.funnel_type,
      JSON.stringify(output.stages),
      scope.runId,
      scope.userId,
    ],
  );
  return [{ table: 'cmo_funnels', id: row!.id }];
}
