// Content assets and their variants, for /api/content: an asset stays in its campaign's workspace,
// a variant's label is unique in its asset, and a kill needs a reason (src/domain/variants.ts).
import type { Database, SqlSession } from '../db/port.ts';
import * as campaigns from '../db/repositories/campaigns.ts';
import * as content from '../db/repositories/content.ts';
import { checkTemplate } from '../delivery/render.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { killChange, nextVariantLabel } from '../domain/variants.ts';
import { withChanceOfBest } from './variant-chances.ts';
import { workspaceOrDefault } from './workspaces.ts';

async function mustGetAsset(s: SqlSession, tenantId: string, id: string): Promise<content.AssetRow> {
  const row = await content.getAsset(s, tenantId, id);
  if (!row) throw new NotFoundError(`no content asset ${id}`);
  return row;
}

async function mustGetVariant(s: SqlSession, tenantId: string, id: string): Promise<content.VariantRow> {
  const row = await content.getVariant(s, tenantId, id);
  if (!row) throw new NotFoundError(`no content variant ${id}`);
  return row;
}

/** The workspace of the tenant's campaign `campaignId`; an InvalidInputError naming campaign_id when there is none. */
async function mustFindCampaign(s: SqlSession, tenantId: string, campaignId: string): Promise<string> {
  const workspace = await content.campaignWorkspace(s, tenantId, campaignId);
  if (!workspace) {
    throw new InvalidInputError([{ field: 'campaign_id', in: 'body', message: 'names no campaign of this tenant' }]);
  }
  return workspace;
}

const otherWorkspace = () =>
  new InvalidInputError([
    { field: 'campaign_id', in: 'body', message: 'the campaign belongs to another workspace than the asset' },
  ]);

/** A write that may reuse a label of the asset: that is a conflict naming `variant_label`. */
async function labelMustBeFree<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint === content.VARIANT_LABEL_CONSTRAINT) {
      throw new ConflictError('the asset has a variant with this label already', [
        { field: 'variant_label', in: 'body', message: 'already taken in this asset' },
      ]);
    }
    throw error;
  }
}

export function listAssets(db: Database, tenantId: string, filter: content.AssetFilter) {
  return db.session((s) => content.listAssets(s, tenantId, filter));
}

export function getAsset(db: Database, tenantId: string, id: string) {
  return db.session((s) => mustGetAsset(s, tenantId, id));
}

/** Without a workspace the asset goes to its campaign's, or without a campaign to the tenant's first. */
export function createAsset(
  db: Database,
  tenantId: string,
  fields: content.AssetFields & { asset_type: string; name: string; workspace_id?: string },
) {
  return db.transaction(async (s) => {
    const campaignWs = fields.campaign_id ? await mustFindCampaign(s, tenantId, fields.campaign_id) : null;
    if (fields.workspace_id && campaignWs && fields.workspace_id !== campaignWs) throw otherWorkspace();
    const workspace = await workspaceOrDefault(s, tenantId, fields.workspace_id ?? campaignWs ?? undefined);
    const id = await content.insertAsset(s, tenantId, { ...fields, workspace_id: workspace });
    return mustGetAsset(s, tenantId, id);
  });
}

/** A campaign given must be in the asset's workspace. */
export function updateAsset(db: Database, tenantId: string, id: string, fields: content.AssetFields) {
  return db.transaction(async (s) => {
    const current = await mustGetAsset(s, tenantId, id);
    if (fields.campaign_id) {
      const campaignWs = await mustFindCampaign(s, tenantId, fields.campaign_id);
      if (campaignWs !== current.workspace_id) throw otherWorkspace();
    }
    await content.updateAsset(s, tenantId, id, fields);
    return mustGetAsset(s, tenantId, id);
  });
}

/** The asset's variants, each with its chance of being the step's best by its campaign's goal. */
export function listVariants(db: Database, tenantId: string, assetId: string) {
  return db.session(async (s) => {
    const asset = await mustGetAsset(s, tenantId, assetId);
    const goal = asset.campaign_id ? await campaigns.campaignGoal(s, tenantId, asset.campaign_id) : undefined;
    return withChanceOfBest(await content.listVariants(s, tenantId, assetId), goal);
  });
}

export function getVariant(db: Database, tenantId: string, id: string) {
  return db.session((s) => mustGetVariant(s, tenantId, id));
}

/**
 * Copy the delivery worker will render must be a template that renders (Liquid, merge fields a
 * contact has): refused here, naming the field, rather than found wrong at send time.
 */
function copyMustRender(fields: content.VariantFields): void {
  const problems = (['subject', 'body', 'sms_copy'] as const).flatMap((field) => {
    const source = fields[field];
    const problem = typeof source === 'string' ? checkTemplate(field, source) : undefined;
    return problem ? [{ field, in: 'body' as const, message: problem.detail }] : [];
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
}

/** Without a label the variant takes the asset's next free one. */
export function createVariant(db: Database, tenantId: string, assetId: string, fields: content.VariantFields) {
  copyMustRender(fields);
  return db.transaction(async (s) => {
    await mustGetAsset(s, tenantId, assetId);
    const label = fields.variant_label ?? nextVariantLabel(await content.variantLabels(s, tenantId, assetId));
    const id = await labelMustBeFree(() =>
      content.insertVariant(s, tenantId, assetId, { ...fields, variant_label: label }),
    );
    return mustGetVariant(s, tenantId, id);
  });
}

export function updateVariant(db: Database, tenantId: string, id: string, change: content.VariantFields) {
  copyMustRender(change);
  return db.transaction(async (s) => {
    const current = await mustGetVariant(s, tenantId, id);
    const { fields, killedAt } = killChange(current, change);
    await labelMustBeFree(() => content.updateVariant(s, tenantId, id, fields, killedAt));
    return mustGetVariant(s, tenantId, id);
  });
}
