// The embedded product starts with something to look at: on an empty database, one demo tenant
// (slug "demo") with a month of stats, owned by the local admin, and the offline CMO agents' plan,
// funnel and recommendations for it.
import type { Database } from '../db/port.ts';
import type { Logger } from '../log.ts';
import { runDemoAgents } from './demo-agent-runs.ts';
import { ensureLocalAdmin, loadDemo } from './load-demo.ts';

export const EMBEDDED_DEMO = { tenants: 1, campaigns: 40, days: 30, seed: 42, contacts: 250, prefix: 'demo' };

export async function ensureEmbeddedDemo(db: Database, log: Logger): Promise<void> {
  const tenants = await db.kysely
    .selectFrom('tenants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if (Number(tenants?.n ?? 0) > 0) return;
  const lastDay = new Date().toISOString().slice(0, 10);
  const result = await loadDemo(db, { ...EMBEDDED_DEMO, lastDay });
  const ownerId = await ensureLocalAdmin(db);
  for (const tenant of result.created) await runDemoAgents(db, tenant.tenantId, ownerId);
  log.info({ tenants: result.created.map((t) => t.slug), rows: result.rows }, 'demo data loaded');
}
