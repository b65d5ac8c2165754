// Campaigns, for /api/campaigns: a change based on a version no longer current is refused (the
// optimistic concurrency of PATCH), a scheduled campaign has a time, and nothing is deleted. A
// campaign linked to an ad platform keeps the name, status, budget and currency the platform has.
import { PLATFORM_NAMES } from '../ads/errors.ts';
import type { Database, SqlSession } from '../db/port.ts';
import * as campaigns from '../db/repositories/campaigns.ts';
import { platformOfCampaign } from '../db/repositories/platform-links.ts';
import { ConflictError, InvalidInputError, NotFoundError, StaleVersionError } from '../domain/errors.ts';
import { workspaceOrDefault } from './workspaces.ts';

export const SCHEDULE_NEEDS_TIME = 'a scheduled campaign needs scheduled_at';

async function mustGet(s: SqlSession, tenantId: string, id: string): Promise<campaigns.CampaignRow> {
  const row = await campaigns.getCampaign(s, tenantId, id);
  if (!row) throw new NotFoundError(`no campaign ${id}`);
  return row;
}

export function listCampaigns(db: Database, tenantId: string, filter: campaigns.CampaignFilter) {
  return db.session((s) => campaigns.listCampaigns(s, tenantId, filter));
}

export function getCampaign(db: Database, tenantId: string, id: string) {
  return db.session((s) => mustGet(s, tenantId, id));
}

/** Without a workspace the campaign goes to the tenant's first. */
export function createCampaign(
  db: Database,
  tenantId: string,
  fields: campaigns.CampaignFields & { title: string; workspace_id?: string },
  userId: string | null,
) {
  return db.transaction(async (s) => {
    const workspace = await workspaceOrDefault(s, tenantId, fields.workspace_id);
    const id = await campaigns.insertCampaign(s, tenantId, { ...fields, workspace_id: workspace }, userId);
    return mustGet(s, tenantId, id);
  });
}

/**
 * The fields an ad platform keeps for a linked campaign: the sync brings them in line with it, and a
 * pause, resume or budget change reaches it only as an action, through the outbox
 * (src/ledger/kinds/platform-change.ts). Set here, they would claim what the platform does not hold.
 */
const PLATFORM_KEPT = ['title', 'status', 'budget', 'currency'] as const;

async function refusePlatformKept(s: SqlSession, tenantId: string, id: string, fields: campaigns.CampaignFields) {
  const kept = PLATFORM_KEPT.filter((field) => fields[field] !== undefined);
  if (kept.length === 0) return;
  const platform = await platformOfCampaign(s, tenantId, id);
  if (!platform) return;
  const name = PLATFORM_NAMES[platform];
  throw new ConflictError(
    `the campaign is linked to ${name}, which keeps its ${kept.join(', ')}: change ${kept.length > 1 ? 'them' : 'it'} on ${name} (the next sync brings the change here), or let an approved action pause, resume or rescale it there`,
    kept.map((field) => ({ field, in: 'body', message: `is kept by ${name} for a linked campaign` })),
  );
}

/** Applies `fields` if the campaign is still at version `basedOn`. */
export function updateCampaign(
  db: Database,
  tenantId: string,
  id: string,
  fields: campaigns.CampaignFields,
  basedOn: number,
) {
  return db.transaction(async (s) => {
    const current = await mustGet(s, tenantId, id);
    await refusePlatformKept(s, tenantId, id, fields);
    const scheduled = fields.scheduled_at === undefined ? current.has_schedule : fields.scheduled_at !== null;
    if (fields.status === 'scheduled' && !scheduled) {
      throw new InvalidInputError([{ field: 'scheduled_at', in: 'body', message: SCHEDULE_NEEDS_TIME }]);
    }
    const result = await campaigns.updateCampaign(s, tenantId, id, fields, basedOn);
    if (result.outcome === 'stale') {
      throw new StaleVersionError(
        `the campaign changed since version ${basedOn}: it is at version ${result.version}`,
        result.version,
        [{ field: 'version', in: 'body', message: `current version is ${result.version}` }],
      );
    }
    return mustGet(s, tenantId, id);
  });
}

/** A change that does not depend on what else changed (autopilot, archive): no version needed. */
export function setCampaignFields(db: Database, tenantId: string, id: string, fields: campaigns.CampaignFields) {
  return db.transaction(async (s) => {
    await refusePlatformKept(s, tenantId, id, fields);
    const result = await campaigns.updateCampaign(s, tenantId, id, fields, null);
    if (result.outcome === 'missing') throw new NotFoundError(`no campaign ${id}`);
    return mustGet(s, tenantId, id);
  });
}
