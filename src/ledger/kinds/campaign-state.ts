// Budget and status: the cycle's pauses, scale-ups and revivals (auto_pause, auto_scale_up,
// auto_resume). The row's previous_state and new_state hold the campaign's status and budget
// (and snapshots such as `roi`, which are not state); approving sets new_state, undoing restores
// previous_state, each only if the campaign holds what the other side says.
// A campaign linked to an ad platform is checked the same way but not changed here: the change
// goes out through the outbox (platform-change.ts), its row waits as 'applying', and the campaign
// moves when the platform confirms.
import type { SqlSession } from '../../db/port.ts';
import { money } from '../../domain/decision-text.ts';
import type { ActionKind, BatchApplied, BatchChange, LedgerAction } from '../action-kind.ts';
import { ActionConflictError } from '../errors.ts';
import { linksOf, queuePlatformChanges, requireNothingInFlight } from './platform-change.ts';

/** The campaign fields an action changes; a snapshot such as `roi` is not state. */
const STATE_FIELDS = ['status', 'budget'] as const;
type StateField = (typeof STATE_FIELDS)[number];
export type CampaignState = Partial<Record<StateField, string | number>>;

function sameValue(a: string | number | undefined, b: string | number | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return a === b;
}

async function lockCampaignState(s: SqlSession, tenantId: string, campaignId: string): Promise<CampaignState> {
  const [row] = await s.query<{ status: string; budget: string }>(
    'SELECT status, budget FROM campaigns WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, campaignId],
  );
  return { status: row?.status, budget: row ? Number(row.budget) : undefined };
}

const differingFields = (expected: CampaignState, actual: CampaignState, fields: readonly StateField[]) =>
  fields.filter((field) => field in expected && !sameValue(expected[field], actual[field]));

/** Locks the campaign and checks it holds `expected`; returns its current state. */
export async function requireCampaignState(
  s: SqlSession,
  tenantId: string,
  campaignId: string,
  expected: CampaignState,
  what: string,
  fields: readonly StateField[] = STATE_FIELDS,
) {
  const actual = await lockCampaignState(s, tenantId, campaignId);
  const relevant = fields.filter((field) => field in expected);
  const differs = differingFields(expected, actual, relevant);
  if (differs.length > 0) {
    throw new ActionConflictError(
      `${what}: the campaign changed since (${differs.map((f) => `${f} is ${actual[f]}, expected ${expected[f]}`).join('; ')})`,
      Object.fromEntries(relevant.map((f) => [f, expected[f]])),
      Object.fromEntries(relevant.map((f) => [f, actual[f]])),
    );
  }
  return actual;
}

