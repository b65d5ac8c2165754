// Content assets (the steps of a campaign's sequence) and their variants, as the API reads and
// writes them. Every statement names its tenant (row-level security checks it again). A variant's
// counters are written by ingestion only: nothing here changes them.
import type { Keyset } from '../../domain/keyset.ts';
import { FUNNEL_COUNTERS } from '../../domain/metrics.ts';
import type { SqlSession } from '../port.ts';

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

const ASSET_SELECT = `
  SELECT a.id, a.workspace_id, a.campaign_id, a.asset_type, a.name, a.channel, a.step_index,
         a.delay_hours::float8 AS delay_hours, a.status, a.stale_flagged_at, a.created_at, a.updated_at,
         a.created_at::text AS sort_key
    FROM content_assets a`;

export interface AssetRow {
  id: string;
  workspace_id: string;
  campaign_id: string | null;
  sort_key: string;
  [column: string]: unknown;
}

export interface AssetFilter {
  campaign_id?: string;
  asset_type?: string;
  status?: string;
  limit: number;
  cursor?: Keyset;
}

export async function listAssets(s: SqlSession, tenantId: string, filter: AssetFilter): Promise<AssetRow[]> {
  return s.query<AssetRow>(
    `${ASSET_SELECT}
      WHERE a.tenant_id = $1
        AND ($2::uuid IS NULL OR a.campaign_id = $2)
        AND ($3::text IS NULL OR a.asset_type = $3)
        AND ($4::text IS NULL OR a.status = $4)
        AND ($5::timestamptz IS NULL OR (a.created_at, a.id) < ($5::timestamptz, $6::uuid))
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $7`,
    [
      tenantId,
      filter.campaign_id ?? null,
      filter.asset_type ?? null,
      filter.status ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
  );
}

export async function getAsset(s: SqlSession, tenantId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await s.query<AssetRow>(`${ASSET_SELECT} WHERE a.tenant_id = $1 AND a.id = $2`, [tenantId, id]);
  return row;
}

/** The workspace of the tenant's campaign, or undefined when the tenant has no such campaign. */
export async function campaignWorkspace(
  s: SqlSession,
  tenantId: string,
  campaignId: string,
): Promise<string | undefined> {
  const [row] = await s.query<{ workspace_id: string }>(
    'SELECT workspace_id FROM campaigns WHERE tenant_id = $1 AND id = $2',
    [tenantId, campaignId],
  );
  return row?.workspace_id;
}

function assetColumns(fields: AssetFields) {
  const columns = ASSET_WRITABLE.filter((column) => fields[column] !== undefined);
  return { columns, values: columns.map((column) => fields[column]) };
}

export async function insertAsset(
  s: SqlSession,
  tenantId: string,
  fields: AssetFields & { workspace_id: string; asset_type: string; name: string },
): Promise<string> {
  const { columns, values } = assetColumns(fields);
  const placeholders = columns.map((_, i) => `$${i + 2}`);
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO content_assets (tenant_id, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')}) RETURNING id`,
    [tenantId, ...values],
  );
  return row!.id;
}

/** Applies `fields`; false when the tenant has no such asset. */
export async function updateAsset(s: SqlSession, tenantId: string, id: string, fields: AssetFields): Promise<boolean> {
  const { columns, values } = assetColumns(fields);
  const assignments = columns.map((column, i) => `${column} = $${i + 3}`);
  const updated = await s.query(
    `UPDATE content_assets SET ${[...assignments, 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    [tenantId, id, ...values],
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

const VARIANT_SELECT = `
  SELECT v.id, v.asset_id, v.variant_label, v.subject, v.body, v.sms_copy, v.voice_script, v.social_post,
         v.status, v.killed_at, v.kill_reason,
         jsonb_build_object(${FUNNEL_COUNTERS.map((c) => `'${c}', v.${c}`).join(', ')},
                            'reply_delays', v.reply_delays, 'updated_at', v.stats_updated_at) AS stats,
         v.created_at, v.updated_at
    FROM content_variants v`;

export interface VariantRow {
  id: string;
  asset_id: string;
  variant_label: string;
  status: string;
  killed_at: Date | null;
  kill_reason: string | null;
  [column: string]: unknown;
}

/** The asset's variants in the order they were made. */
export async function listVariants(s: SqlSession, tenantId: string, assetId: string): Promise<VariantRow[]> {
  return s.query<VariantRow>(
    `${VARIANT_SELECT} WHERE v.tenant_id = $1 AND v.asset_id = $2 ORDER BY v.created_at, v.id`,
    [tenantId, assetId],
  );
}

export async function getVariant(s: SqlSession, tenantId: string, id: string): Promise<VariantRow | undefined> {
  const [row] = await s.query<VariantRow>(`${VARIANT_SELECT} WHERE v.tenant_id = $1 AND v.id = $2`, [tenantId, id]);
  return row;
}

/** The labels the asset's variants use. */
export async function variantLabels(s: SqlSession, tenantId: string, assetId: string): Promise<string[]> {
  const rows = await s.query<{ variant_label: string }>(
    'SELECT variant_label FROM content_variants WHERE tenant_id = $1 AND asset_id = $2',
    [tenantId, assetId],
  );
  return rows.map((row) => row.variant_label);
}

function variantColumns(fields: VariantFields) {
  const columns = VARIANT_WRITABLE.filter((column) => fields[column] !== undefined);
  return { columns, values: columns.map((column) => fields[column]) };
}

export async function insertVariant(
  s: SqlSession,
  tenantId: string,
  assetId: string,
  fields: VariantFields & { variant_label: string },
): Promise<string> {
  const { columns, values } = variantColumns(fields);
  const placeholders = columns.map((_, i) => `$${i + 3}`);
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO content_variants (tenant_id, asset_id, ${columns.join(', ')})
     VALUES ($1, $2, ${placeholders.join(', ')}) RETURNING id`,
    [tenantId, assetId, ...values],
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
  const { columns, values } = variantColumns(fields);
  const assignments = columns.map((column, i) => `${column} = $${i + 3}`);
  if (killedAt !== undefined) assignments.push(`killed_at = ${killedAt === 'now' ? 'now()' : 'NULL'}`);
  const updated = await s.query(
    `UPDATE content_variants SET ${[...assignments, 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    [tenantId, id, ...values],
  );
  return updated.length > 0;
}
