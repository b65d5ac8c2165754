// `nightshift backtest`: what the tenant's rules would have done over the last days, and the money
// of it (src/engine/backtest.ts, docs/backtest.md), as a table per rule with a total, or as JSON.
// A rule whose actions would have lost money is named below the table.
import type { BacktestResult } from '../contract/backtest.ts';
import { backtest, DEFAULT_HORIZON_DAYS } from '../engine/backtest.ts';
import { resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { positiveInt } from './options.ts';
import { plural } from './plural.ts';
import { progressReporter } from './progress.ts';
import { table } from './table.ts';

export async function backtestCommand(options: {
  tenant: string;
  days: string;
  horizon?: string;
  json?: boolean;
}): Promise<void> {
  const days = positiveInt('days', options.days, 365);
  const horizonDays = positiveInt('horizon', options.horizon ?? String(DEFAULT_HORIZON_DAYS), 90);
  const { config } = commandConfig();
  // None under --json, whose caller reads the outcome alone (as every command's progress).
  const progress = options.json ? undefined : progressReporter(process.stderr, { label: 'backtest: ', unit: 'day' });
  const result = await withDatabase(config, async (db) => {
    const tenant = await resolveTenant(db, options.tenant);
    return { tenant, result: await backtest(db, tenant.id, { days, horizonDays, onDay: progress?.update }) };
  }).finally(() => progress?.end());
  process.stdout.write(
    options.json ? `${JSON.stringify(result.result, null, 2)}\n` : `${report(result.tenant.slug, result.result)}\n`,
  );
}

const HEADER = [
  'rule',
  'paused',
  'scaled',
  'spend saved',
  'revenue forgone',
  'spend added',
  'revenue gained',
  'net',
  'paused good',
  'scaled bad',
  'undetermined',
];
// Every column but the rule holds a number.
const NUMBERS = new Set(HEADER.map((_, i) => i).slice(1));

function report(slug: string, result: BacktestResult): string {
  const lines = [
    `Backtest of ${slug} from ${result.from} to ${result.to}, each action judged on the ${plural(result.horizon_days, 'day')} after it at most (nothing was changed)`,
  ];
  if (result.rules.length === 0) return [...lines, '  No rule would have acted.'].join('\n');
  const amount = (x: number) => x.toFixed(2);
  const rows = [...result.rules, { rule_name: 'Total', ...result.total }].map((r) => [
    r.rule_name,
    String(r.campaigns_paused),
    String(r.campaigns_scaled),
    amount(r.spend_saved),
    amount(r.revenue_forgone),
    amount(r.spend_added),
    amount(r.revenue_gained),
    amount(r.net),
    String(r.paused_proved_good),
    String(r.scaled_proved_bad),
    String(r.undetermined),
  ]);
  lines.push(table(HEADER, rows, NUMBERS));
  for (const r of result.rules.filter((rule) => rule.net_negative)) {
    lines.push(`Warning: "${r.rule_name}" would have lost ${amount(-r.net)} (net negative): review its thresholds.`);
  }
  lines.push(
    'net = spend saved - revenue forgone + revenue gained - spend added. paused good: pauses of campaigns whose ROI',
    'afterwards was >= 1; scaled bad: scales of campaigns whose ROI afterwards was < 1; undetermined: fewer than 3',
    'days of spend afterwards (docs/backtest.md).',
  );
  return lines.join('\n');
}
