// Backtest: replays the tenant's active rules day by day over the last N days of stats, as if the
// engine had run each evening with autopilot on, and reports per rule and in total what its pauses
// and scales would have saved, forgone, added and gained, and how many hit campaigns that later
// proved them wrong (src/domain/backtest-figures.ts, docs/backtest.md). Nothing is written.
//
// Each replayed day is judged as the live cycle judges: performance and evidence as of that day,
// the portfolio model fitted to that day's evidence (never to later days: a backtest that knew the
// future would flatter the rules). Measured on the demo tenant (40 campaigns, PGlite), fitting the
// model is ~5 ms of a replayed day; the SQL that prepares the day is the rest (docs/backtest.md).

import type { BacktestResult } from '../contract/backtest.ts';
import { guardrailSettingsSchema } from '../contract/tenant-settings.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { backtestFigures } from '../domain/backtest-figures.ts';
import { DAY_MS } from '../domain/day.ts';
import { applyGuardrails, type Proposal } from '../domain/guardrails.ts';
import { actionOutcomes, type ReplayedAction } from './backtest-outcomes.ts';
import { findCandidates } from './candidates.ts';
import { preparePerformance } from './performance.ts';
import { TenantNotFoundError } from './plan-cycle.ts';
import { preparePortfolioModel } from './portfolio-evidence.ts';

/** Days after an action whose stats judge it, at most (fewer near the end of the data). */
export const DEFAULT_HORIZON_DAYS = 14;

export interface BacktestOptions {
  days: number;
  now?: Date;
  horizonDays?: number;
  /** Replay this rule alone (the rules preview), as if it were the only one. */
  ruleId?: string;
  /** Replay the switched-off rules too, as if they were on (nothing is written: the switch is rolled back). */
  includeInactive?: boolean;
  /** Hears each replayed day's end (the command line's progress). */
  onDay?: (done: number, total: number) => void;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
// Budgets arrive as float8 (candidates.ts): a numeric(14, 2) value is the double nearest it, so
// rounding its hundredfold gives its whole cents back exactly.
const cents = (amount: number) => Math.round(amount * 100);

export function backtest(db: Database, tenantId: string, options: BacktestOptions): Promise<BacktestResult> {
  if (!options.includeInactive) return db.transaction((s) => backtestOn(s, tenantId, options));
  return db.transaction(
    async (s) => {
      await s.query('UPDATE autonomous_rules SET is_active = true WHERE tenant_id = $1 AND NOT is_active', [tenantId]);
      return backtestOn(s, tenantId, options);
    },
    { rollback: true },
  );
}

/** The backtest on a transaction the caller holds (a rule's preview replays inside its own). */
export async function backtestOn(s: SqlSession, tenantId: string, options: BacktestOptions): Promise<BacktestResult> {
  const now = options.now ?? new Date();
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const last = new Date(`${day(now)}T00:00:00Z`);
  const first = new Date(last.getTime() - (options.days - 1) * DAY_MS);
  const [tenant] = await s.query<{ currency: string; settings: { guardrails?: unknown } }>(
    'SELECT currency, settings FROM tenants WHERE id = $1',
    [tenantId],
  );
  if (!tenant) throw new TenantNotFoundError(`no tenant ${tenantId}`);
  const settings = guardrailSettingsSchema.parse(tenant.settings.guardrails ?? {});
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
    const model = await preparePortfolioModel(s, tenantId, asOf, evening, settings.attribution_lag_days);
    // Only budget and status rules are replayed: what a post or a notification would have
    // changed cannot be read from the stats.
    const candidates = (await findCandidates(s, tenantId, evening)).filter(
      (c) =>
        (c.ruleType === 'pause' || c.ruleType === 'scale') &&
        (options.ruleId === undefined || c.ruleId === options.ruleId),
    );
    // The stats were recorded on the campaign's own budget; the replay's scales raise it.
    const recorded = new Map(candidates.map((c) => [c.campaignId, c.budget]));
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
        model,
        now: evening,
        budgetAddedToday: 0,
        currency: tenant.currency,
        socialPlatforms: [],
      },
    );
    // What the engine would have done: a suggestion waits for a person, so it is not replayed.
    for (const p of outcomes.filter((o): o is Proposal => o.kind === 'proposal' && o.mode === 'execute')) {
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
        budgetAddedCents: p.actionType === 'auto_pause' ? 0 : cents(p.newState.budget) - cents(p.previousState.budget),
        recordedBudgetCents: cents(recorded.get(id) ?? p.previousState.budget),
      });
    }
    options.onDay?.((t - first.getTime()) / DAY_MS + 1, options.days);
  }
  const outcomes = await actionOutcomes(s, tenantId, replayed, day(last), horizonDays);
  return {
    tenant_id: tenantId,
    from: day(first),
    to: day(last),
    horizon_days: horizonDays,
    ...backtestFigures(outcomes),
  };
}
