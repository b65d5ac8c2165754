// Writes one batch of the loop's checked changes in the caller's transaction: each kind of change
// is one statement over arrays, then one INSERT for their ledger rows (src/ledger/record.ts). Each
// statement also names its targets as `= ANY(ids)`, which lets the planner look them up by key once
// the tenant is large, where a join with the unnested arrays alone scans all of the tenant's
// content for every batch.
// Every update is conditional on the target still holding the value the optimizer saw (a person
// may have edited it meanwhile, or a concurrent run applied it first): a change whose target moved
// is skipped, not forced.
import { COPY_FIELDS } from '../agents/optimizer.ts';
import type { SqlSession } from '../db/port.ts';
import { quoteIdentifier } from '../db/port.ts';
import { recordActions } from '../ledger/record.ts';
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
  const now = batch.now.toISOString();
  const toApply = batch.changes.filter((c) => c.mode === 'apply');
  const suggested = await newSuggestions(
    s,
    tenantId,
    batch.changes.filter((c) => c.mode === 'suggest'),
  );
  const appliedTargets = new Set([
    ...(await killVariants(s, tenantId, toApply, now)),
    ...(await rewriteCopy(s, tenantId, toApply, now)),
    ...(await changeDelays(s, tenantId, toApply, now)),
  ]);
  const applied = toApply.filter((c) => appliedTargets.has(`${c.type}:${c.variantId ?? c.assetId}`));
  // Ledger rows, executed or pending, linked to the run (campaign_optimizations, the seed's table,
  // is a view of them: migration 0021).
  await recordActions(
    s,
    tenantId,
    { agentRunId: batch.agentRunId, at: batch.now },
    [...applied, ...suggested].map((c) => ({
      campaignId: c.campaignId,
      actionType: ACTION_TYPES[c.type],
      reason: c.rationale,
      previousState: c.previous,
      newState: c.next,
      confidence: c.confidence,
      expectedImpact: EXPECTED_IMPACT[c.type],
      status: c.mode === 'apply' ? 'executed' : 'pending',
    })),
  );
  const moved = toApply.filter((c) => !appliedTargets.has(`${c.type}:${c.variantId ?? c.assetId}`));
  return {
    applied,
    suggested,
    skipped: batch.changes.length - applied.length - suggested.length,
    moved: await describeSkipped(s, tenantId, moved),
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

async function killVariants(s: SqlSession, tenantId: string, changes: readonly PlannedChange[], now: string) {
  const kills = changes.filter((c) => c.type === 'kill_variant');
  if (kills.length === 0) return [];
  // Steps are locked first (in id order, like every other writer of kills), then the last-variant
  // guard is checked again, in SQL, against the rows as they are now: a variant is killed
  // only if its step keeps an active variant outside this batch's kills.
  await s.query('SELECT 1 FROM content_assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [
    tenantId,
    [...new Set(kills.map((c) => c.assetId))],
  ]);
  const rows = await s.query<{ id: string }>(
    `WITH d AS (SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS d (id, asset_id, reason)),
          survivors AS (
            SELECT DISTINCT v.asset_id FROM content_variants v
              LEFT JOIN d ON d.id = v.id
             WHERE v.tenant_id = $1 AND v.asset_id = ANY($3::uuid[]) AND v.status = 'active' AND d.id IS NULL)
     UPDATE content_variants v SET status = 'killed', killed_at = $5, kill_reason = d.reason, updated_at = $5
       FROM d
      WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[]) AND v.id = d.id AND v.asset_id = d.asset_id
        AND v.status = 'active' AND v.asset_id IN (SELECT asset_id FROM survivors)
     RETURNING v.id`,
    [tenantId, kills.map((c) => c.variantId), kills.map((c) => c.assetId), kills.map((c) => c.rationale), now],
  );
  return rows.map((row) => `kill_variant:${row.id}`);
}

async function rewriteCopy(s: SqlSession, tenantId: string, changes: readonly PlannedChange[], now: string) {
  const done: string[] = [];
  for (const [type, field] of Object.entries(COPY_FIELDS) as [keyof typeof COPY_FIELDS, string][]) {
    const rewrites = changes.filter((c) => c.type === type);
    if (rewrites.length === 0) continue;
    const column = quoteIdentifier(field);
    const rows = await s.query<{ id: string }>(
      `UPDATE content_variants v SET ${column} = d.value, updated_at = $5
         FROM unnest($2::uuid[], $3::text[], $4::text[]) AS d (id, previous, value)
        WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[]) AND v.id = d.id AND v.status = 'active'
          AND v.${column} IS NOT DISTINCT FROM d.previous
       RETURNING v.id`,
      [
        tenantId,
        rewrites.map((c) => c.variantId),
        rewrites.map((c) => c.previous.value),
        rewrites.map((c) => c.next.value),
        now,
      ],
    );
    done.push(...rows.map((row) => `${type}:${row.id}`));
  }
  return done;
}

async function changeDelays(s: SqlSession, tenantId: string, changes: readonly PlannedChange[], now: string) {
  const delays = changes.filter((c) => c.type === 'delay');
  if (delays.length === 0) return [];
  const rows = await s.query<{ id: string }>(
    `UPDATE content_assets a SET delay_hours = d.value, updated_at = $5
       FROM unnest($2::uuid[], $3::numeric[], $4::numeric[]) AS d (id, previous, value)
      WHERE a.tenant_id = $1 AND a.id = ANY($2::uuid[]) AND a.id = d.id AND a.status = 'active'
        AND a.delay_hours = d.previous
     RETURNING a.id`,
    [tenantId, delays.map((c) => c.assetId), delays.map((c) => c.previous.value), delays.map((c) => c.next.value), now],
  );
  return rows.map((row) => `delay:${row.id}`);
}
