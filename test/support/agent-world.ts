// What the CMO agent tests share: a workspace with a brand, ICP segments, offers and a running
// campaign with stats; a reader of the agents' server-sent events; and a count of everything an
// agent could write for a tenant, to prove a request wrote nothing.
import { agentStreamEvents } from '../../src/contract/agent-stream.ts';
import type { Database } from '../../src/db/port.ts';
import { createTenant, type TestTenant } from './scenario.ts';

export interface AgentWorld extends TestTenant {
  campaignId: string;
  segmentNames: string[];
  offerNames: string[];
}

export async function createAgentWorld(db: Database): Promise<AgentWorld> {
  const t = await createTenant(db);
  return db.transaction(async (s) => {
    const scope = [t.tenantId, t.workspaceId];
    await s.query(
      `INSERT INTO cmo_brand_profiles (tenant_id, workspace_id, brand_name, industry, website, brand_voice, tone)
       VALUES ($1, $2, 'Acme Analytics', 'B2B SaaS', 'https://acme.example', 'plain-spoken and precise', '{clear,warm}')`,
      scope,
    );
    await s.query(
      `INSERT INTO cmo_icp_segments (tenant_id, workspace_id, name, description, pains, goals, objections, channels) VALUES
         ($1, $2, 'RevOps leaders', 'Heads of revenue operations at 50-500 person SaaS companies',
          '{forecasts nobody trusts,pipeline data spread over five tools}', '{a forecast within 5%}',
          '{another dashboard to maintain}', '{email,linkedin}'),
         ($1, $2, 'Founders', 'Founders selling themselves', '{no time for reporting}', '{more demos}',
          '{too expensive}', '{email}')`,
      scope,
    );
    await s.query(
      `INSERT INTO cmo_offers (tenant_id, workspace_id, name, description, offer_type, price, cta) VALUES
         ($1, $2, 'Pipeline Audit', 'A two-week audit of the pipeline data', 'service', 490, 'Book your audit'),
         ($1, $2, 'Forecast Pro', 'The forecasting product', 'subscription', 199, 'Start a trial')`,
      scope,
    );
    const [campaign] = await s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, status, goal, budget, channels, cta_text, cta_url)
       VALUES ($1, $2, 'Audit outreach', 'active', 'meetings', 3000, '{email}', 'Book your audit',
               'https://acme.example/audit') RETURNING id`,
      scope,
    );
    await s.query(
      `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, impressions, sends, clicks,
                                                 replies, meetings, conversions, spend, revenue)
       SELECT $1, $2, current_date - d, 'email', 1000, 200, 30, 3, 1, 1, 50, 20 FROM generate_series(1, 20) d`,
      [t.tenantId, campaign!.id],
    );
    return {
      ...t,
      campaignId: campaign!.id,
      segmentNames: ['RevOps leaders', 'Founders'],
      offerNames: ['Pipeline Audit', 'Forecast Pro'],
    };
  });
}

const AGENT_TABLES = [
  'agent_runs',
  'cmo_brand_profiles',
  'cmo_icp_segments',
  'cmo_offers',
  'cmo_plans',
  'cmo_funnels',
  'campaigns',
  'content_assets',
  'content_variants',
  'cmo_recommendations',
] as const;

/** Rows per table of everything an agent run could write for the tenant. */
export async function agentTableCounts(db: Database, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await db.session(async (s) => {
    for (const table of AGENT_TABLES) {
      const [row] = await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
        tenantId,
      ]);
      counts[table] = row!.n;
    }
  });
  return counts;
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Server-sent events from a complete body: `message` for events without a name. Each event's data
 * must be what the contract says the dashboard reads (src/contract/agent-stream.ts): one that is
 * not throws, naming the event.
 */
export function parseSse(text: string): SseEvent[] {
  const events = text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      return { event, data };
    });
  for (const { event, data } of events) {
    if (event === 'message' && data === '[DONE]') continue;
    const schema = agentStreamEvents[event as keyof typeof agentStreamEvents];
    if (!schema) throw new Error(`an event the contract does not know: ${event}`);
    const checked = schema.safeParse(JSON.parse(data));
    if (!checked.success) throw new Error(`event ${event} is not the contract's: ${checked.error.message}\n${data}`);
  }
  return events;
}

/** The text an agent streamed: its OpenAI-shaped delta chunks joined. */
export function streamedText(events: SseEvent[]): string {
  return events
    .filter((e) => e.event === 'message' && e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data).choices[0].delta.content as string)
    .join('');
}

const phase = (n: number, start: string, end: string) => ({
  name: `Phase ${n}`,
  start_date: start,
  end_date: end,
  focus: 'Pipeline Audit for RevOps leaders',
  budget: 3000,
  channels: ['email'],
  objectives: ['Book demos'],
  kpis: [{ metric: 'meetings', target: 13 }],
});

/** A valid 90-day plan for a budget of 9000, as a gateway would answer it. */
export function validPlanAnswer(primaryGoal: string) {
  return {
    name: 'Acme Analytics: 90 days of demos',
    summary: 'Sell the Pipeline Audit to RevOps leaders by email.',
    primary_goal: primaryGoal,
    budget: 9000,
    currency: 'USD',
    start_date: '2026-12-01',
    end_date: '2027-02-28',
    phases: [
      phase(1, '2026-12-01', '2026-12-30'),
      phase(2, '2026-12-31', '2027-01-29'),
      phase(3, '2027-01-30', '2027-02-28'),
    ],
    channel_mix: [{ channel: 'email', share: 1, budget: 9000 }],
    milestones: [{ date: '2026-12-15', description: 'First 100 audits offered' }],
    target_metrics: { meetings: 40 },
    risks: ['Another dashboard to maintain'],
  };
}
