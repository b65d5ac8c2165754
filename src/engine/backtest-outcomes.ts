// What each replayed action's campaign really recorded after the action day (docs/backtest.md):
// its spend and revenue within the horizon, in cents, and on how many of those days it spent. One
// statement for all actions. The sums stay numeric until they are whole cents (int8), so no
// binary floating point touches the money before src/domain/backtest-figures.ts adds it up.
import type { SqlSession } from '../db/port.ts';
import type { ActionOutcome } from '../domain/backtest-figures.ts';

export interface ReplayedAction {
  ruleName: string;
  kind: 'pause' | 'scale';
  campaignId: string;
  /** The replayed day the action was taken on (its evening), 'YYYY-MM-DD'. */
  day: string;
  budgetAddedCents: number;
  recordedBudgetCents: number;
}

// $1 tenant, $2 campaigns, $3 action days, $4 the last day of the data, $5 the horizon in days.
const LATER_SQL = `
  SELECT (coalesce(sum(d.spend), 0) * 100)::int8 AS spend_cents,
         (coalesce(sum(d.revenue), 0) * 100)::int8 AS revenue_cents,
         count(*) FILTER (WHERE d.spend > 0)::int AS days
    FROM unnest($2::uuid[], $3::date[]) WITH ORDINALITY AS a (campaign_id, day, n)
    LEFT JOIN campaign_daily_totals d
           ON d.tenant_id = $1 AND d.campaign_id = a.campaign_id
          AND d.stat_date > a.day AND d.stat_date <= least(a.day + $5::int, $4::date)
   GROUP BY a.n ORDER BY a.n`;

export async function actionOutcomes(
  s: SqlSession,
  tenantId: string,
  actions: readonly ReplayedAction[],
  lastDay: string,
  horizonDays: number,
): Promise<ActionOutcome[]> {
  if (actions.length === 0) return [];
  const later = await s.query<{ spend_cents: number; revenue_cents: number; days: number }>(LATER_SQL, [
    tenantId,
    actions.map((a) => a.campaignId),
    actions.map((a) => a.day),
    lastDay,
    horizonDays,
  ]);
  return actions.map((a, i) => ({
    ruleName: a.ruleName,
    kind: a.kind,
    budgetAddedCents: a.budgetAddedCents,
    recordedBudgetCents: a.recordedBudgetCents,
    laterSpendCents: later[i]!.spend_cents,
    laterRevenueCents: later[i]!.revenue_cents,
    laterDays: later[i]!.days,
  }));
}
