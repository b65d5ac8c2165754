// Content assets (the steps of a campaign's sequence) and their variants, as the API reads and
// writes them. Every statement names its tenant (row-level security checks it again). A variant's
// counters are written by ingestion only: nothing here changes them.
import { type InferResult, sql } from 'kysely';
import type { Keyset } from '../../domain/keyset.ts';
import { FUNNEL_COUNTERS, type FunnelCounter } from '../../domain/metrics.ts';
import type { Json } from '../generated/schema.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** The unique key a variant's label belongs to (one label per asset). */
export const VARIANT_LABEL_CONSTRAINT = 'content_variants_tenant_id_asset_id_variant_label_key';

export type AssetFields = Partial<{
  workspace_id: string;
  campaign_id: string | null;
  asset_type: string;
  name: string;
  channel: string | null;
  step_index: number;
  delay_hours: number;
  status: string;
}>;

const ASSET_WRITABLE = [
  'workspace_id',
  'campaign_id',
  'asset_type',
  'name',
  'channel',
  'step_index',
  'delay_hours',
  'status',
] as const satisfies readonly (keyof AssetFields)[];

/**
 * `fields` with the keys of `columns` only: no other key of a request body becomes a column. A
 * field left undefined stays out of the statement (Kysely omits undefined values).
 */
function writable<Fields extends object, Column extends keyof Fields>(
  fields: Fields,
  columns: readonly Column[],
): Pick<Fields, Column> {
  return Object.fromEntries(columns.map((column) => [column, fields[column]])) as Pick<Fields, Column>;
}

const ASSETS = typed.selectFrom('content_assets as a').select((eb) => [
  'a.id',
  'a.workspace_id',
  'a.campaign_id',
  'a.asset_type',
  'a.name',
  'a.channel',
  'a.step_index',
  eb.cast<number>('a.delay_hours', 'float8').as('delay_hours'),
  'a.status',
  'a.stale_flagged_at',
  'a.created_at',
  'a.updated_at',
  // The cursor's sort value as text: a timestamp keeps its microseconds, which a JS Date would drop.
  eb.cast<string>('a.created_at', 'text').as('sort_key'),
]);

export type AssetRow = InferResult<typeof ASSETS>[number];

export interface AssetFilter {
  campaign_id?: string;
  asset_type?: string;
  status?: string;
  limit: number;
  cursor?: Keyset;
}

export async function listAssets(s: SqlSession, tenantId: string, filter: AssetFilter): Promise<AssetRow[]> {
  let query = ASSETS.where('a.tenant_id', '=', tenantId);
  if (filter.campaign_id !== undefined) query = query.where('a.campaign_id', '=', filter.campaign_id);
  if (filter.asset_type !== undefined) query = query.where('a.asset_type', '=', filter.asset_type);
  if (filter.status !== undefined) query = query.where('a.status', '=', filter.status);
  return rows(s, newestFirstPage(query, { at: 'a.created_at', id: 'a.id' }, filter));
}

export async function getAsset(s: SqlSession, tenantId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await rows(s, ASSETS.where('a.tenant_id', '=', tenantId).where('a.id', '=', id));
  return row;
}

/** The workspace of the tenant's campaign, or undefined when the tenant has no such campaign. */
export async function campaignWorkspace(
  s: SqlSession,
  tenantId: string,
  campaignId: string,
): Promise<string | undefined> {
  const [row] = await rows(
    s,
    typed.selectFrom('campaigns').select('workspace_id').where('tenant_id', '=', tenantId).where('id', '=', campaignId),
  );
  return row?.workspace_id;
}

export async function insertAsset(
  s: SqlSession,
  tenantId: string,
  fields: AssetFields & { workspace_id: string; asset_type: string; name: string },
): Promise<string> {
  const [row] = await rows(
    s,
    typed
      .insertInto('content_assets')
      .values({ tenant_id: tenantId, ...writable(fields, ASSET_WRITABLE) })
      .returning('id'),
  );
  return row!.id;
}

