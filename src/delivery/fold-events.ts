// Folds what recipients did into the figures the engine, the CMO loop and the weekly summary read
// (campaign_channel_stats_daily, the variants' counters) and into each message's and recipient's
// state: batch after batch of unfolded events, one statement each
// (src/db/repositories/delivery-events.ts). Campaigns whose last open recipient a reply ended
// become 'completed'. Safe to run in several workers at once: the batches skip each other's rows.
import type { Database } from '../db/port.ts';
import { foldEvents } from '../db/repositories/delivery-events.ts';
import { completeFinishedCampaigns } from '../db/repositories/delivery-messages.ts';
import { tenantScoped } from '../db/tenant-scope.ts';

/** Events per statement: large enough that 50,000 are a handful of statements. */
export const FOLD_BATCH = 10_000;

export async function foldMessageEvents(
  db: Database,
  tenantId: string,
  options: { batch?: number } = {},
): Promise<{ events: number; completed_campaigns: string[] }> {
  const scoped = tenantScoped(db, tenantId);
  const batch = options.batch ?? FOLD_BATCH;
  let events = 0;
  for (;;) {
    const folded = await scoped.transaction((s) => foldEvents(s, tenantId, batch));
    events += folded.events;
    if (folded.events < batch) break;
  }
  const completed = events > 0 ? await scoped.transaction((s) => completeFinishedCampaigns(s, tenantId)) : [];
  return { events, completed_campaigns: completed };
}
