// /api/content: assets (the steps of a campaign's sequence: an email, an SMS, a call script, ...)
// listed in cursor pages, read, created and changed; their variants (the competing versions of
// a step) listed, created and changed, killed with a reason or revived. A variant's counters come
// from ingestion (variant-stats.ts) and are read-only here. Nothing is deleted: an asset is archived, a variant killed.
import { z } from 'zod';
import { contentAsset as asset, listedVariant, contentVariant as variant } from '../contract/content.ts';
import { ASSET_STATUSES, ASSET_TYPES, VARIANT_STATUSES } from '../contract/content-vocabulary.ts';
import { pageSchema } from '../contract/page.ts';
import {
  createAsset,
  createVariant,
  getAsset,
  getVariant,
  listAssets,
  listVariants,
  updateAsset,
  updateVariant,
} from '../services/content.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { channel, idParams, shortText, uuid } from './schemas.ts';

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

function showAsset<Row extends { sort_key: string }>({ sort_key: _, ...row }: Row) {
  return row;
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
      return c.json(toPage(await listAssets(db, principal.tenantId, query), query.limit));
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
      return c.json(showAsset(await getAsset(db, principal.tenantId, params.id)));
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
      const row = await createAsset(db, principal.tenantId, body);
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
      return c.json(showAsset(await updateAsset(db, principal.tenantId, params.id, body)));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/content/assets/{id}/variants',
      tag,
      summary: 'List an asset’s variants, in the order they were made',
      description:
        'Every variant of the asset, killed ones included (an asset has a handful: no pages), each with its chance of being the step’s best.',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The variants', schema: z.object({ data: z.array(listedVariant) }) } },
    },
    async ({ c, db, principal, params }) => {
      return c.json({ data: await listVariants(db, principal.tenantId, params.id) });
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
      const row = await createVariant(db, principal.tenantId, params.id, body);
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
      return c.json(await getVariant(db, principal.tenantId, params.id));
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
      return c.json(await updateVariant(db, principal.tenantId, params.id, body));
    },
  );
}
