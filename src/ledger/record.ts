// Writing ledger rows: every decision, the cycle's and the CMO loop's, executed or pending, and a
// rollback's own row. One INSERT over arrays per batch, in the caller's transaction, with the
// notification events the rows raise.
import type { SqlSession } from '../db/port.ts';
import { recordActionEvents } from '../notify/outbox.ts';
import type { ActionType } from './registry.ts';

export interface NewAction {
  /** The row's id when the caller needs it before the row exists (src/ledger/execute.ts); else a new one. */
  id?: string;
  campaignId: string;
  actionType: ActionType;
  reason: string;
  /** The target before and after (what the kind reads to approve or undo it). */
  previousState: object;
  newState: object;
  /**
   * executed: already carried out; pending: a suggestion waiting for a person; applying: accepted,
   * waiting for an ad platform to confirm it (src/ledger/kinds/platform-change.ts).
   */
  status: 'executed' | 'pending' | 'applying';
  ruleId?: string | null;
  confidence?: number | null;
  expectedImpact?: string | null;
  /** The expected value record (src/domain/model/action-value.ts). */
  expectedValue?: object | null;
  /** The earlier action this one reverses (an auto_resume names the pause). */
  reversesActionId?: string | null;
}

/** What decided a batch, and when: a cycle, a CMO loop run, or a person. */
export interface ActionSource {
  cycleId?: string;
  agentRunId?: string;
  decidedBy?: string | null;
  /** The API key a script acted with (src/ledger/decided-by.ts). */
  decidedByApiKey?: string | null;
  /** A person acting from a message, in words (src/ledger/decided-by.ts). */
  decidedByName?: string | null;
  /** The decision's instant; the transaction's own when absent. */
  at?: Date;
}

/** Records the actions; returns each row's id with its campaign. */
/** A row as written: `status` tells a change handed on to an ad platform ('applying') from one made. */
export interface RecordedAction {
  id: string;
  campaign_id: string;
  status: string;
}

export async function recordActions(
  s: SqlSession,
  tenantId: string,
  source: ActionSource,
  actions: readonly NewAction[],
): Promise<RecordedAction[]> {
  if (actions.length === 0) return [];
  const recorded = await s.query<RecordedAction>(
    `INSERT INTO autonomous_actions (id, tenant_id, campaign_id, rule_id, cycle_id, agent_run_id, action_type, reason,
                                     previous_state, new_state, confidence_score, expected_impact, expected_value,
                                     status, decided_by, decided_by_api_key, decided_by_name, executed_at, created_at,
                                     updated_at, reverses_action_id)
     SELECT coalesce(d.id, gen_random_uuid()), $1, d.campaign_id, d.rule_id, $2, $3, d.action_type, d.reason, d.previous_state, d.new_state,
            round(d.confidence::numeric, 5), d.expected_impact, d.expected_value, d.status, $4, $18::uuid, $19::text,
            CASE WHEN d.status = 'executed' THEN clock.at END, clock.at, clock.at, d.reverses
       FROM (SELECT coalesce($5::timestamptz, now()) AS at) AS clock,
            unnest($6::uuid[], $7::uuid[], $8::text[], $9::text[], $10::jsonb[], $11::jsonb[], $12::float8[], $13::text[],
                   $14::jsonb[], $15::text[], $16::uuid[], $17::uuid[])
            AS d (campaign_id, rule_id, action_type, reason, previous_state, new_state, confidence, expected_impact,
                  expected_value, status, reverses, id)
     RETURNING id, campaign_id, status`,
    [
      tenantId,
      source.cycleId ?? null,
      source.agentRunId ?? null,
      source.decidedBy ?? null,
      source.at?.toISOString() ?? null,
      actions.map((a) => a.campaignId),
      actions.map((a) => a.ruleId ?? null),
      actions.map((a) => a.actionType),
      actions.map((a) => a.reason),
      actions.map((a) => JSON.stringify(a.previousState)),
      actions.map((a) => JSON.stringify(a.newState)),
      actions.map((a) => a.confidence ?? null),
      actions.map((a) => a.expectedImpact ?? null),
      actions.map((a) => (a.expectedValue ? JSON.stringify(a.expectedValue) : null)),
      actions.map((a) => a.status),
      actions.map((a) => a.reversesActionId ?? null),
      actions.map((a) => a.id ?? null),
      source.decidedByApiKey ?? null,
      source.decidedByName ?? null,
    ],
  );
  // Told in the same transaction: what a rollback undoes, it untells (src/notify/outbox.ts).
  await recordActionEvents(
    s,
    tenantId,
    recorded.map((r) => r.id),
    source.at,
  );
  return recorded;
}

/** Closes the pending suggestions a newer decision replaces. */
export async function supersedeSuggestions(
  s: SqlSession,
  tenantId: string,
  actionIds: readonly string[],
  at: Date,
): Promise<void> {
  if (actionIds.length === 0) return;
  await s.query(
    `UPDATE autonomous_actions SET status = 'superseded', updated_at = $3
      WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'pending'`,
    [tenantId, actionIds, at.toISOString()],
  );
}
