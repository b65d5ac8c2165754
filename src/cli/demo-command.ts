import { loadDemo } from '../demo/load-demo.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './options.ts';
import { plural } from './plural.ts';
import { progressReporter } from './progress.ts';

export interface DemoCommandOptions {
  tenants: string;
  campaigns: string;
  days: string;
  seed: string;
  contacts: string;
  prefix: string;
  lastDay?: string;
  json?: boolean;
}

export async function demoCommand(raw: DemoCommandOptions): Promise<void> {
  const options = {
    tenants: positiveInt('tenants', raw.tenants, 10_000),
    campaigns: positiveInt('campaigns', raw.campaigns, 1_000_000),
    days: positiveInt('days', raw.days, 3650),
    seed: positiveInt('seed', raw.seed, 2 ** 32 - 1),
    contacts: positiveInt('contacts', raw.contacts, 10_000_000),
    prefix: raw.prefix,
    lastDay: raw.lastDay ?? new Date().toISOString().slice(0, 10),
  };
  if (!/^[a-z0-9][a-z0-9-]{0,50}$/.test(options.prefix)) {
    throw new UsageError('--prefix expects lowercase letters, digits and dashes (a tenant slug)');
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.lastDay) || Number.isNaN(Date.parse(options.lastDay))) {
    throw new UsageError(`--last-day expects a date as YYYY-MM-DD (got ${JSON.stringify(options.lastDay)})`);
  }
  const { config } = commandConfig();
  const total = options.tenants * options.campaigns;
  // None under --json, whose caller reads the outcome alone (as every command's progress).
  const progress = raw.json ? undefined : progressReporter(process.stderr, { label: 'demo: ', unit: 'campaign' });
  const started = performance.now();
  const result = await withDatabase(config, (db) =>
    loadDemo(db, options, (p) => progress?.update(p.campaignsDone, total)),
  ).finally(() => progress?.end());
  const seconds = (performance.now() - started) / 1000;
  if (raw.json) {
    process.stdout.write(`${JSON.stringify({ ...result, seconds }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `created ${plural(result.created.length, 'tenant')}, skipped ${result.skipped.length} existing; ` +
      `${plural(result.rows.campaigns, 'campaign')}, ${plural(result.rows.stats, 'stat row')}, ` +
      `${plural(result.rows.contacts, 'contact')}, ${plural(result.rows.variants, 'variant')} in ${seconds.toFixed(1)} s\n`,
  );
}
