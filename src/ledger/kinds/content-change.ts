// The CMO loop's changes (kill_variant, change_delay, rewrite_*) move one value of one row of the
// campaign's content. The row's previous_state and new_state name the target and hold the value
// before and after (src/domain/content-change.ts): approving moves it from the one to the other,
// undoing back, each only if the target still holds the value it should (a person may have edited
// it since). Each target (a variant's copy, a variant's status, a step's delay) says how it is
// locked, read and set, one at a time and in a batch; this file is the rest, shared.
// A batch statement names its targets as `= ANY(ids)` as well as joining the unnested arrays: that
// lets the planner look them up by key once the tenant is large, where the join alone scans all of
// the tenant's content for every batch.
import { quoteIdentifier, type SqlSession } from '../../db/port.ts';
import type { OptimizationState } from '../../domain/content-change.ts';
import type { ActionKind, LedgerAction } from '../action-kind.ts';
import { ActionConflictError } from '../errors.ts';

export interface ContentTarget<S extends OptimizationState> {
  /** What a conflict calls the row when it is gone. */
  noun: 'asset' | 'variant';
  /** The column the value is in, as a conflict names it. */
  column(state: S): string;
  /** How a rollback's ledger row names the value it restored. */
  describe(state: S): string;
  /** Locks the target (and whatever must be locked before it); its value, undefined when the row is gone. */
  lock(s: SqlSession, tenantId: string, state: S): Promise<string | number | null | undefined>;
  /** Sets the target's value; `what` words a refusal, `reason` is the change's own. */
  set(s: SqlSession, tenantId: string, state: S, change: { what: string; reason: string }): Promise<void>;
  /**
   * A batch of moves (a CMO loop run's), one statement over arrays: each target is set only if it
   * still holds `from`. Returns the action ids of the moves made.
   */
  moveMany(s: SqlSession, tenantId: string, moves: readonly ContentMove<S>[], at: Date): Promise<ReadonlySet<string>>;
}

export interface ContentMove<S extends OptimizationState> {
  actionId: string;
  from: S;
  to: S;
  reason: string;
}

function sameValue(actual: string | number | null, expected: string | number | null): boolean {
  if (typeof expected === 'number') return Number(actual) === expected;
  return actual === expected;
}

/** Locks the target, checks it holds `from`, and sets it to `to`. */
async function moveTarget<S extends OptimizationState>(
  target: ContentTarget<S>,
  s: SqlSession,
  tenantId: string,
  move: { from: S; to: S; what: string; reason: string },
): Promise<void> {
  const { from, what } = move;
  const actual = await target.lock(s, tenantId, from);
  if (actual === undefined) {
    throw new ActionConflictError(
      `${what}: the ${target.noun} is gone`,
      { value: String(from.value) },
      { value: undefined },
    );
  }
  if (!sameValue(actual, from.value)) {
    const column = target.column(from);
    throw new ActionConflictError(
      `${what}: the ${column} changed since`,
      { [column]: String(from.value) },
      { [column]: actual === null ? 'null' : String(actual) },
    );
  }
  await target.set(s, tenantId, move.to, { what, reason: move.reason });
}

/** The ledger kind of the changes that move `target`. */
export function contentChangeKind<S extends OptimizationState>(target: ContentTarget<S>): ActionKind {
  const previousOf = (action: LedgerAction) => action.previous_state as unknown as S;
  const newOf = (action: LedgerAction) => action.new_state as unknown as S;
  return {
    applyMany: (s, tenantId, changes, at) =>
      target.moveMany(
        s,
        tenantId,
        changes.map((c) => ({
          actionId: c.actionId,
          from: c.previousState as unknown as S,
          to: c.newState as unknown as S,
          reason: c.reason,
        })),
        at,
      ),
    async apply(s, tenantId, action) {
      await moveTarget(target, s, tenantId, {
        from: previousOf(action),
        to: newOf(action),
        what: 'cannot approve',
        reason: action.reason,
      });
    },
    async undo(s, tenantId, action) {
      await moveTarget(target, s, tenantId, {
        from: newOf(action),
        to: previousOf(action),
        what: 'cannot roll back',
        reason: action.reason,
      });
      return {
        from: action.new_state,
        to: action.previous_state,
        words: `restored ${target.describe(previousOf(action))}`,
      };
    },
  };
}

/** A column of a content variant, locked; undefined when the variant is gone. */
export async function lockVariantValue(s: SqlSession, tenantId: string, variantId: string, column: string) {
  const [row] = await s.query<{ value: string | null }>(
    `SELECT ${quoteIdentifier(column)} AS value FROM content_variants WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, variantId],
  );
  return row?.value;
}
