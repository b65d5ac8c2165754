// `nightshift locks`: whose cycle runs now for each tenant, and since when; with --cancel, ends a
// stuck one (on a server its connection is terminated, so its statement and transaction end and
// its lock is released at once). The embedded database is open in one process only: there,
// `nightshift serve` itself holds every lock, and DELETE /api/cycles/running cancels.

import { describeHolder } from '../db/work-locks.ts';
import { cycleLockKey } from '../engine/cycle.ts';
import { listTenants, resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function locksCommand(options: { tenant?: string; cancel?: boolean; json?: boolean }): Promise<void> {
  if (options.cancel && options.tenant === undefined) throw new UsageError('--cancel needs --tenant <slug|id>');
  const { config } = commandConfig();
  const listed = await withDatabase(config, async (db) => {
    const tenants =
      options.tenant === undefined ? await listTenants(db, 'slug') : [await resolveTenant(db, options.tenant)];
    const found = [];
    for (const tenant of tenants) {
      const holder = await db.locks.holder(cycleLockKey(tenant.id));
      if (!holder && options.tenant === undefined) continue;
      const cancelled = options.cancel && holder ? await db.locks.cancel(cycleLockKey(tenant.id)) : false;
      found.push({ tenant: tenant.slug, lock: 'cycle', holder, cancelled });
    }
    return found;
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return;
  }
  if (listed.length === 0) process.stdout.write('No cycle is running.\n');
  for (const row of listed) {
    const state = row.holder ? `held by ${describeHolder(row.holder)}` : 'not running';
    process.stdout.write(`${row.tenant}: cycle ${state}${row.cancelled ? ' — cancelled' : ''}\n`);
  }
}
