// Writes deterministic demo tenants: one transaction per tenant, bulk rows through COPY (the
// fastest path into Postgres on both adapters), stats streamed campaign by campaign so memory
// stays flat however many campaigns a tenant has. Each tenant's transaction ends by analyzing the
// tables it at least doubled (src/db/analyze-after-bulk.ts), so that a cycle right after a load
// is planned from statistics that know the new rows.
import { analyzeAfterBulk } from '../db/analyze-after-bulk.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { statsWritten } from '../db/repositories/stats.ts';
import { REPORTED_METRICS } from '../domain/metrics.ts';
import { type CampaignPlan, planCampaign } from './campaign-plan.ts';
import { writeCmoProfile } from './cmo-profile.ts';
import { type CsvValue, csvRow } from './csv.ts';
import { drawDailyStats } from './daily-stats.ts';
import { LOCAL_ADMIN_EMAIL } from './local-admin.ts';
import { createRandom, deriveSeed, type Random } from './random.ts';
import { drawContent, drawPeople } from './tenant-data.ts';

export interface DemoOptions {
  tenants: number;
  /** Campaigns per tenant. */
  campaigns: number;
  days: number;
  seed: number;
  contacts: number;
  /** Slug of the first tenant; the others are <prefix>-2, <prefix>-3, ... */
  prefix: string;
  /** The last day with stats, 'YYYY-MM-DD' (UTC). */
  lastDay: string;
}

export interface DemoProgress {
  tenantsDone: number;
  campaignsDone: number;
  campaignsTotal: number;
}

export interface DemoResult {
  created: { slug: string; tenantId: string }[];
  skipped: string[];
  rows: { campaigns: number; stats: number; contacts: number; variants: number };
}

export { LOCAL_ADMIN_EMAIL };

const COPY_BATCH_ROWS = 2000;

export function tenantSlug(prefix: string, index: number): string {
  return index === 0 ? prefix : `${prefix}-${index + 1}`;
}

function slugCodes(slug: string): number[] {
  return Array.from(slug, (char) => char.charCodeAt(0));
}

/** Yields CSV text in batches, so COPY gets few large writes instead of many small ones. */
function* csvBatches(rows: Iterable<readonly CsvValue[]>): Generator<string> {
  let batch = '';
  let count = 0;
  for (const row of rows) {
    batch += csvRow(row);
    if (++count === COPY_BATCH_ROWS) {
      yield batch;
      batch = '';
      count = 0;
    }
  }
  if (batch) yield batch;
}

export async function ensureLocalAdmin(db: Database): Promise<string> {
  return db.session(async (s) => {
    await s.query('INSERT INTO users (email, display_name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING', [
      LOCAL_ADMIN_EMAIL,
      'Local admin',
    ]);
    const [row] = await s.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [LOCAL_ADMIN_EMAIL]);
    return row!.id;
  });
}

export async function loadDemo(
  db: Database,
  options: DemoOptions,
  onProgress: (progress: DemoProgress) => void = () => {},
): Promise<DemoResult> {
  const adminId = await ensureLocalAdmin(db);
  const lastDay = new Date(`${options.lastDay}T00:00:00Z`);
  const result: DemoResult = { created: [], skipped: [], rows: { campaigns: 0, stats: 0, contacts: 0, variants: 0 } };
  const progress: DemoProgress = {
    tenantsDone: 0,
    campaignsDone: 0,
    campaignsTotal: options.tenants * options.campaigns,
  };
  for (let t = 0; t < options.tenants; t++) {
    const slug = tenantSlug(options.prefix, t);
    // One stream per tenant: its data depends only on (seed, slug), not on the other tenants, and
    // two prefixes loaded with one seed into one database do not collide on ids.
    const random = createRandom(deriveSeed(options.seed, ...slugCodes(slug)));
    const created = await db.transaction(async (s) => {
      const [existing] = await s.query('SELECT 1 FROM tenants WHERE slug = $1', [slug]);
      if (existing) return undefined;
      return writeTenant(s, random, { ...options, slug, adminId, lastDay }, result, () => {
        progress.campaignsDone++;
        if (progress.campaignsDone % 100 === 0) onProgress(progress);
      });
    });
    if (created) result.created.push({ slug, tenantId: created });
    else {
      result.skipped.push(slug);
      progress.campaignsDone += options.campaigns;
    }
    progress.tenantsDone++;
    onProgress(progress);
  }
  return result;
}

interface TenantContext extends Omit<DemoOptions, 'lastDay'> {
  slug: string;
  adminId: string;
  lastDay: Date;
}

