// Backtest: replays the tenant's active rules day by day over the last N days of stats, as if the
// engine had run each evening with autopilot on, and reports per rule what it would have paused
// and scaled and what that would have changed. Nothing is written.
//
// Estimates, stated plainly: a pause on day D saves the spend the campaign actually had after D
// and forgoes the revenue it actually earned after D; a scale by k on day D adds (k - 1) times
// the spend and revenue after D (returns assumed linear in budget).
import type { Database, SqlSession } from '../db/port.ts';
import { DAY_MS } from '../domain/day.ts';
import { applyGuardrails, guardrailSettingsSchema, type Proposal } from '../domain/guardrails.ts';
import { findCandidates, tenantOrderValue } from './candidates.ts';
import { preparePerformance } from './performance.ts';
import { TenantNotFoundError } from './plan-cycle.ts';
import { preparePortfolioModel } from './portfolio-evidence.ts';

export interface RuleBacktest {
  rule_name: string;
  campaigns_paused: number;
  campaigns_scaled: number;
  spend_saved: number;
  revenue_forgone: number;
  spend_added: number;
  revenue_gained: number;
}

export interface BacktestResult {
  tenant_id: string;
  from: string;
  to: string;
  rules: RuleBacktest[];
}

interface ReplayedAction {
  ruleName: string;
  kind: 'pause' | 'scale';
  campaignId: string;
  day: string;
  ratio: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function backtest(
  db: Database,
  tenantId: string,
  options: { days: number; now?: Date },
): Promise<BacktestResult> {
  const now = options.now ?? new Date();
  const last = new Date(`${day(now)}T00:00:00Z`);
  const first = new Date(last.getTime() - (options.days - 1) * DAY_MS);
  return db.transaction(async (s) => {
    const [tenant] = await s.query<{ currency: string; settings: { guardrails?: unknown } }>(
      'SELECT currency, settings FROM tenants WHERE id = $1',
      [tenantId],
    );
    if (!tenant) throw new TenantNotFoundError(`no tenant ${tenantId}`);
    const settings = guardrailSettingsSchema.parse(tenant.settings.guardrails ?? {});
    const priorOrderValue = await tenantOrderValue(s, tenantId);
    const paused = new Set<string>();
    const budgets = new Map<string, number>();
    const lastChange = new Map<string, Date>();
    const replayed: ReplayedAction[] = [];
    for (let t = first.getTime(); t <= last.getTime(); t += DAY_MS) {
      const asOf = day(new Date(t));
      const evening = new Date(t + DAY_MS - 1);
      await preparePerformance(s, tenantId, asOf, evening, {
        statuses: ['active', 'paused', 'completed'],
        exclude: [...paused],
      });
      // Only budget and status rules are replayed: what a post or a notification would have
      // changed cannot be read from the stats.
      const model = await preparePortfolioModel(s, tenantId, asOf, evening, settings.attribution_lag_days);
      const candidates = (await findCandidates(s, tenantId, evening)).filter(
        (c) => c.ruleType === 'pause' || c.ruleType === 'scale',
      );
      const outcomes = applyGuardrails(
        candidates.map((c) => ({
          ...c,
          autopilot: true,
          budget: budgets.get(c.campaignId) ?? c.budget,
          lastBudgetChangeAt: lastChange.get(c.campaignId) ?? null,
          pendingSuggestionId: null,
        })),
        {
          settings,
          autonomousEnabled: true,
          priorOrderValue,
          model,
          now: evening,
          budgetAddedToday: 0,
          currency: tenant.currency,
          socialPlatforms: [],
        },
      );
      for (const p of outcomes.filter((o): o is Proposal => o.kind === 'proposal')) {
        const id = p.candidate.campaignId;
        if (p.actionType === 'auto_pause') paused.add(id);
        else {
          budgets.set(id, p.newState.budget);
          lastChange.set(id, evening);
        }
        replayed.push({
          ruleName: p.candidate.ruleName,
          kind: p.actionType === 'auto_pause' ? 'pause' : 'scale',
          campaignId: id,
          day: asOf,
          ratio: p.newState.budget / p.previousState.budget,
        });
      }
    }
    return {
      tenant_id: tenantId,
      from: day(first),
      to: day(last),
      rules: await summarise(s, tenantId, replayed, day(last)),
    };
  });
}

/** What happened after each replayed action, in one query, added up per rule. */
async function summarise(
  s: SqlSession,
  tenantId: string,
  actions: ReplayedAction[],
  to: string,
): Promise<RuleBacktest[]> {
  const after = await s.query<{ spend: number; revenue: number }>(
    `SELECT coalesce(sum(d.spend), 0)::float8 AS spend, coalesce(sum(d.revenue), 0)::float8 AS revenue
       FROM unnest($2::uuid[], $3::date[]) WITH ORDINALITY AS a (campaign_id, day, n)
       LEFT JOIN campaign_daily_totals d
              ON d.tenant_id = $1 AND d.campaign_id = a.campaign_id AND d.stat_date > a.day AND d.stat_date <= $4::date
      GROUP BY a.n ORDER BY a.n`,
    [tenantId, actions.map((a) => a.campaignId), actions.map((a) => a.day), to],
  );
  const byRule = new Map<string, RuleBacktest>();
  actions.forEach((a, i) => {
    const r = byRule.get(a.ruleName) ?? {
      rule_name: a.ruleName,
      campaigns_paused: 0,
      campaigns_scaled: 0,
      spend_saved: 0,
      revenue_forgone: 0,
      spend_added: 0,
      revenue_gained: 0,
    };
    const { spend, revenue } = after[i]!;
    if (a.kind === 'pause') {
      r.campaigns_paused++;
      r.spend_saved += spend;
      r.revenue_forgone += revenue;
    } else {
      r.campaigns_scaled++;
      r.spend_added += spend * (a.ratio - 1);
      r.revenue_gained += revenue * (a.ratio - 1);
    }
    byRule.set(a.ruleName, r);
  });
  const round = (x: number) => Math.round(x * 100) / 100;
  return [...byRule.values()].map((r) => ({
    ...r,
    spend_saved: round(r.spend_saved),
    revenue_forgone: round(r.revenue_forgone),
    spend_added: round(r.spend_added),
    revenue_gained: round(r.revenue_gained),
  }));
}
