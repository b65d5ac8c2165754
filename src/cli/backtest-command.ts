import { backtest } from '../engine/backtest.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function backtestCommand(options: { tenant: string; days: string; json?: boolean }): Promise<void> {
  if (!/^\d+$/.test(options.days) || Number(options.days) < 1 || Number(options.days) > 365) {
    throw new UsageError(`--days expects a whole number from 1 to 365 (got ${JSON.stringify(options.days)})`);
  }
  const { config } = commandConfig();
  const result = await withDatabase(config, async (db) => {
    const tenant = await db.kysely
      .selectFrom('tenants')
      .select('id')
      .where('slug', '=', options.tenant)
      .executeTakeFirst();
    if (!tenant) throw new UsageError(`no tenant with slug ${JSON.stringify(options.tenant)}`);
    return backtest(db, tenant.id, { days: Number(options.days) });
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [`Backtest of ${options.tenant} from ${result.from} to ${result.to} (nothing was changed)`];
  if (result.rules.length === 0) lines.push('  No rule would have acted.');
  for (const r of result.rules) {
    lines.push(
      `  ${r.rule_name}: paused ${r.campaigns_paused}, scaled ${r.campaigns_scaled}; ` +
        `spend saved ${r.spend_saved.toFixed(2)}, revenue forgone ${r.revenue_forgone.toFixed(2)}, ` +
        `spend added ${r.spend_added.toFixed(2)}, revenue gained ${r.revenue_gained.toFixed(2)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