async function writeTenant(
  s: SqlSession,
  random: Random,
  ctx: TenantContext,
  result: DemoResult,
  campaignDone: () => void,
): Promise<string> {
  const tenantId = random.uuid();
  const workspaceId = random.uuid();
  const name = ctx.slug === 'demo' ? 'Demo Company' : `Demo Company ${ctx.slug.replace(/^.*-/, '')}`;
  await s.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)', [tenantId, ctx.slug, name]);
  await s.query("INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [
    tenantId,
    ctx.adminId,
  ]);
  await s.query("INSERT INTO workspaces (tenant_id, id, slug, name) VALUES ($1, $2, 'main', 'Main workspace')", [
    tenantId,
    workspaceId,
  ]);
  await writeCmoProfile(s, { tenantId, workspaceId, brandName: name, ownerId: ctx.adminId });

  // Rows written per table, for analyzeAfterBulk.
  const written: Record<string, number> = {};
  const copy = async (table: string, columns: readonly string[], rows: Iterable<readonly CsvValue[]>) => {
    written[table] = await s.copyCsv(table, columns, csvBatches(rows));
    return written[table];
  };

  const people = drawPeople(random, tenantId, ctx.contacts);
  result.rows.contacts += await copy(
    'contacts',
    ['tenant_id', 'id', 'email', 'phone', 'first_name', 'last_name', 'company', 'job_title', 'status'],
    people.contactRows,
  );
  await copy(
    'segments',
    ['tenant_id', 'id', 'workspace_id', 'name', 'description'],
    people.segments.map((seg) => [tenantId, seg.id, workspaceId, seg.name, seg.description]),
  );
  await copy(
    'segment_members',
    ['tenant_id', 'segment_id', 'contact_id'],
    people.segments.flatMap((seg) => seg.memberIds.map((contactId) => [tenantId, seg.id, contactId])),
  );

  const plans: CampaignPlan[] = [];
  for (let i = 0; i < ctx.campaigns; i++) plans.push(planCampaign(random, i, ctx.days, ctx.lastDay));
  result.rows.campaigns += await copy(
    'campaigns',
    [
      'tenant_id',
      'id',
      'workspace_id',
      'title',
      'description',
      'status',
      'goal',
      'budget',
      'max_budget',
      'channels',
      'autopilot_enabled',
      'scheduled_at',
      'started_at',
      'segment_id',
      'cta_text',
      'cta_url',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'image_url',
      'created_by',
      'created_at',
      'updated_at',
    ],
    plans.map((p) => [
      tenantId,
      p.id,
      workspaceId,
      p.title,
      p.description,
      p.status,
      p.goal,
      p.budget,
      p.maxBudget,
      p.channels,
      p.autopilot,
      p.scheduledAt?.toISOString(),
      p.startedAt?.toISOString(),
      random.pick(people.segments).id,
      'Book a demo',
      `https://example.com/offer/${p.index + 1}`,
      'nightshift',
      'social',
      `demo-${p.index + 1}`,
      `https://example.com/images/campaign-${(p.index % 12) + 1}.png`,
      ctx.adminId,
      p.createdAt.toISOString(),
      p.createdAt.toISOString(),
    ]),
  );

  // Stats and content draw from the same stream in campaign order, so both stay deterministic.
  const content = { assets: [] as CsvValue[][], variants: [] as CsvValue[][] };
  function* statRows(): Generator<CsvValue[]> {
    for (const plan of plans) {
      for (const d of drawDailyStats(random, plan, ctx.lastDay)) {
        yield [tenantId, plan.id, d.statDate, d.channel, ...REPORTED_METRICS.map((metric) => d[metric])];
      }
      const drawn = drawContent(random, tenantId, workspaceId, plan, ctx.lastDay);
      content.assets.push(...drawn.assets);
      content.variants.push(...drawn.variants);
      campaignDone();
    }
  }
  result.rows.stats += await copy(
    'campaign_channel_stats_daily',
    ['tenant_id', 'campaign_id', 'stat_date', 'channel', ...REPORTED_METRICS],
    statRows(),
  );
  await copy(
    'content_assets',
    [
      'tenant_id',
      'id',
      'workspace_id',
      'campaign_id',
      'asset_type',
      'name',
      'channel',
      'step_index',
      'delay_hours',
      'created_at',
      'updated_at',
    ],
    content.assets,
  );
  result.rows.variants += await copy(
    'content_variants',
    [
      'tenant_id',
      'id',
      'asset_id',
      'variant_label',
      'subject',
      'body',
      'sends',
      'opens',
      'clicks',
      'replies',
      'meetings',
      'created_at',
      'updated_at',
    ],
    content.variants,
  );
  await analyzeAfterBulk(s, {
    ...written,
    ...statsWritten(written.campaign_channel_stats_daily ?? 0, written.campaigns ?? 0),
  });
  return tenantId;
}
