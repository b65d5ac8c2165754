// What a backtest answers (POST /api/cycles/backtest, and inside a rule preview): the money each
// rule's replayed pauses and scales would have made, computed by src/domain/backtest-figures.ts.
import { z } from 'zod';
import { isoDate, uuid } from './fields.ts';

const amount = (what: string) => z.number().describe(`${what}, to the cent in the tenant’s currency`);
const backtestFigures = {
  campaigns_paused: z.number().int().describe('Pauses replayed (a paused campaign is not judged again)'),
  campaigns_scaled: z.number().int().describe('Budget increases replayed'),
  spend_saved: amount('Spend the paused campaigns went on to record within the horizon'),
  revenue_forgone: amount('Revenue the paused campaigns went on to earn within the horizon'),
  spend_added: amount('The scales’ added share of the spend the campaigns went on to record'),
  revenue_gained: amount('The scales’ added share of the revenue they went on to earn'),
  net: amount('spend_saved - revenue_forgone + revenue_gained - spend_added'),
  net_negative: z.boolean().describe('The actions would have lost money: net < 0'),
  paused_proved_good: z.number().int().describe('Pauses of campaigns whose ROI over the horizon after was >= 1'),
  scaled_proved_bad: z.number().int().describe('Scales of campaigns whose ROI over the horizon after was < 1'),
  undetermined: z.number().int().describe('Actions with fewer than 3 days of later spend: not judged'),
};

const totalFigures = z.object(backtestFigures).describe('All rules together');
const ruleFigures = z.object({ rule_name: z.string(), ...backtestFigures });

export const backtestResult = z
  .object({
    tenant_id: uuid,
    from: isoDate,
    to: isoDate,
    horizon_days: z.number().int().describe('Days after an action whose stats judge it, at most (docs/backtest.md)'),
    rules: z.array(ruleFigures).describe('Each rule that acted'),
    total: totalFigures,
  })
  .describe(
    'What the rules would have done, replayed day by day with autopilot on, judged on what the campaigns recorded afterwards',
  );

/** Money in the tenant's currency (two decimals, from exact cents); counts of actions. */
export type BacktestFigures = z.infer<typeof totalFigures>;
export type RuleFigures = z.infer<typeof ruleFigures>;
export type BacktestResult = z.infer<typeof backtestResult>;
