// Builds small, exact worlds for engine tests: a fresh tenant (so tests never share state), its
// campaigns, and their daily stats.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/port.ts';

export const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR_MS = 3_600_000;

export interface TestTenant {
  tenantId: string;
  workspaceId: string;
}

export async function createTenant(db: Database, settings: object = {}): Promise<TestTenant> {
  return db.transaction(async (s) => {
    const slug = `t-${randomBytes(5).toString('hex')}`;
    const [tenant] = await s.query<{ id: string }>(
      'INSERT INTO tenants (slug, name, settings) VALUES ($1, $1, $2) RETURNING id',
      [slug, JSON.stringify(settings)],
    );
    const [workspace] = await s.query<{ id: string }>(
      "INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'main', 'Main') RETURNING id",
      [tenant!.id],
    );
    return { tenantId: tenant!.id, workspaceId: workspace!.id };
  });
}

/** A second workspace of the tenant (slug 'two'; createTenant makes the first, 'main'). */
export async function createSecondWorkspace(db: Database, t: TestTenant): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>("INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'two', 'Two') RETURNING id", [
      t.tenantId,
    ]),
  );
  return row!.id;
}

export interface CampaignSpec {
  title?: string;
  budget: number;
  maxBudget?: number | null;
  autopilot?: boolean;
  hoursRunning: number;
  status?: string;
}

export async function createCampaign(db: Database, t: TestTenant, spec: CampaignSpec): Promise<string> {
  const started = new Date(NOW.getTime() - spec.hoursRunning * HOUR_MS).toISOString();
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, status, budget, max_budget, autopilot_enabled, started_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [
        t.tenantId,
        t.workspaceId,
        spec.title ?? 'Campaign',
        spec.status ?? 'active',
        spec.budget,
        spec.maxBudget ?? null,
        spec.autopilot ?? true,
        started,
      ],
    ),
  );
  return row!.id;
}

export interface DayStats {
  /** 0 = the day of NOW, 1 = the day before, ... */
  daysAgo: number;
  spend: number;
  revenue: number;
  conversions?: number;
  clicks?: number;
  impressions?: number;
  channel?: string;
}

/** `today`: the day daysAgo counts back from (NOW's unless told; the API's previews run at today's). */
export async function addStats(
  db: Database,
  t: TestTenant,
  campaignId: string,
  days: DayStats[],
  today: Date = NOW,
): Promise<void> {
  const date = (daysAgo: number) => new Date(today.getTime() - daysAgo * 24 * HOUR_MS).toISOString().slice(0, 10);
  await db.session((s) =>
    s.query(
      `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, impressions, clicks, conversions, spend, revenue)
       SELECT $1, $2, d.day, d.channel, d.impressions, d.clicks, d.conversions, d.spend, d.revenue
         FROM unnest($3::date[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::numeric[], $9::numeric[])
              AS d (day, channel, impressions, clicks, conversions, spend, revenue)`,
      [
        t.tenantId,
        campaignId,
        days.map((d) => date(d.daysAgo)),
        days.map((d) => d.channel ?? 'google_ads'),
        days.map((d) => d.impressions ?? 10_000),
        days.map((d) => d.clicks ?? 200),
        // Revenue comes from orders: by default one per $10 of it (the ROI model counts orders).
        days.map((d) => d.conversions ?? Math.round(d.revenue / 10)),
        days.map((d) => d.spend),
        days.map((d) => d.revenue),
      ],
    ),
  );
}

/** `n` days ending today with the same numbers each day. */
export function steadyDays(n: number, day: Omit<DayStats, 'daysAgo'>): DayStats[] {
  return Array.from({ length: n }, (_, daysAgo) => ({ ...day, daysAgo }));
}

/**
 * A slow starter, for backtests: a bad first day ($60 for $6) nine days ago, then ROI 2 for nine
 * days ($50 for $100 a day). A pause the first evening forgoes $900 to save $450.
 */
export function lateBloomerDays(): DayStats[] {
  return [
    { daysAgo: 9, spend: 60, revenue: 6, conversions: 1 },
    ...steadyDays(9, { spend: 50, revenue: 100, conversions: 10 }),
  ];
}

export async function campaignState(db: Database, t: TestTenant, campaignId: string) {
  const [row] = await db.session((s) =>
    s.query<{ status: string; budget: string; version: number }>(
      'SELECT status, budget, version FROM campaigns WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, campaignId],
    ),
  );
  return row!;
}

export async function actionsOf(db: Database, t: TestTenant) {
  return db.session((s) =>
    s.query<{
      id: string;
      campaign_id: string;
      action_type: string;
      status: string;
      reason: string;
      previous_state: object;
      new_state: object;
      confidence_score: string;
    }>('SELECT * FROM autonomous_actions WHERE tenant_id = $1 ORDER BY created_at, id', [t.tenantId]),
  );
}

/**
 * Dates a person's rollback or dismissal of an action: the ledger stamps them with the server's
 * clock, and engine tests run the cycle on the scenario's (NOW and around it).
 */
export async function datePersonDecision(db: Database, t: TestTenant, actionId: string, at: Date): Promise<void> {
  const dated = await db.session((s) =>
    s.query(
      `UPDATE autonomous_actions
          SET updated_at = $3, created_at = least(created_at, $3),
              rolled_back_at = CASE WHEN status = 'rolled_back' THEN $3::timestamptz END
        WHERE tenant_id = $1 AND id = $2 AND status IN ('rolled_back', 'dismissed') RETURNING id`,
      [t.tenantId, actionId, at.toISOString()],
    ),
  );
  if (dated.length !== 1) throw new Error(`action ${actionId} is neither rolled back nor dismissed`);
}

/** A loser (pause), a winner (scale) and a loser with autopilot off (suggestion). */
export async function pauseScaleSuggestWorld(db: Database, t: TestTenant) {
  // ROI 0.25 on 30 orders: sure enough to pause alone (on 3 orders the model would only suggest).
  const loser = await createCampaign(db, t, { budget: 200, hoursRunning: 72 });
  await addStats(db, t, loser, steadyDays(3, { spend: 400, revenue: 100 }));
  const winner = await createCampaign(db, t, { budget: 100, hoursRunning: 96 });
  await addStats(db, t, winner, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
  const suggested = await createCampaign(db, t, { budget: 200, hoursRunning: 72, autopilot: false });
  await addStats(db, t, suggested, steadyDays(3, { spend: 400, revenue: 100 }));
  return { loser, winner, suggested };
}
