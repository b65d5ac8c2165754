// Acting on ledger rows after the fact: roll back an executed action, approve or dismiss a
// pending suggestion. Each checks that the campaign is still in the state the action expects,
// changes campaign and ledger in one transaction, and leaves a ledger row of its own.
import { applySuggestedOptimization, type OptimizationAction, undoOptimization } from '../cmo/optimization-ledger.ts';
import { isOptimizationAction, type OptimizationState } from '../cmo/planned-change.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { ActionConflictError, ActionNotFoundError, ActionStatusError } from './ledger-errors.ts';
import { cancelScheduledPosts, connectedPlatforms, schedulePosts } from './social-schedule.ts';

/** The campaign fields an action changes; a snapshot such as `roi` is not state. */
const STATE_FIELDS = ['status', 'budget'] as const;
type State = Partial<Record<(typeof STATE_FIELDS)[number], string | number>>;

interface ActionRow {
  id: string;
  campaign_id: string;
  rule_id: string | null;
  action_type: string;
  reason: string;
  status: string;
  previous_state: State;
  new_state: State;
}

export interface LedgerOutcome {
  action_id: string;
  status: string;
  /** True when the operation had already happened: nothing was changed this time. */
  unchanged: boolean;
}

async function lockAction(s: SqlSession, tenantId: string, actionId: string): Promise<ActionRow> {
  const [row] = await s.query<ActionRow>(
    `SELECT id, campaign_id, rule_id, action_type, reason, status, previous_state, new_state
       FROM autonomous_actions WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, actionId],
  );
  if (!row) throw new ActionNotFoundError(`no action ${actionId}`);
  return row;
}

function sameValue(a: string | number | undefined, b: string | number | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return a === b;
}

async function lockCampaignState(s: SqlSession, tenantId: string, campaignId: string): Promise<State> {
  const [row] = await s.query<{ status: string; budget: string }>(
    'SELECT status, budget FROM campaigns WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, campaignId],
  );
  return { status: row?.status, budget: row ? Number(row.budget) : undefined };
}

const differingFields = (expected: State, actual: State, fields: readonly (typeof STATE_FIELDS)[number][]) =>
  fields.filter((field) => field in expected && !sameValue(expected[field], actual[field]));

/** Locks the campaign and checks it holds `expected`; returns its current state. */
async function requireCampaignState(
  s: SqlSession,
  tenantId: string,
  campaignId: string,
  expected: State,
  what: string,
  fields: readonly (typeof STATE_FIELDS)[number][] = STATE_FIELDS,
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

async function setCampaignState(s: SqlSession, tenantId: string, campaignId: string, state: State) {
  await s.query(
    `UPDATE campaigns SET status = coalesce($3, status), budget = coalesce($4::numeric, budget),
            version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, campaignId, state.status ?? null, state.budget ?? null],
  );
}

