// /api/content: assets (the steps of a campaign's sequence: an email, an SMS, a call script, ...)
// listed in cursor pages, read, created and changed; their variants (the competing versions of
// a step) listed, created and changed, killed with a reason or revived. A variant's counters come
// from ingestion (variant-stats.ts) and are read-only here. Nothing is deleted: an asset is archived, a variant killed.
import { z } from 'zod';
import type { SqlSession } from '../db/port.ts';
import { defaultWorkspace } from '../db/repositories/campaigns.ts';
import {
  type AssetRow,
  campaignWorkspace,
  getAsset,
  getVariant,
  insertAsset,
  insertVariant,
  listAssets,
  listVariants,
  updateAsset,
  updateVariant,
  VARIANT_LABEL_CONSTRAINT,
  type VariantRow,
  variantLabels,
} from '../db/repositories/content.ts';
import { ASSET_TYPES } from '../domain/asset-types.ts';
import { FUNNEL_COUNTERS, perMetric } from '../domain/metrics.ts';
import { invalid, ProblemError } from '../server/problem.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { channel, count, idParams, shortText, timestamp, uuid } from './schemas.ts';

const ASSET_STATUSES = ['active', 'archived'] as const;
const VARIANT_STATUSES = ['active', 'killed'] as const;

const assetEditable = {
  name: shortText(300),
  asset_type: z.enum(ASSET_TYPES),
  campaign_id: uuid.nullable(),
  channel: channel.nullable(),
  step_index: z.number().int().min(0).max(10_000),
  /** numeric(8, 2). */
  delay_hours: z.number().min(0).max(999_999.99).multipleOf(0.01),
  status: z.enum(ASSET_STATUSES),
};

const createAssetBody = z
  .strictObject(assetEditable)
  .partial()
  .required({ name: true, asset_type: true })
  .extend({ workspace_id: uuid.optional() });

const updateAssetBody = z
  .strictObject(assetEditable)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'names no field to change' });

const assetListQuery = z.strictObject({
  ...pageQuery,
  campaign_id: uuid.optional(),
  asset_type: z.enum(ASSET_TYPES).optional(),
  status: z.enum(ASSET_STATUSES).optional(),
});

const copy = (max: number) => z.string().max(max).nullable();
const variantText = {
  variant_label: shortText(40),
  subject: copy(1000),
  body: copy(100_000),
  sms_copy: copy(1600),
  voice_script: copy(50_000),
  social_post: copy(10_000),
};

const createVariantBody = z.strictObject(variantText).partial();

const updateVariantBody = z
  .strictObject({ ...variantText, status: z.enum(VARIANT_STATUSES), kill_reason: shortText(1000).nullable() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'names no field to change' });

