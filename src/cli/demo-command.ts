import { SingleBar } from 'cli-progress';
import { loadDemo } from '../demo/load-demo.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './options.ts';

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
  // A bar only where someone watches and the run is long enough to wait for.
  const bar = process.stderr.isTTY && !raw.json && total >= 2000 ? new SingleBar({ etaBuffer: 50 }) : undefined;
  bar?.start(total, 0);
  const started = performance.now();
  const result = await withDatabase(config, (db) => loadDemo(db, options, (p) => bar?.update(p.campaignsDone)));
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;
  if (raw.json) {
    process.stdout.write(`${JSON.stringify({ ...result, seconds }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `created ${result.created.length} tenant(s), skipped ${result.skipped.length} existing; ` +
      `${result.rows.campaigns} campaigns, ${result.rows.stats} stat rows, ${result.rows.contacts} contacts, ` +
      `${result.rows.variants} variants in ${seconds.toFixed(1)} s\n`,
  );
}