/** Applies `fields`; false when the tenant has no such asset. */
export async function updateAsset(s: SqlSession, tenantId: string, id: string, fields: AssetFields): Promise<boolean> {
  const updated = await rows(
    s,
    typed
      .updateTable('content_assets')
      .set({ ...writable(fields, ASSET_WRITABLE), updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
  );
  return updated.length > 0;
}

export type VariantFields = Partial<{
  variant_label: string;
  subject: string | null;
  body: string | null;
  sms_copy: string | null;
  voice_script: string | null;
  social_post: string | null;
  status: string;
  kill_reason: string | null;
}>;

const VARIANT_WRITABLE = [
  'variant_label',
  'subject',
  'body',
  'sms_copy',
  'voice_script',
  'social_post',
  'status',
  'kill_reason',
] as const satisfies readonly (keyof VariantFields)[];

/**
 * A variant's counters as the API shows them; updated_at is the time as jsonb writes it (ISO text),
 * null before the first report.
 */
type VariantStats = Record<FunnelCounter, number> & { reply_delays: Json; updated_at: string | null };

const VARIANTS = typed.selectFrom('content_variants as v').select((eb) => [
  'v.id',
  'v.asset_id',
  'v.variant_label',
  'v.subject',
  'v.body',
  'v.sms_copy',
  'v.voice_script',
  'v.social_post',
  'v.status',
  'v.killed_at',
  'v.kill_reason',
  // jsonb, not json: its keys come back in jsonb's order, as the API has always shown them.
  eb
    .fn<VariantStats>('jsonb_build_object', [
      ...FUNNEL_COUNTERS.flatMap((counter) => [sql.lit(counter), eb.ref(`v.${counter}`)]),
      sql.lit('reply_delays'),
      'v.reply_delays',
      sql.lit('updated_at'),
      'v.stats_updated_at',
    ])
    .as('stats'),
  'v.created_at',
  'v.updated_at',
]);

export type VariantRow = InferResult<typeof VARIANTS>[number];

/** The asset's variants in the order they were made. */
export async function listVariants(s: SqlSession, tenantId: string, assetId: string): Promise<VariantRow[]> {
  return rows(
    s,
    VARIANTS.where('v.tenant_id', '=', tenantId)
      .where('v.asset_id', '=', assetId)
      .orderBy('v.created_at')
      .orderBy('v.id'),
  );
}

export async function getVariant(s: SqlSession, tenantId: string, id: string): Promise<VariantRow | undefined> {
  const [row] = await rows(s, VARIANTS.where('v.tenant_id', '=', tenantId).where('v.id', '=', id));
  return row;
}

/** The labels the asset's variants use. */
export async function variantLabels(s: SqlSession, tenantId: string, assetId: string): Promise<string[]> {
  const labels = await rows(
    s,
    typed
      .selectFrom('content_variants')
      .select('variant_label')
      .where('tenant_id', '=', tenantId)
      .where('asset_id', '=', assetId),
  );
  return labels.map((row) => row.variant_label);
}

export async function insertVariant(
  s: SqlSession,
  tenantId: string,
  assetId: string,
  fields: VariantFields & { variant_label: string },
): Promise<string> {
  const [row] = await rows(
    s,
    typed
      .insertInto('content_variants')
      .values({ tenant_id: tenantId, asset_id: assetId, ...writable(fields, VARIANT_WRITABLE) })
      .returning('id'),
  );
  return row!.id;
}

/**
 * Applies `fields`; `killedAt` 'now' stamps the kill, null clears it (a revived variant), undefined
 * leaves it. False when the tenant has no such variant.
 */
export async function updateVariant(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: VariantFields,
  killedAt?: 'now' | null,
): Promise<boolean> {
  const killed = killedAt === undefined ? {} : { killed_at: killedAt === 'now' ? sql<Date>`now()` : null };
  const updated = await rows(
    s,
    typed
      .updateTable('content_variants')
      .set({ ...writable(fields, VARIANT_WRITABLE), ...killed, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
  );
  return updated.length > 0;
}