const asset = z.object({
  id: uuid,
  workspace_id: uuid,
  campaign_id: uuid.nullable(),
  asset_type: z.enum(ASSET_TYPES),
  name: z.string(),
  channel: z.string().nullable(),
  step_index: z.number().int(),
  delay_hours: z.number(),
  status: z.enum(ASSET_STATUSES),
  stale_flagged_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

const variant = z.object({
  id: uuid,
  asset_id: uuid,
  variant_label: z.string(),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  sms_copy: z.string().nullable(),
  voice_script: z.string().nullable(),
  social_post: z.string().nullable(),
  status: z.enum(VARIANT_STATUSES),
  killed_at: timestamp.nullable(),
  kill_reason: z.string().nullable(),
  stats: z
    .object({
      ...perMetric(FUNNEL_COUNTERS, () => count),
      reply_delays: z.record(z.string(), count).describe('Replies by hours after the send (bucket bound → count)'),
      updated_at: timestamp.nullable().describe('When the counters were last set; null before the first report'),
    })
    .describe('Counters from ingestion (POST /api/content/variant-stats; read-only here)'),
  created_at: timestamp,
  updated_at: timestamp,
});

function showAsset({ sort_key: _, ...row }: AssetRow) {
  return row;
}

async function mustGetAsset(s: SqlSession, tenantId: string, id: string): Promise<AssetRow> {
  const row = await getAsset(s, tenantId, id);
  if (!row) throw new ProblemError(404, `no content asset ${id}`);
  return row;
}

async function mustGetVariant(s: SqlSession, tenantId: string, id: string): Promise<VariantRow> {
  const row = await getVariant(s, tenantId, id);
  if (!row) throw new ProblemError(404, `no content variant ${id}`);
  return row;
}

/** The workspace of the tenant's campaign `campaignId`; 422 naming campaign_id when there is none. */
async function mustFindCampaign(s: SqlSession, tenantId: string, campaignId: string): Promise<string> {
  const workspace = await campaignWorkspace(s, tenantId, campaignId);
  if (!workspace) throw invalid([{ field: 'campaign_id', in: 'body', message: 'names no campaign of this tenant' }]);
  return workspace;
}

const otherWorkspace = () =>
  invalid([{ field: 'campaign_id', in: 'body', message: 'the campaign belongs to another workspace than the asset' }]);

/** The first of A…Z the asset does not use yet (then V27, V28, ...). */
export function nextVariantLabel(used: readonly string[]): string {
  const taken = new Set(used);
  const letter = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((l) => !taken.has(l));
  if (letter) return letter;
  let n = 27;
  while (taken.has(`V${n}`)) n++;
  return `V${n}`;
}

/** A write that may reuse a label of the asset: that answers 409 naming `variant_label`. */
async function labelMustBeFree<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint === VARIANT_LABEL_CONSTRAINT) {
      throw new ProblemError(409, 'the asset has a variant with this label already', {
        errors: [{ field: 'variant_label', in: 'body', message: 'already taken in this asset' }],
      });
    }
    throw error;
  }
}

