// Campaigns as the API reads and writes them. Every statement names its tenant (row-level security
// checks it again). An update names the version it was based on: a stale one changes nothing and
// reports the current version (optimistic concurrency).

import { type Expression, type InferResult, sql } from 'kysely';
import type { Keyset } from '../../domain/keyset.ts';
import type { CampaignRollups } from '../generated/schema.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

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

/** The columns `fields` writes (the builder leaves out a field that is undefined). */
const written = (f: CampaignFields) => ({
  workspace_id: f.workspace_id,
  title: f.title,
  description: f.description,
  status: f.status,
  goal: f.goal,
  budget: f.budget,
  max_budget: f.max_budget,
  currency: f.currency,
  channels: f.channels,
  autopilot_enabled: f.autopilot_enabled,
  scheduled_at: f.scheduled_at,
  image_url: f.image_url,
  cta_text: f.cta_text,
  cta_url: f.cta_url,
  utm_source: f.utm_source,
  utm_medium: f.utm_medium,
  utm_campaign: f.utm_campaign,
  utm_content: f.utm_content,
  segment_id: f.segment_id,
});

/** A timestamp as JSON.stringify writes a Date: UTC, milliseconds (truncated, as a Date keeps them), Z. */
const iso = (at: Expression<Date | null>) =>
  sql<string | null>`to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A lifetime total from the rollup `r` joined beside the campaign; 0 while it has no stats (no rollup
 * row). Named by reference: the totals are selected without a FROM, where the builder sees no `r`.
 */
const total = (column: keyof CampaignRollups) => sql<number>`coalesce(${sql.ref(`r.${column}`)}, 0)`;

/** The link to the ad platform as the API shows it (src/contract/campaigns.ts), null when unlinked. */
const platformLink = sql<unknown>`CASE WHEN l.campaign_id IS NULL THEN NULL ELSE json_build_object(
  'platform', CASE WHEN l.external_kind = 'google_campaign' THEN 'google_ads' ELSE 'meta' END,
  'external_kind', l.external_kind, 'external_id', l.external_id, 'ad_account_id', l.ad_account_id) END`;

/**
 * A campaign as the API shows it, built by the query as JSON text (row_to_json writes it compact,
 * in column order, as JSON.stringify would): money as numbers, lifetime totals from the rollup. The
 * server sends the text as it comes, so a page of campaigns costs this process no row parsing, no
 * Date objects and no JSON.stringify (the list is the API's busiest read; issue 4's p99). Beside it, what the API itself needs: the id, the version (the ETag), the
 * sort key (the cursor) and whether a schedule time is set (PATCH checks it).
 */
function selectCampaigns() {
  const totals = typed.selectNoFrom((eb) => [
    eb.cast<number>(total('spend'), 'float8').as('spend'),
    eb.cast<number>(total('revenue'), 'float8').as('revenue'),
    total('impressions').as('impressions'),
    total('clicks').as('clicks'),
    total('conversions').as('conversions'),
    total('sends').as('sends'),
    total('opens').as('opens'),
    total('replies').as('replies'),
    total('meetings').as('meetings'),
  ]);
  return (
    typed
      .selectFrom('campaigns as c')
      .leftJoin('campaign_rollups as r', (join) =>
        join.onRef('r.tenant_id', '=', 'c.tenant_id').onRef('r.campaign_id', '=', 'c.id'),
      )
      // The ad-platform campaign (or Meta ad set) it is linked to, if any: one row by primary key.
      .leftJoin('campaign_platform_links as l', (join) =>
        join.onRef('l.tenant_id', '=', 'c.tenant_id').onRef('l.campaign_id', '=', 'c.id'),
      )
      .crossJoinLateral((eb) =>
        eb
          .selectFrom(totals.as('totals'))
          .select((eb) => [
            'c.id',
            'c.workspace_id',
            'c.title',
            'c.description',
            'c.status',
            'c.goal',
            eb.cast<number>('c.budget', 'float8').as('budget'),
            eb.cast<number | null>('c.max_budget', 'float8').as('max_budget'),
            'c.currency',
            'c.channels',
            'c.autopilot_enabled',
            iso(eb.ref('c.scheduled_at')).as('scheduled_at'),
            iso(eb.ref('c.started_at')).as('started_at'),
            'c.launched_by',
            iso(eb.ref('c.completed_at')).as('completed_at'),
            iso(eb.ref('c.last_optimization_at')).as('last_optimization_at'),
            'c.image_url',
            'c.cta_text',
            'c.cta_url',
            'c.utm_source',
            'c.utm_medium',
            'c.utm_campaign',
            'c.utm_content',
            'c.segment_id',
            'c.version',
            iso(eb.ref('c.created_at')).as('created_at'),
            iso(eb.ref('c.updated_at')).as('updated_at'),
            eb.fn('row_to_json', [eb.table('totals')]).as('totals'),
            platformLink.as('platform_link'),
          ])
          .as('shown'),
      )
      .select((eb) => [
        'c.id',
        'c.version',
        eb.cast<string>('c.created_at', 'text').as('sort_key'),
        eb('c.scheduled_at', 'is not', null).$castTo<boolean>().as('has_schedule'),
        eb.cast<string>(eb.fn('row_to_json', [eb.table('shown')]), 'text').as('json'),
      ])
  );
}

/** A campaign's id, version, sort key and whether it has a schedule time, and its JSON (see selectCampaigns). */
export type CampaignRow = InferResult<ReturnType<typeof selectCampaigns>>[number];

export interface CampaignFilter {
  status?: string;
  /** Archived campaigns are left out unless asked for (by this, or by status 'archived'). */
  include_archived?: boolean;
  workspace_id?: string;
  autopilot_enabled?: boolean;
  limit: number;
  cursor?: Keyset;
}

export function listCampaigns(s: SqlSession, tenantId: string, filter: CampaignFilter) {
  const { status, workspace_id, autopilot_enabled, cursor } = filter;
  // Archived is the end of a campaign's life, not a deletion: out of the way, still there to read.
  const hideArchived = status === undefined && !filter.include_archived ? true : undefined;
  let query = selectCampaigns().where('c.tenant_id', '=', tenantId);
  if (status !== undefined) query = query.where('c.status', '=', status);
  if (hideArchived) query = query.where('c.status', '<>', 'archived');
  if (workspace_id !== undefined) query = query.where('c.workspace_id', '=', workspace_id);
  if (autopilot_enabled !== undefined) query = query.where('c.autopilot_enabled', '=', autopilot_enabled);
  // The busiest read of the API (the dashboard's and every client's first page): planned once. Each
  // set of filters given compiles to a text of its own, so each is prepared under a name of its own.
  const given = [status, hideArchived, workspace_id, autopilot_enabled, cursor]
    .map((f) => (f === undefined ? '-' : '+'))
    .join('');
  const page = newestFirstPage(query, { at: 'c.created_at', id: 'c.id' }, filter);
  return rows(s, page, { prepare: `campaigns.list${given}` });
}

export async function getCampaign(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectCampaigns().where('c.tenant_id', '=', tenantId).where('c.id', '=', id));
  return row;
}

export async function insertCampaign(
  s: SqlSession,
  tenantId: string,
  fields: CampaignFields & { workspace_id: string; title: string },
  createdBy: string | null,
): Promise<string> {
  const [row] = await rows(
    s,
    typed
      .insertInto('campaigns')
      .values((eb) => ({
        tenant_id: tenantId,
        // created_by references users: a caller with no users row (a token's subject may have none) is left out.
        created_by: createdBy === null ? null : eb.selectFrom('users').select('id').where('id', '=', createdBy),
        ...written(fields),
        workspace_id: fields.workspace_id,
        title: fields.title,
      }))
      .returning('id'),
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
  let update = typed
    .updateTable('campaigns')
    .set((eb) => ({ ...written(fields), version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (expectedVersion !== null) update = update.where('version', '=', expectedVersion);
  const updated = await rows(s, update.returning('id'));
  if (updated.length > 0) return { outcome: 'updated' };
  const [current] = await rows(
    s,
    typed.selectFrom('campaigns').select('version').where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return current ? { outcome: 'stale', version: current.version } : { outcome: 'missing' };
}

/** The campaign's goal (leads, meetings, revenue); undefined when there is no such campaign. */
export async function campaignGoal(s: SqlSession, tenantId: string, id: string): Promise<string | undefined> {
  const [row] = await rows(
    s,
    typed.selectFrom('campaigns').select('goal').where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return row?.goal;
}

/** The campaign's status, its row locked until the transaction ends; undefined when there is none. */
export async function lockCampaignStatus(s: SqlSession, tenantId: string, id: string): Promise<string | undefined> {
  const [row] = await rows(
    s,
    typed.selectFrom('campaigns').select('status').where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate(),
  );
  return row?.status;
}

/** The workspace a campaign goes to when the caller names none: the tenant's first. */
export async function defaultWorkspace(s: SqlSession, tenantId: string): Promise<string | undefined> {
  const [row] = await rows(
    s,
    typed
      .selectFrom('workspaces')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1),
  );
  return row?.id;
}
