// A person's pause or resume of a campaign, by hand: a ledger row like the engine's (manual_pause,
// manual_resume), decided by that person, carried out by the same kind (campaign-state.ts), so it
// shows among the actions and is rolled back like any of them. A linked campaign's change goes to
// its ad platform through the outbox exactly as the engine's does: its row waits as 'applying' and
// the campaign moves only once the platform confirms.
import type { SqlSession } from '../db/port.ts';
import { ActionConflictError } from './errors.ts';
import { executeActions } from './execute.ts';
import { changesInFlight, linksOf } from './kinds/platform-change.ts';
import type { RecordedAction } from './record.ts';

export interface StatusByHand {
  campaignId: string;
  actionType: 'manual_pause' | 'manual_resume';
  from: string;
  to: string;
  reason: string;
  /** The person, when the database knows them (an API key names nobody here: its name is in the reason). */
  decidedBy: string | null;
}

/** Whether the campaign is linked to an ad platform, which then carries its status changes out. */
export async function isLinkedToPlatform(s: SqlSession, tenantId: string, campaignId: string): Promise<boolean> {
  return (await linksOf(s, tenantId, [campaignId])).size > 0;
}

/**
 * The status a paused campaign had before its last pause (the engine's or a person's) that is
 * still in force; undefined when the ledger holds none (paused by an edit, or before the ledger).
 */
export async function statusBeforePause(s: SqlSession, tenantId: string, campaignId: string) {
  const [row] = await s.query<{ status: string | null }>(
    `SELECT previous_state->>'status' AS status FROM autonomous_actions
      WHERE tenant_id = $1 AND campaign_id = $2 AND action_type IN ('auto_pause', 'manual_pause')
        AND status = 'executed' AND new_state->>'status' = 'paused'
      ORDER BY executed_at DESC LIMIT 1`,
    [tenantId, campaignId],
  );
  return row?.status ?? undefined;
}

/** Records and carries out the change; refuses when the campaign moved or a platform change is on its way. */
export async function changeStatusByHand(
  s: SqlSession,
  tenantId: string,
  change: StatusByHand,
): Promise<RecordedAction> {
  if ((await changesInFlight(s, tenantId, [change.campaignId])).size > 0) {
    throw new ActionConflictError(
      'a change of this campaign is still on its way to its ad platform: try again once it is confirmed',
      { platform_change: 'none in flight' },
      { platform_change: 'in flight' },
    );
  }
  const { recorded, notMade } = await executeActions(s, tenantId, { decidedBy: change.decidedBy, at: new Date() }, [
    {
      campaignId: change.campaignId,
      actionType: change.actionType,
      reason: change.reason,
      previousState: { status: change.from },
      newState: { status: change.to },
      status: 'executed',
    },
  ]);
  if (notMade.length > 0 || !recorded[0]) {
    throw new ActionConflictError(
      `the campaign is no longer ${change.from}: it changed since`,
      { status: change.from },
      { status: 'changed' },
    );
  }
  return recorded[0];
}
