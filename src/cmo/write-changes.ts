// Writes one batch of the loop's checked changes in the caller's transaction, through the ledger
// (src/ledger/execute.ts): each kind of change is one statement over arrays, then one INSERT for
// their ledger rows. Every update is conditional on the target still holding the value the
// optimizer saw (a person may have edited it meanwhile, or a concurrent run applied it first): a
// change whose target moved is skipped, not forced.
import type { SqlSession } from '../db/port.ts';
import { executeActions } from '../ledger/execute.ts';
import type { NewAction } from '../ledger/record.ts';
import { ACTION_TYPES, changeKey, type PlannedChange } from './planned-change.ts';
import { describeSkipped, type SkippedChange } from './skipped-changes.ts';

export interface WriteReport {
  applied: PlannedChange[];
  suggested: PlannedChange[];
  /** Applied changes whose target changed since it was read; suggestions made (or dismissed) before. */
  skipped: number;
  /** The changes to apply whose target had moved, and what moved. */
  moved: SkippedChange[];
}

const EXPECTED_IMPACT: Record<PlannedChange['type'], string> = {
  kill_variant: 'The step’s sends go to its better variants',
  delay: 'The next step goes out when replies to the previous one have mostly arrived',
  email_subject: 'More opens',
  email_body: 'More clicks and replies',
  sms_copy: 'More replies, fewer opt-out complaints',
  voice_script: 'Better call outcomes',
};

/** Serialises the writes of concurrent loops of one tenant (the API, the CLI and a scheduled job). */
export async function lockTenantLoop(s: SqlSession, tenantId: string): Promise<void> {
  await s.query("SELECT pg_advisory_xact_lock(hashtextextended('nightshift-cmo-loop:' || $1, 0))", [tenantId]);
}

export async function writeChanges(
  s: SqlSession,
  tenantId: string,
  batch: { agentRunId: string; now: Date; changes: readonly PlannedChange[] },
): Promise<WriteReport> {
  const toApply = batch.changes.filter((c) => c.mode === 'apply');
  const suggested = await newSuggestions(
    s,
    tenantId,
    batch.changes.filter((c) => c.mode === 'suggest'),
  );
  // Ledger rows, executed or pending, linked to the run (campaign_optimizations, the seed's table,
  // is a view of them: migration 0021).
  const entries = [...toApply, ...suggested].map((change) => ({ change, action: ledgerAction(change) }));
  const { notMade } = await executeActions(
    s,
    tenantId,
    { agentRunId: batch.agentRunId, at: batch.now },
    entries.map((e) => e.action),
  );
  const notMadeActions = new Set(notMade);
  const moved = entries.filter((e) => notMadeActions.has(e.action)).map((e) => e.change);
  const movedChanges = new Set(moved);
  const applied = toApply.filter((c) => !movedChanges.has(c));
  return {
    applied,
    suggested,
    skipped: batch.changes.length - applied.length - suggested.length,
    moved: await describeSkipped(s, tenantId, moved),
  };
}

function ledgerAction(c: PlannedChange): NewAction {
  return {
    campaignId: c.campaignId,
    actionType: ACTION_TYPES[c.type],
    reason: c.rationale,
    previousState: c.previous,
    newState: c.next,
    confidence: c.confidence,
    expectedImpact: EXPECTED_IMPACT[c.type],
    status: c.mode === 'apply' ? 'executed' : 'pending',
  };
}

/** Suggestions not already waiting for a person, nor dismissed by one. */
async function newSuggestions(
  s: SqlSession,
  tenantId: string,
  changes: readonly PlannedChange[],
): Promise<PlannedChange[]> {
  if (changes.length === 0) return [];
  const known = await s.query<{ key: string }>(
    `SELECT jsonb_build_array(campaign_id, optimization_type, target_asset_id, target_variant_id,
            CASE WHEN new_value->>'target' = 'variant_copy' THEN 'null'::jsonb ELSE new_value->'value' END)::text AS key
       FROM campaign_optimizations
      WHERE tenant_id = $1 AND status IN ('suggested', 'dismissed') AND campaign_id = ANY($2::uuid[])`,
    [tenantId, [...new Set(changes.map((c) => c.campaignId))]],
  );
  // Postgres prints jsonb arrays with a space after each comma; compare in one canonical form.
  const seen = new Set(known.map((row) => JSON.stringify(JSON.parse(row.key))));
  return changes.filter((change) => !seen.has(changeKey(change)));
}