export async function rollbackAction(
  db: Database,
  tenantId: string,
  actionId: string,
  userId?: string,
): Promise<LedgerOutcome> {
  return db.transaction(async (s) => {
    const action = await lockAction(s, tenantId, actionId);
    if (action.status === 'rolled_back') return { action_id: actionId, status: action.status, unchanged: true };
    if (action.status !== 'executed') {
      throw new ActionStatusError(`only executed actions can be rolled back; this one is ${action.status}`);
    }
    if (action.action_type === 'notify' || action.action_type === 'rollback') {
      throw new ActionStatusError(`a ${action.action_type} action changed nothing that can be rolled back`);
    }
    const undone = isOptimizationAction(action.action_type)
      ? await undoOptimizationAction(s, tenantId, action)
      : await undoCampaignAction(s, tenantId, action);
    await s.query(
      `UPDATE autonomous_actions SET status = 'rolled_back', rolled_back_at = now(), rolled_back_by = $3, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, actionId, userId ?? null],
    );
    await s.query(
      `INSERT INTO autonomous_actions (tenant_id, campaign_id, rule_id, action_type, reason, previous_state, new_state,
                                       status, decided_by, executed_at)
       VALUES ($1, $2, $3, 'rollback', $4, $5, $6, 'executed', $7, now())`,
      [
        tenantId,
        action.campaign_id,
        action.rule_id,
        `Rolled back ${action.action_type} ${actionId}: ${undone.words}.`,
        JSON.stringify(undone.from),
        JSON.stringify(undone.to),
        userId ?? null,
      ],
    );
    return { action_id: actionId, status: 'rolled_back', unchanged: false };
  });
}

interface Undone {
  /** The state before the rollback and after it: the rollback's own ledger row records both. */
  from: object;
  to: object;
  words: string;
}

async function undoCampaignAction(s: SqlSession, tenantId: string, action: ActionRow): Promise<Undone> {
  // Already back where the action found it (an auto_resume reversed this pause, or a person put it
  // back by hand): the rollback records the person's decision and has nothing to restore.
  if (action.action_type !== 'auto_post') {
    const now = await lockCampaignState(s, tenantId, action.campaign_id);
    // The fields the action changed (a pause: status; a later scale may have moved the budget).
    const restores = differingFields(action.previous_state, action.new_state, STATE_FIELDS);
    if (restores.length > 0 && differingFields(action.previous_state, now, restores).length === 0)
      return { from: now, to: now, words: 'nothing to restore, the campaign already holds its previous state' };
  }
  const current = await requireCampaignState(
    s,
    tenantId,
    action.campaign_id,
    action.action_type === 'auto_post' ? {} : action.new_state,
    'cannot roll back',
  );
  if (action.action_type === 'auto_post') {
    // A post changes no campaign field: rolling it back cancels it, unless it is already out.
    const published = await cancelScheduledPosts(s, tenantId, action.id);
    if (published.length > 0) {
      throw new ActionConflictError(
        `cannot roll back: the post is already ${published[0]}`,
        { post: 'pending' },
        { post: published[0] },
      );
    }
    return { from: current, to: current, words: 'cancelled the scheduled post' };
  }
  await setCampaignState(s, tenantId, action.campaign_id, action.previous_state);
  return { from: current, to: action.previous_state, words: `restored ${JSON.stringify(action.previous_state)}` };
}

async function undoOptimizationAction(s: SqlSession, tenantId: string, action: ActionRow): Promise<Undone> {
  const words = await undoOptimization(s, tenantId, optimizationAction(action));
  return { from: action.new_state, to: action.previous_state, words };
}

/** The ledger row of a CMO loop change, as the loop wrote it (src/cmo/write-changes.ts). */
function optimizationAction(action: ActionRow): OptimizationAction {
  return {
    id: action.id,
    reason: action.reason,
    previous_state: action.previous_state as unknown as OptimizationState,
    new_state: action.new_state as unknown as OptimizationState,
  };
}

/**
 * Decides a pending suggestion: `executed` applies its new state (if the campaign still holds the
 * state it was suggested for), `dismissed` just closes it. Deciding it again the same way is a no-op.
 */
async function decideSuggestion(
  db: Database,
  tenantId: string,
  actionId: string,
  decision: 'executed' | 'dismissed',
  userId?: string,
): Promise<LedgerOutcome> {
  return db.transaction(async (s) => {
    const action = await lockAction(s, tenantId, actionId);
    if (action.status === decision) return { action_id: actionId, status: action.status, unchanged: true };
    const done = decision === 'executed' ? 'approved' : 'dismissed';
    if (action.status !== 'pending') {
      throw new ActionStatusError(`only pending suggestions can be ${done}; this one is ${action.status}`);
    }
    // Dismissing changes nothing but the ledger row: a suggestion was never applied.
    if (decision === 'executed') await applySuggestion(s, tenantId, action);
    await s.query(
      `UPDATE autonomous_actions
          SET status = $3, decided_by = $4, updated_at = now(),
              executed_at = CASE WHEN $3 = 'executed' THEN now() ELSE executed_at END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, actionId, decision, userId ?? null],
    );
    return { action_id: actionId, status: decision, unchanged: false };
  });
}

/** Applies an approved suggestion, provided its target still holds the state it was suggested for. */
async function applySuggestion(s: SqlSession, tenantId: string, action: ActionRow): Promise<void> {
  if (isOptimizationAction(action.action_type)) {
    await applySuggestedOptimization(s, tenantId, optimizationAction(action));
  } else if (action.action_type === 'auto_post') {
    await approvePost(s, tenantId, action);
  } else {
    await requireCampaignState(s, tenantId, action.campaign_id, action.previous_state, 'cannot approve');
    await setCampaignState(s, tenantId, action.campaign_id, action.new_state);
  }
}

/** An approved post is queued now, to the platforms connected now; the campaign must still be live. */
async function approvePost(s: SqlSession, tenantId: string, action: ActionRow) {
  await requireCampaignState(s, tenantId, action.campaign_id, action.previous_state, 'cannot approve', ['status']);
  const platforms = await connectedPlatforms(s, tenantId);
  if (platforms.length === 0) {
    throw new ActionConflictError(
      'cannot approve: the tenant has no connected social account',
      { platforms: 'at least one connected' },
      { platforms: 'none' },
    );
  }
  await schedulePosts(s, tenantId, [{ actionId: action.id, campaignId: action.campaign_id }], platforms, new Date());
  await s.query(
    `UPDATE autonomous_actions SET new_state = jsonb_set(new_state, '{platforms}', to_jsonb($3::text[]))
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, action.id, platforms],
  );
}

export function approveAction(db: Database, tenantId: string, actionId: string, userId?: string) {
  return decideSuggestion(db, tenantId, actionId, 'executed', userId);
}

export function dismissAction(db: Database, tenantId: string, actionId: string, userId?: string) {
  return decideSuggestion(db, tenantId, actionId, 'dismissed', userId);
}
