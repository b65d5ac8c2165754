// How far each ad account's stats sync has got (ad_accounts' sync columns, migration 0031): the
// accounts a scheduled sync goes through, the backfill's progress, the last success or failure.
// The rows themselves go through stats.ts upsertStats, the one ingestion path.
import { sql } from 'kysely';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** What a sync needs to know of the account before it reads the platform. */
export async function syncStateOf(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('ad_accounts')
      .select([
        'id',
        'platform',
        'status',
        'currency',
        'time_zone',
        'settings',
        'backfill_from',
        'backfilled_through',
        'backfill_done_at',
      ])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id),
  );
  return row;
}

/** The tenant's accounts a scheduled sync reads: connected ones (not those waiting for a reconnect), oldest first. */
export async function connectedAccountIds(s: SqlSession, tenantId: string): Promise<string[]> {
  const found = await rows(
    s,
    typed
      .selectFrom('ad_accounts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'connected')
      .orderBy('created_at')
      .orderBy('id'),
  );
  return found.map((row) => row.id);
}

/** Starts the backfill at `from` unless it has started already; answers the backfill's first day. */
export async function startBackfill(s: SqlSession, tenantId: string, id: string, from: string): Promise<string> {
  await rows(
    s,
    typed
      .updateTable('ad_accounts')
      .set({ backfill_from: from })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('backfill_from', 'is', null)
      .returning('id'),
  );
  const [row] = await rows(
    s,
    typed.selectFrom('ad_accounts').select('backfill_from').where('tenant_id', '=', tenantId).where('id', '=', id),
  );
  return row!.backfill_from!;
}

/** The backfill has stored every day through `through` (it never goes back). */
export async function recordBackfillProgress(s: SqlSession, tenantId: string, id: string, through: string) {
  await rows(
    s,
    typed
      .updateTable('ad_accounts')
      .set({ backfilled_through: through })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('backfilled_through', 'is', null), eb('backfilled_through', '<', through)]))
      .returning('id'),
  );
}

/** A sync read the platform to the end: the error is cleared, and the backfill is done when it is. */
export async function recordSyncSuccess(s: SqlSession, tenantId: string, id: string, backfillDone: boolean) {
  await rows(
    s,
    typed
      .updateTable('ad_accounts')
      .set((eb) => ({
        last_synced_at: sql<Date>`now()`,
        last_sync_error: null,
        ...(backfillDone ? { backfill_done_at: eb.fn.coalesce('backfill_done_at', sql<Date>`now()`) } : {}),
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
  );
}

/** A sync failed (a limit, an outage, a refusal): the platform's words, kept until a sync succeeds. */
export async function recordSyncError(s: SqlSession, tenantId: string, id: string, message: string) {
  await rows(
    s,
    typed
      .updateTable('ad_accounts')
      .set({ last_sync_error: message.slice(0, 2000) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
  );
}
