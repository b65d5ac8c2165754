// The embedded product starts with something to look at: on an empty database, one demo tenant
// (slug "demo") with a month of stats, owned by the local admin, the offline CMO agents' plan,
// funnel and recommendations for it, and the weekly summaries of the weeks its stats cover.
import { createBuiltinOptimizer } from '../agents/builtin-optimizer.ts';
import { runCmoLoop } from '../cmo/loop.ts';
import type { Database } from '../db/port.ts';
import { rows, typed } from '../db/typed.ts';
import { DAY_MS } from '../domain/day.ts';
import type { Logger } from '../log.ts';
import { runDemoAgents } from './demo-agent-runs.ts';
import { ensureLocalAdmin, loadDemo } from './load-demo.ts';

export const EMBEDDED_DEMO = { tenants: 1, campaigns: 40, days: 30, seed: 42, contacts: 250, prefix: 'demo' };

export async function ensureEmbeddedDemo(db: Database, log: Logger): Promise<void> {
  const [tenants] = await db.session((s) =>
    rows(
      s,
      typed.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')),
    ),
  );
  if (Number(tenants?.n ?? 0) > 0) return;
  const lastDay = new Date().toISOString().slice(0, 10);
  const result = await loadDemo(db, { ...EMBEDDED_DEMO, lastDay });
  const ownerId = await ensureLocalAdmin(db);
  for (const tenant of result.created) {
    await runDemoAgents(db, tenant.tenantId, ownerId);
    await summarizeDemoWeeks(db, tenant.tenantId);
  }
  log.info({ tenants: result.created.map((t) => t.slug), rows: result.rows }, 'demo data loaded');
}

/** The summaries the Monday schedule would have written over the demo's month (oldest first). */
async function summarizeDemoWeeks(db: Database, tenantId: string): Promise<void> {
  const optimizer = createBuiltinOptimizer();
  for (let weeksAgo = 3; weeksAgo >= 0; weeksAgo--) {
    const now = new Date(Date.now() - weeksAgo * 7 * DAY_MS);
    await runCmoLoop(db, tenantId, { mode: 'summarize', optimizer, triggeredBy: 'cli', now });
  }
}
