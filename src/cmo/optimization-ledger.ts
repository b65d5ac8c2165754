// The ledger operations for the CMO loop's changes (kill_variant, change_delay, rewrite_*):
// rolling an applied one back, and applying an approved suggestion. Like the campaign actions,
// each checks first that its target still holds the value it expects (a person may have edited it
// since) and refuses with a conflict otherwise. The caller moves the ledger row's status (the
// seed's campaign_optimizations is a view of it).
import type { SqlSession } from '../db/port.ts';
import { quoteIdentifier } from '../db/port.ts';
import { ActionConflictError } from '../engine/ledger-errors.ts';
import type { OptimizationState } from './planned-change.ts';

export interface OptimizationAction {
  id: string;
  reason: string;
  previous_state: OptimizationState;
  new_state: OptimizationState;
}

/** Rolls an applied change back: the target must still hold the new value. */
export async function undoOptimization(s: SqlSession, tenantId: string, action: OptimizationAction): Promise<string> {
  await moveTarget(s, tenantId, action.new_state, action.previous_state, 'cannot roll back', action.reason);
  return `restored ${describe(action.previous_state)}`;
}

/** Applies an approved suggestion: the target must still hold the value it was suggested for. */
export async function applySuggestedOptimization(
  s: SqlSession,
  tenantId: string,
  action: OptimizationAction,
): Promise<void> {
  await moveTarget(s, tenantId, action.previous_state, action.new_state, 'cannot approve', action.reason);
}

function describe(state: OptimizationState): string {
  if (state.target === 'asset_delay') return `the delay of ${state.value} h`;
  if (state.target === 'variant_status') return `the variant as ${state.value}`;
  return `the previous ${state.field}`;
}

/** Locks the target, checks it holds `from`, and sets it to `to`. */
async function moveTarget(
  s: SqlSession,
  tenantId: string,
  from: OptimizationState,
  to: OptimizationState,
  what: string,
  reason: string,
): Promise<void> {
  // Kills and revivals lock the step (the asset) before the variant, as the loop's kills do, so
  // that two kills of a step's last two variants cannot both see the other one still active.
  if (from.target === 'variant_status') {
    await s.query('SELECT 1 FROM content_assets WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
      tenantId,
      from.asset_id,
    ]);
  }
  const actual = await lockTarget(s, tenantId, from);
  if (actual === undefined) {
    throw new ActionConflictError(
      `${what}: the ${from.target === 'asset_delay' ? 'asset' : 'variant'} is gone`,
      { value: String(from.value) },
      { value: undefined },
    );
  }
  if (!sameValue(actual, from.value)) {
    throw new ActionConflictError(
      `${what}: the ${label(from)} changed since`,
      { [label(from)]: String(from.value) },
      { [label(from)]: actual === null ? 'null' : String(actual) },
    );
  }
  if (to.target === 'asset_delay') {
    await s.query('UPDATE content_assets SET delay_hours = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      to.asset_id,
      to.value,
    ]);
  } else if (to.target === 'variant_status') {
    if (to.value === 'killed') await requireSurvivor(s, tenantId, to.asset_id, to.variant_id, what);
    await s.query(
      `UPDATE content_variants
          SET status = $3, killed_at = CASE WHEN $3 = 'killed' THEN now() END,
              kill_reason = CASE WHEN $3 = 'killed' THEN $4 END, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, to.variant_id, to.value, reason],
    );
  } else {
    await s.query(
      `UPDATE content_variants SET ${quoteIdentifier(to.field)} = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, to.variant_id, to.value],
    );
  }
}

const label = (state: OptimizationState) =>
  state.target === 'asset_delay' ? 'delay_hours' : state.target === 'variant_status' ? 'status' : state.field;

function sameValue(actual: string | number | null, expected: string | number | null): boolean {
  if (typeof expected === 'number') return Number(actual) === expected;
  return actual === expected;
}

/** The target's current value, locked; undefined when the row is gone. */
async function lockTarget(s: SqlSession, tenantId: string, state: OptimizationState) {
  const [row] =
    state.target === 'asset_delay'
      ? await s.query<{ value: number }>(
          'SELECT delay_hours::float8 AS value FROM content_assets WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
          [tenantId, state.asset_id],
        )
      : await s.query<{ value: string | null }>(
          `SELECT ${state.target === 'variant_status' ? 'status' : quoteIdentifier(state.field)} AS value
             FROM content_variants WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
          [tenantId, state.variant_id],
        );
  return row?.value;
}

/** A kill approved later must still leave its step an active variant (the caller holds the asset's lock). */
async function requireSurvivor(s: SqlSession, tenantId: string, assetId: string, variantId: string, what: string) {
  const [row] = await s.query<{ others: number }>(
    `SELECT count(*)::int AS others FROM content_variants
      WHERE tenant_id = $1 AND asset_id = $2 AND id <> $3 AND status = 'active'`,
    [tenantId, assetId, variantId],
  );
  if (row!.others === 0) {
    throw new ActionConflictError(
      `${what}: the variant is now the last active one of its step`,
      { other_active_variants: 'at least 1' },
      { other_active_variants: 0 },
    );
  }
}
