// The loop over several tenants (the cron endpoints and `nightshift loop`): one run per tenant,
// one after the other; a tenant whose run fails outright is reported and the next one runs.
import type { Database } from '../db/port.ts';
import { type LoopOptions, type LoopReport, runCmoLoop } from './loop.ts';
import { messageOf } from './optimize-campaigns.ts';

export interface TenantsLoopReport {
  mode: LoopOptions['mode'];
  tenants_processed: number;
  results: LoopReport[];
  /** Tenants whose run could not finish at all (their agent_runs row says why). */
  errors: { tenant_id: string; error: string }[];
}

/** `onTenantDone` hears each tenant's end, run or failed (the command line's progress). */
export async function runCmoLoopForTenants(
  db: Database,
  tenantIds: readonly string[],
  options: LoopOptions,
  onTenantDone?: (done: number, total: number) => void,
): Promise<TenantsLoopReport> {
  const report: TenantsLoopReport = { mode: options.mode, tenants_processed: 0, results: [], errors: [] };
  for (const tenantId of tenantIds) {
    try {
      report.results.push(await runCmoLoop(db, tenantId, options));
    } catch (error) {
      report.errors.push({ tenant_id: tenantId, error: messageOf(error) });
    }
    report.tenants_processed++;
    onTenantDone?.(report.tenants_processed, tenantIds.length);
  }
  return report;
}

/** Every tenant of the installation, oldest first (system work: not tenant-scoped). */
export async function allTenantIds(db: Database): Promise<string[]> {
  const rows = await db.session((s) => s.query<{ id: string }>('SELECT id FROM tenants ORDER BY created_at, id'));
  return rows.map((row) => row.id);
}
