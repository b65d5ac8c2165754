// The reading half of a cycle: what every active rule matches, what the guardrails make of it, and
// the opportunities, all read in one snapshot (the caller's repeatable-read transaction). It also
// notes what each decision rests on (the campaign's version, the rule's and the tenant's last
// change), so that the writing half can tell what a person changed in between (cycle-write.ts).
import { guardrailSettingsSchema } from '../contract/tenant-settings.ts';
import type { SqlSession } from '../db/port.ts';
import { connectedPlatforms } from '../db/repositories/social-accounts.ts';
import { applyGuardrails, type Proposal, type Stop } from '../domain/guardrails.ts';
import { decideRevival } from '../domain/revival.ts';
import { findCandidates } from './candidates.ts';
import { detectOpportunities, type Opportunity } from './opportunities.ts';
import { preparePerformance } from './performance.ts';
import { preparePortfolioModel } from './portfolio-evidence.ts';
import { findEnginePaused } from './revivals.ts';

export class TenantNotFoundError extends Error {
  override name = 'TenantNotFoundError';
}

/** What a decision was based on: a write goes ahead only while all of it still holds. */
export interface ReadState {
  /** The tenant's last change (its autonomous switch and guardrail settings). */
  tenantUpdatedAt: string;
  /** Campaign id -> the campaign as read. */
  campaigns: Map<string, CampaignAsRead>;
  /** Rule id -> its last change. */
  rulesUpdatedAt: Map<string, string>;
}

export interface CampaignAsRead {
  version: number;
  status: string;
  budget: number;
  autopilot: boolean;
}

export interface CyclePlan {
  proposals: Proposal[];
  stops: Stop[];
  opportunities: Opportunity[];
  read: ReadState;
}

export async function planCycle(
  s: SqlSession,
  tenantId: string,
  options: { now: Date; ruleId?: string },
): Promise<CyclePlan> {
  const { now } = options;
  const [tenant] = await s.query<{
    currency: string;
    autonomous_enabled: boolean;
    settings: { guardrails?: unknown };
    updated_at: string;
  }>('SELECT currency, autonomous_enabled, settings, updated_at::text FROM tenants WHERE id = $1', [tenantId]);
  if (!tenant) throw new TenantNotFoundError(`no tenant ${tenantId}`);
  const settings = guardrailSettingsSchema.parse(tenant.settings.guardrails ?? {});
  const asOf = now.toISOString().slice(0, 10);
  await preparePerformance(s, tenantId, asOf, now);
  const model = await preparePortfolioModel(s, tenantId, asOf, now, settings.attribution_lag_days);
  const candidates = (await findCandidates(s, tenantId, now)).filter(
    (c) => options.ruleId === undefined || c.ruleId === options.ruleId,
  );
  const socialPlatforms = await connectedPlatforms(s, tenantId);
  const outcomes = applyGuardrails(candidates, {
    settings,
    autonomousEnabled: tenant.autonomous_enabled,
    model,
    now,
    budgetAddedToday: await budgetAddedToday(s, tenantId, now),
    currency: tenant.currency,
    socialPlatforms,
  });
  // Rules judge active campaigns, auto-revive paused ones: no campaign gets two actions. A rule's
  // preview (ruleId) shows what that rule alone would do.
  const revivals = options.ruleId
    ? []
    : (await findEnginePaused(s, tenantId)).flatMap(
        (paused) =>
          decideRevival(paused, {
            settings,
            autonomousEnabled: tenant.autonomous_enabled,
            model,
            currency: tenant.currency,
          }) ?? [],
      );
  const proposals = [...outcomes.filter((o): o is Proposal => o.kind === 'proposal'), ...revivals];
  const stops = outcomes.filter((o): o is Stop => o.kind === 'stop');
  // Opportunities of the campaigns as they will be after this cycle: one it pauses has no
  // live problems left (and a preview counts exactly what the real cycle will record).
  const pausing = new Set(
    proposals.filter((p) => p.mode === 'execute' && p.actionType === 'auto_pause').map((p) => p.candidate.campaignId),
  );
  const opportunities = (await detectOpportunities(s, tenantId, asOf, now, model, tenant.currency)).filter(
    (o) => !pausing.has(o.campaignId),
  );
  return {
    proposals,
    stops,
    opportunities,
    read: await readState(s, tenantId, tenant.updated_at, proposals),
  };
}

async function readState(
  s: SqlSession,
  tenantId: string,
  tenantUpdatedAt: string,
  proposals: readonly Proposal[],
): Promise<ReadState> {
  const campaigns = await s.query<CampaignAsRead & { id: string }>(
    `SELECT id, version, status, budget::float8 AS budget, autopilot_enabled AS autopilot
       FROM campaigns WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tenantId, proposals.map((p) => p.candidate.campaignId)],
  );
  const rules = await s.query<{ id: string; updated_at: string }>(
    'SELECT id, updated_at::text FROM autonomous_rules WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
    [tenantId, [...new Set(proposals.map((p) => p.candidate.ruleId))]],
  );
  return {
    tenantUpdatedAt,
    campaigns: new Map(campaigns.map(({ id, ...campaign }) => [id, campaign])),
    rulesUpdatedAt: new Map(rules.map((rule) => [rule.id, rule.updated_at])),
  };
}

async function budgetAddedToday(s: SqlSession, tenantId: string, now: Date): Promise<number> {
  const [row] = await s.query<{ added: number }>(
    `SELECT coalesce(sum((new_state->>'budget')::numeric - (previous_state->>'budget')::numeric), 0)::float8 AS added
       FROM autonomous_actions
      WHERE tenant_id = $1 AND action_type = 'auto_scale_up'
        AND (status = 'executed' AND executed_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
             -- On its way to an ad platform: counted from when it was decided.
             OR status = 'applying' AND created_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`,
    [tenantId, now.toISOString()],
  );
  return row?.added ?? 0;
}
