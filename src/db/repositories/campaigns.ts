// Campaigns as the API reads and writes them. Every statement names its tenant (row-level security
// checks it again). An update names the version it was based on: a stale one changes nothing and
// reports the current version (optimistic concurrency).

import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

/** The writable fields, as the API validated them (column name → value). */
export type CampaignFields = Partial<{
  workspace_id: string;
  title: string;
  description: string | null;
  status: string;
  goal: string;
  budget: number;
  max_budget: number | null;
  currency: string;
  channels: string[];
  autopilot_enabled: boolean;
  scheduled_at: string | null;
  image_url: string | null;
  cta_text: string | null;
  cta_url: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  segment_id: string | null;
}>;

const WRITABLE = [
  'workspace_id',
  'title',
  'description',
  'status',
  'goal',
  'budget',
  'max_budget',
  'currency',
  'channels',
  'autopilot_enabled',
  'scheduled_at',
  'image_url',
  'cta_text',
  'cta_url',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'segment_id',
] as const satisfies readonly (keyof CampaignFields)[];

/** A timestamp as JSON.stringify writes a Date: UTC, milliseconds (truncated, as a Date keeps them), Z. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A campaign as the API shows it, built by the query as JSON text (row_to_json writes it compact,
 * in column order, as JSON.stringify would): money as numbers, lifetime totals from the rollup. The
 * server sends the text as it comes, so a page of campaigns costs this process no row parsing, no
 * Date objects and no JSON.stringify (the list is the API's busiest read; issue 4's p99). Beside it, what the API itself needs: the id, the version (the ETag), the
 * sort key (the cursor) and whether a schedule time is set (PATCH checks it).
 */
const SELECT = `
  SELECT c.id, c.version, c.created_at::text AS sort_key, c.scheduled_at IS NOT NULL AS has_schedule,
         row_to_json(shown)::text AS json
    FROM campaigns c
    LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
   CROSS JOIN LATERAL (
     SELECT c.id, c.workspace_id, c.title, c.description, c.status, c.goal, c.budget::float8 AS budget,
            c.max_budget::float8 AS max_budget, c.currency, c.channels, c.autopilot_enabled,
            ${iso('c.scheduled_at')} AS scheduled_at, ${iso('c.started_at')} AS started_at, c.launched_by,
            ${iso('c.completed_at')} AS completed_at, ${iso('c.last_optimization_at')} AS last_optimization_at,
            c.image_url, c.cta_text, c.cta_url, c.utm_source, c.utm_medium, c.utm_campaign, c.utm_content,
            c.segment_id, c.version, ${iso('c.created_at')} AS created_at, ${iso('c.updated_at')} AS updated_at,
            row_to_json(totals) AS totals
       FROM (SELECT coalesce(r.spend, 0)::float8 AS spend, coalesce(r.revenue, 0)::float8 AS revenue,
                    coalesce(r.impressions, 0) AS impressions, coalesce(r.clicks, 0) AS clicks,
                    coalesce(r.conversions, 0) AS conversions, coalesce(r.sends, 0) AS sends,
                    coalesce(r.opens, 0) AS opens, coalesce(r.replies, 0) AS replies,
                    coalesce(r.meetings, 0) AS meetings) AS totals) AS shown`;

export interface CampaignRow {
  id: string;
  version: number;
  sort_key: string;
  has_schedule: boolean;
  /** The campaign as the API shows it (see SELECT). */
  json: string;
}

export interface CampaignFilter {
  status?: string;
  workspace_id?: string;
  autopilot_enabled?: boolean;
  limit: number;
  cursor?: Keyset;
}

export async function listCampaigns(s: SqlSession, tenantId: string, filter: CampaignFilter): Promise<CampaignRow[]> {
  return s.query<CampaignRow>(
    `${SELECT}
      WHERE c.tenant_id = $1
        AND ($2::text IS NULL OR c.status = $2)
        AND ($3::uuid IS NULL OR c.workspace_id = $3)
        AND ($4::boolean IS NULL OR c.autopilot_enabled = $4)
        AND ($5::timestamptz IS NULL OR (c.created_at, c.id) < ($5::timestamptz, $6::uuid))
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT $7`,
    [
      tenantId,
      filter.status ?? null,
      filter.workspace_id ?? null,
      filter.autopilot_enabled ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
    // The busiest read of the API (the dashboard's and every client's first page): planned once.
    { prepare: 'campaigns.list' },
  );
}

export async function getCampaign(s: SqlSession, tenantId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await s.query<CampaignRow>(`${SELECT} WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, id]);
  return row;
}

function columnsOf(fields: CampaignFields) {
  const columns = WRITABLE.filter((column) => fields[column] !== undefined);
  return { columns, values: columns.map((column) => fields[column]) };
}

export async function insertCampaign(
  s: SqlSession,
  tenantId: string,
  fields: CampaignFields & { workspace_id: string; title: string },
  createdBy: string | null,
): Promise<string> {
  const { columns, values } = columnsOf(fields);
  const placeholders = columns.map((_, i) => `$${i + 3}`);
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO campaigns (tenant_id, created_by, ${columns.join(', ')})
     VALUES ($1, (SELECT id FROM users WHERE id = $2::uuid), ${placeholders.join(', ')}) RETURNING id`,
    [tenantId, createdBy, ...values],
  );
  return row!.id;
}

export type UpdateOutcome = { outcome: 'updated' } | { outcome: 'missing' } | { outcome: 'stale'; version: number };

/** Applies `fields` if the campaign is still at `expectedVersion` (any version when null). */
export async function updateCampaign(
  s: SqlSession,
  tenantId: string,
  id: string,
  fields: CampaignFields,
  expectedVersion: number | null,
): Promise<UpdateOutcome> {
  const { columns, values } = columnsOf(fields);
  const assignments = columns.map((column, i) => `${column} = $${i + 4}`);
  const updated = await s.query(
    `UPDATE campaigns SET ${[...assignments, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2 AND ($3::int IS NULL OR version = $3) RETURNING id`,
    [tenantId, id, expectedVersion, ...values],
  );
  if (updated.length > 0) return { outcome: 'updated' };
  const [current] = await s.query<{ version: number }>(
    'SELECT version FROM campaigns WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  return current ? { outcome: 'stale', version: current.version } : { outcome: 'missing' };
}

/** The workspace a campaign goes to when the caller names none: the tenant's first. */
export async function defaultWorkspace(s: SqlSession, tenantId: string): Promise<string | undefined> {
  const [row] = await s.query<{ id: string }>(
    'SELECT id FROM workspaces WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1',
    [tenantId],
  );
  return row?.id;
}
