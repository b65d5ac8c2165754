// Opportunities, for /api/opportunities: read (newest first, or per campaign), and worked (started,
// resolved, dismissed with a note, reopened) by the engine's status rules
// (src/engine/opportunity-status.ts); moving one where it already is, is a conflict.
import { OPPORTUNITY_SEVERITIES } from '../contract/opportunity-vocabulary.ts';
import type { Database } from '../db/port.ts';
import * as actions from '../db/repositories/actions.ts';
import * as opportunities from '../db/repositories/opportunities.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { type OpportunityStatus, setOpportunityStatus } from '../engine/opportunity-status.ts';

export function listOpportunities(db: Database, tenantId: string, filter: opportunities.OpportunityFilter) {
  return db.session((s) => opportunities.listOpportunities(s, tenantId, filter));
}

export async function getOpportunity(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => opportunities.getOpportunity(s, tenantId, id));
  if (!row) throw new NotFoundError(`no opportunity ${id}`);
  return row;
}

export async function moveOpportunity(
  db: Database,
  tenantId: string,
  id: string,
  status: OpportunityStatus,
  note?: string,
) {
  const outcome = await setOpportunityStatus(db, tenantId, id, status, note);
  if (outcome.unchanged) {
    throw new ConflictError(`the opportunity is already ${status}: nothing was changed`, [
      { field: 'status', message: `is ${status}` },
    ]);
  }
  return getOpportunity(db, tenantId, id);
}

/** Which opportunities the per-campaign view shows: the live ones (open and in progress) or one status. */
export interface GroupFilter {
  status: 'active' | opportunities.OpportunityFilter['status'];
  severity?: string;
  opportunity_type?: string;
  limit: number;
}

const LIVE = ['open', 'in_progress'];

/** The campaigns with opportunities, most severe then most spent on first, each with its findings and pending suggestions. */
export async function opportunityGroups(db: Database, tenantId: string, filter: GroupFilter) {
  const { status, ...rest } = filter;
  const conditions = status === 'active' ? { ...rest, statuses: LIVE } : { ...rest, status };
  return db.session(async (s) => {
    const campaigns = await opportunities.listOpportunityCampaigns(s, tenantId, conditions);
    const ids = campaigns.map((c) => c.campaign_id);
    const findings = await opportunities.listOpportunitiesOf(s, tenantId, ids, conditions);
    const pending = await actions.pendingActionsOf(s, tenantId, ids);
    return {
      data: campaigns.map((c) => ({
        campaign_id: c.campaign_id,
        campaign_title: c.campaign_title,
        severity: OPPORTUNITY_SEVERITIES[c.rank]!,
        spend: c.spend,
        findings: findings
          .filter((f) => f.campaign_id === c.campaign_id)
          .map(({ sort_key: _, campaign_title: __, ...finding }) => finding),
        pending_actions: pending.filter((a) => a.campaign_id === c.campaign_id).map(({ campaign_id: _, ...a }) => a),
      })),
      total_campaigns: campaigns[0]?.total ?? 0,
    };
  });
}
