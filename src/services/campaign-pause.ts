// Pausing and resuming a campaign by hand (POST /api/campaigns/{id}/pause and …/resume): a ledger
// row naming the person, carried out as the engine's pauses are (src/ledger/by-hand.ts), so the
// Actions tab shows it and a rollback undoes it. A resume puts the campaign back in the status its
// pause found it in (a sending campaign goes on sending); a linked campaign knows only active and
// paused on its platform.
import type { Database, SqlSession } from '../db/port.ts';
import { type Actor, nameActor } from '../db/repositories/actors.ts';
import * as campaigns from '../db/repositories/campaigns.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { changeStatusByHand, isLinkedToPlatform, statusBeforePause } from '../ledger/by-hand.ts';

/** What a pause can stop: a running campaign, one waiting for its launch, one sending. */
const PAUSABLE = ['active', 'scheduled', 'sending'];

export interface ByHandOutcome {
  action_id: string;
  /** executed, or applying while the campaign's ad platform has not confirmed the change. */
  action_status: string;
  /** The campaign as it now is (its JSON as the campaigns API answers it). */
  campaign: unknown;
}

async function lockedStatus(s: SqlSession, tenantId: string, id: string): Promise<string> {
  const status = await campaigns.lockCampaignStatus(s, tenantId, id);
  if (status === undefined) throw new NotFoundError(`no campaign ${id}`);
  return status;
}

function refuse(status: string, wanted: string) {
  return new ConflictError(`the campaign is ${status}: ${wanted}`, [{ field: 'status', message: `is ${status}` }]);
}

async function byHand(
  db: Database,
  tenantId: string,
  id: string,
  actor: Actor,
  plan: (
    s: SqlSession,
    status: string,
  ) => Promise<{ to: string; type: 'manual_pause' | 'manual_resume'; verb: string }>,
): Promise<ByHandOutcome> {
  return db.transaction(async (s) => {
    const from = await lockedStatus(s, tenantId, id);
    const { to, type, verb } = await plan(s, from);
    const who = await nameActor(s, tenantId, actor);
    const recorded = await changeStatusByHand(s, tenantId, {
      campaignId: id,
      actionType: type,
      from,
      to,
      reason: `${verb} by hand by ${who.words} (was ${from}).`,
      decidedBy: who.userId,
    });
    const row = await campaigns.getCampaign(s, tenantId, id);
    return { action_id: recorded.id, action_status: recorded.status, campaign: JSON.parse(row!.json) };
  });
}

export function pauseCampaign(db: Database, tenantId: string, id: string, actor: Actor) {
  return byHand(db, tenantId, id, actor, async (_s, status) => {
    if (!PAUSABLE.includes(status)) throw refuse(status, `only ${PAUSABLE.join(', ')} campaigns can be paused`);
    return { to: 'paused', type: 'manual_pause', verb: 'Paused' };
  });
}

export function resumeCampaign(db: Database, tenantId: string, id: string, actor: Actor) {
  return byHand(db, tenantId, id, actor, async (s, status) => {
    if (status !== 'paused') throw refuse(status, 'only a paused campaign can be resumed');
    const linked = await isLinkedToPlatform(s, tenantId, id);
    const before = linked ? undefined : await statusBeforePause(s, tenantId, id);
    return { to: before && PAUSABLE.includes(before) ? before : 'active', type: 'manual_resume', verb: 'Resumed' };
  });
}