export function contentRoutes(api: ApiRouter): void {
  const tag = 'Content';
  const oneAsset = { description: 'The content asset', schema: asset };
  const oneVariant = { description: 'The variant', schema: variant };

  api.tenant(
    {
      method: 'get',
      path: '/api/content/assets',
      tag,
      summary: 'List content assets, newest first',
      access: 'viewer',
      query: assetListQuery,
      responses: { 200: { description: 'A page of assets', schema: pageSchema(asset) } },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listAssets(s, principal.tenantId, query));
      return c.json(toPage(rows, query.limit));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/content/assets/{id}',
      tag,
      summary: 'Read a content asset',
      access: 'viewer',
      params: idParams,
      responses: { 200: oneAsset },
    },
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => mustGetAsset(s, principal.tenantId, params.id));
      return c.json(showAsset(row));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/content/assets',
      tag,
      summary: 'Create a content asset',
      description:
        'campaign_id must name one of the tenant’s campaigns (422 otherwise). Without workspace_id the asset goes ' +
        'to its campaign’s workspace, or without a campaign to the tenant’s first workspace.',
      access: 'member',
      body: createAssetBody,
      responses: { 201: oneAsset },
    },
    async ({ c, db, principal, body }) => {
      const row = await db.transaction(async (s) => {
        const campaignWs = body.campaign_id ? await mustFindCampaign(s, principal.tenantId, body.campaign_id) : null;
        if (body.workspace_id && campaignWs && body.workspace_id !== campaignWs) throw otherWorkspace();
        const workspace = body.workspace_id ?? campaignWs ?? (await defaultWorkspace(s, principal.tenantId));
        if (!workspace)
          throw invalid([{ field: 'workspace_id', in: 'body', message: 'the tenant has no workspace yet' }]);
        const id = await insertAsset(s, principal.tenantId, { ...body, workspace_id: workspace });
        return mustGetAsset(s, principal.tenantId, id);
      });
      return c.json(showAsset(row), 201, { location: `/api/content/assets/${row.id}` });
    },
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/content/assets/{id}',
      tag,
      summary: 'Change a content asset',
      description:
        'Fields given are set. campaign_id must name one of the tenant’s campaigns in the asset’s workspace, or be ' +
        'null. Assets are not deleted: set `status` to `archived`.',
      access: 'member',
      params: idParams,
      body: updateAssetBody,
      responses: { 200: oneAsset },
    },
    async ({ c, db, principal, params, body }) => {
      const row = await db.transaction(async (s) => {
        const current = await mustGetAsset(s, principal.tenantId, params.id);
        if (body.campaign_id) {
          const campaignWs = await mustFindCampaign(s, principal.tenantId, body.campaign_id);
          if (campaignWs !== current.workspace_id) throw otherWorkspace();
        }
        await updateAsset(s, principal.tenantId, params.id, body);
        return mustGetAsset(s, principal.tenantId, params.id);
      });
      return c.json(showAsset(row));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/content/assets/{id}/variants',
      tag,
      summary: 'List an asset’s variants, in the order they were made',
      description: 'Every variant of the asset, killed ones included (an asset has a handful: no pages).',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The variants', schema: z.object({ data: z.array(variant) }) } },
    },
    async ({ c, db, principal, params }) => {
      const rows = await db.session(async (s) => {
        await mustGetAsset(s, principal.tenantId, params.id);
        return listVariants(s, principal.tenantId, params.id);
      });
      return c.json({ data: rows });
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/content/assets/{id}/variants',
      tag,
      summary: 'Add a variant to an asset',
      description:
        'Without variant_label the variant takes the first letter A–Z the asset does not use. A label is unique in ' +
        'its asset (409). The variant starts active with zero counters.',
      access: 'member',
      params: idParams,
      body: createVariantBody,
      responses: { 201: oneVariant },
    },
    async ({ c, db, principal, params, body }) => {
      const row = await db.transaction(async (s) => {
        await mustGetAsset(s, principal.tenantId, params.id);
        const label = body.variant_label ?? nextVariantLabel(await variantLabels(s, principal.tenantId, params.id));
        const id = await labelMustBeFree(() =>
          insertVariant(s, principal.tenantId, params.id, { ...body, variant_label: label }),
        );
        return mustGetVariant(s, principal.tenantId, id);
      });
      return c.json(row, 201, { location: `/api/content/variants/${row.id}` });
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/content/variants/{id}',
      tag,
      summary: 'Read a variant',
      access: 'viewer',
      params: idParams,
      responses: { 200: oneVariant },
    },
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => mustGetVariant(s, principal.tenantId, params.id));
      return c.json(row);
    },
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/content/variants/{id}',
      tag,
      summary: 'Change a variant, kill it or revive it',
      description:
        'Fields given are set. `status: killed` stamps killed_at and needs a kill_reason (in the body, or kept from ' +
        'before); `status: active` revives a killed variant and clears both. The counters are read-only.',
      access: 'member',
      params: idParams,
      body: updateVariantBody,
      responses: { 200: oneVariant },
    },
    async ({ c, db, principal, params, body }) => {
      const row = await db.transaction(async (s) => {
        const current = await mustGetVariant(s, principal.tenantId, params.id);
        const { fields, killedAt } = killChange(current, body);
        await labelMustBeFree(() => updateVariant(s, principal.tenantId, params.id, fields, killedAt));
        return mustGetVariant(s, principal.tenantId, params.id);
      });
      return c.json(row);
    },
  );
}

/** The fields to write for a change, and what becomes of killed_at (a kill needs a reason). */
function killChange(current: VariantRow, body: z.output<typeof updateVariantBody>) {
  const status = body.status ?? current.status;
  if (status === 'killed') {
    const reason = body.kill_reason === undefined ? current.kill_reason : body.kill_reason;
    if (!reason) throw invalid([{ field: 'kill_reason', in: 'body', message: 'killing a variant needs a reason' }]);
    // Killing a killed variant again keeps the time it was first killed.
    return { fields: body, killedAt: current.status === 'killed' ? undefined : ('now' as const) };
  }
  if (body.kill_reason) {
    throw invalid([{ field: 'kill_reason', in: 'body', message: 'only a killed variant has a kill reason' }]);
  }
  if (current.status === 'killed') return { fields: { ...body, kill_reason: null }, killedAt: null };
  return { fields: body, killedAt: undefined };
}
