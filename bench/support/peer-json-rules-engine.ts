// The peer: what a TypeScript developer would write with json-rules-engine. Per campaign, load its
// facts with a query over the raw stats, evaluate the same four default rules, and write each
// action in its own statements (campaign update, then ledger insert).
import { Engine } from 'json-rules-engine';
import type { Database } from '../../src/db/port.ts';

type Condition = readonly [fact: string, operator: string, value: number];
const RULES: { name: string; priority: number; type: string; multiplier: number; all: Condition[] }[] = [
  {
    name: 'Critical ROI Pause',
    priority: 100,
    type: 'auto_pause',
    multiplier: 1,
    all: [
      ['roi', 'lessThan', 0.5],
      ['spend', 'greaterThanInclusive', 50],
      ['hours', 'greaterThanInclusive', 24],
    ],
  },
  {
    name: 'Low ROI Pause',
    priority: 90,
    type: 'auto_pause',
    multiplier: 1,
    all: [
      ['roi48', 'lessThan', 1],
      ['roi', 'lessThan', 1],
      ['spend', 'greaterThanInclusive', 50],
      ['hours', 'greaterThanInclusive', 48],
    ],
  },
  {
    name: 'Exceptional ROI Aggressive Scale',
    priority: 85,
    type: 'auto_scale_up',
    multiplier: 2,
    all: [
      ['roi', 'greaterThanInclusive', 4],
      ['conversions', 'greaterThanInclusive', 10],
      ['hours', 'greaterThanInclusive', 24],
    ],
  },
  {
    name: 'High ROI Scale',
    priority: 80,
    type: 'auto_scale_up',
    multiplier: 1.5,
    all: [
      ['roi', 'greaterThanInclusive', 3],
      ['conversions', 'greaterThanInclusive', 10],
      ['hours', 'greaterThanInclusive', 24],
    ],
  },
];

function engine(): Engine {
  const e = new Engine([], { allowUndefinedFacts: true });
  for (const rule of RULES) {
    e.addRule({
      name: rule.name,
      priority: rule.priority,
      conditions: { all: rule.all.map(([fact, operator, value]) => ({ fact, operator, value })) },
      event: { type: rule.type, params: { rule: rule.name, priority: rule.priority, multiplier: rule.multiplier } },
    });
  }
  return e;
}

export async function runPeerCycle(
  db: Database,
  tenantIds: readonly string[],
  now: Date,
): Promise<{ actions: number }> {
  const rules = engine();
  const asOf = now.toISOString().slice(0, 10);
  let actions = 0;
  for (const tenantId of tenantIds) {
    const campaigns = await db.session((s) =>
      s.query<{ id: string; budget: number; max_budget: number | null; hours: number }>(
        `SELECT id, budget::float8 AS budget, max_budget::float8 AS max_budget,
                extract(epoch FROM $2::timestamptz - coalesce(started_at, created_at))::float8 / 3600 AS hours
           FROM campaigns WHERE tenant_id = $1 AND status = 'active'`,
        [tenantId, now.toISOString()],
      ),
    );
    for (const campaign of campaigns) {
      const [facts] = await db.session((s) =>
        s.query<{ spend: number; revenue: number; conversions: number; spend48: number; revenue48: number }>(
          `SELECT coalesce(sum(spend), 0)::float8 AS spend, coalesce(sum(revenue), 0)::float8 AS revenue,
                  coalesce(sum(conversions), 0)::float8 AS conversions,
                  coalesce(sum(spend) FILTER (WHERE stat_date >= $3::date - 1), 0)::float8 AS spend48,
                  coalesce(sum(revenue) FILTER (WHERE stat_date >= $3::date - 1), 0)::float8 AS revenue48
             FROM campaign_channel_stats_daily WHERE tenant_id = $1 AND campaign_id = $2 AND stat_date <= $3::date`,
          [tenantId, campaign.id, asOf],
        ),
      );
      if (!facts || facts.spend === 0) continue;
      const { events } = await rules.run({
        roi: facts.revenue / facts.spend,
        roi48: facts.spend48 > 0 ? facts.revenue48 / facts.spend48 : undefined,
        spend: facts.spend,
        conversions: facts.conversions,
        hours: campaign.hours,
      });
      const event = events.sort((a, b) => Number(b.params?.priority) - Number(a.params?.priority))[0];
      if (!event) continue;
      const pause = event.type === 'auto_pause';
      const budget = pause
        ? campaign.budget
        : Math.min(campaign.budget * Number(event.params?.multiplier), campaign.max_budget ?? Number.POSITIVE_INFINITY);
      if (!pause && budget <= campaign.budget) continue;
      await db.session((s) =>
        s.query(
          'UPDATE campaigns SET status = $3, budget = $4, version = version + 1 WHERE tenant_id = $1 AND id = $2',
          [tenantId, campaign.id, pause ? 'paused' : 'active', budget],
        ),
      );
      await db.session((s) =>
        s.query(
          `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, previous_state, new_state, status, executed_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'executed', now())`,
          [
            tenantId,
            campaign.id,
            event.type,
            String(event.params?.rule),
            JSON.stringify({ status: 'active', budget: campaign.budget }),
            JSON.stringify({ status: pause ? 'paused' : 'active', budget }),
          ],
        ),
      );
      actions++;
    }
  }
  return { actions };
}