async function setCampaignState(s: SqlSession, tenantId: string, campaignId: string, state: CampaignState) {
  await s.query(
    `UPDATE campaigns SET status = coalesce($3, status), budget = coalesce($4::numeric, budget),
            version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, campaignId, state.status ?? null, state.budget ?? null],
  );
}

/**
 * The cycle's decisions, one UPDATE: each campaign moves to its new status and budget only if it
 * holds the previous ones (the budget compared as float8, as the cycle read it), and its version
 * moves on so that a concurrent reader sees it changed.
 */
async function updateCampaignStates(s: SqlSession, tenantId: string, changes: readonly BatchChange[], at: Date) {
  if (changes.length === 0) return new Set<string>();
  const previous = (c: BatchChange) => c.previousState as CampaignState;
  const next = (c: BatchChange) => c.newState as CampaignState;
  const made = await s.query<{ action_id: string }>(
    `UPDATE campaigns c SET status = coalesce(d.status, c.status), budget = coalesce(d.budget, c.budget),
            version = c.version + 1, updated_at = $8
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::float8[], $6::text[], $7::numeric[])
            AS d (action_id, id, previous_status, previous_budget, status, budget)
      WHERE c.tenant_id = $1 AND c.id = d.id
        AND (d.previous_status IS NULL OR c.status = d.previous_status)
        AND (d.previous_budget IS NULL OR c.budget::float8 = d.previous_budget)
     RETURNING d.action_id`,
    [
      tenantId,
      changes.map((c) => c.actionId),
      changes.map((c) => c.campaignId),
      changes.map((c) => previous(c).status ?? null),
      changes.map((c) => previous(c).budget ?? null),
      changes.map((c) => next(c).status ?? null),
      changes.map((c) => next(c).budget ?? null),
      at.toISOString(),
    ],
  );
  return new Set(made.map((row) => row.action_id));
}

/**
 * Linked campaigns: each decision is accepted (handed on to the outbox) only where the campaign,
 * locked, holds the previous state and has no change of its still on its way to the platform.
 */
async function acceptPlatformChanges(s: SqlSession, tenantId: string, changes: readonly BatchChange[]) {
  if (changes.length === 0) return new Set<string>();
  const previous = (c: BatchChange) => c.previousState as CampaignState;
  const accepted = await s.query<{ action_id: string }>(
    `SELECT d.action_id
       FROM campaigns c
       JOIN unnest($2::uuid[], $3::uuid[], $4::text[], $5::float8[]) AS d (action_id, id, previous_status, previous_budget)
         ON c.id = d.id
      WHERE c.tenant_id = $1
        AND (d.previous_status IS NULL OR c.status = d.previous_status)
        AND (d.previous_budget IS NULL OR c.budget::float8 = d.previous_budget)
        AND NOT EXISTS (SELECT 1 FROM platform_changes p
                         WHERE p.tenant_id = $1 AND p.campaign_id = c.id AND p.status IN ('queued', 'sending'))
      ORDER BY c.id
        FOR UPDATE OF c`,
    [
      tenantId,
      changes.map((c) => c.actionId),
      changes.map((c) => c.campaignId),
      changes.map((c) => previous(c).status ?? null),
      changes.map((c) => previous(c).budget ?? null),
    ],
  );
  return new Set(accepted.map((row) => row.action_id));
}

async function applyManyCampaignStates(
  s: SqlSession,
  tenantId: string,
  changes: readonly BatchChange[],
  at: Date,
): Promise<BatchApplied> {
  const links = await linksOf(
    s,
    tenantId,
    changes.map((c) => c.campaignId),
  );
  const local = changes.filter((c) => !links.has(c.campaignId));
  const linked = changes.filter((c) => links.has(c.campaignId));
  return {
    made: await updateCampaignStates(s, tenantId, local, at),
    awaiting: await acceptPlatformChanges(s, tenantId, linked),
  };
}

async function isLinked(s: SqlSession, tenantId: string, campaignId: string) {
  return (await linksOf(s, tenantId, [campaignId])).size > 0;
}

/**
 * The state a rollback restored, in words for its ledger row ("status active and budget $200.00"):
 * the fields the action had changed, the budget in the campaign's currency.
 */
async function restoredWords(s: SqlSession, tenantId: string, action: LedgerAction): Promise<string> {
  const [row] = await s.query<{ currency: string }>('SELECT currency FROM campaigns WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    action.campaign_id,
  ]);
  const state = previousOf(action);
  const changed = differingFields(state, newOf(action), STATE_FIELDS);
  const fields = (changed.length > 0 ? changed : STATE_FIELDS).filter((field) => state[field] !== undefined);
  const words = fields.map((field) =>
    field === 'budget' ? `budget ${money(Number(state.budget), row?.currency ?? 'USD')}` : `status ${state.status}`,
  );
  return words.join(' and ') || 'its previous state';
}

const previousOf = (action: LedgerAction) => action.previous_state as CampaignState;
const newOf = (action: LedgerAction) => action.new_state as CampaignState;

export const CAMPAIGN_STATE: ActionKind = {
  applyMany: applyManyCampaignStates,

  /** The linked campaigns' changes, accepted by applyMany, apply or undo: queued for the platform. */
  enqueueMany: queuePlatformChanges,

  async apply(s, tenantId, action) {
    await requireCampaignState(s, tenantId, action.campaign_id, previousOf(action), 'cannot approve');
    if (await isLinked(s, tenantId, action.campaign_id)) {
      await requireNothingInFlight(s, tenantId, action.campaign_id, 'cannot approve');
      return { awaiting: true };
    }
    await setCampaignState(s, tenantId, action.campaign_id, newOf(action));
  },

  async undo(s, tenantId, action) {
    // Already back where the action found it (an auto_resume reversed this pause, or a person put it
    // back by hand): the rollback records the person's decision and has nothing to restore.
    const now = await lockCampaignState(s, tenantId, action.campaign_id);
    // The fields the action changed (a pause: status; a later scale may have moved the budget).
    const restores = differingFields(previousOf(action), newOf(action), STATE_FIELDS);
    if (restores.length > 0 && differingFields(previousOf(action), now, restores).length === 0)
      return { from: now, to: now, words: 'nothing to restore, the campaign already holds its previous state' };
    const current = await requireCampaignState(s, tenantId, action.campaign_id, newOf(action), 'cannot roll back');
    if (await isLinked(s, tenantId, action.campaign_id)) {
      await requireNothingInFlight(s, tenantId, action.campaign_id, 'cannot roll back');
      const words = `asked its ad platform to restore ${await restoredWords(s, tenantId, action)}`;
      return { from: current, to: action.previous_state, words, awaiting: true };
    }
    await setCampaignState(s, tenantId, action.campaign_id, previousOf(action));
    const words = `restored ${await restoredWords(s, tenantId, action)}`;
    return { from: current, to: action.previous_state, words };
  },
};
