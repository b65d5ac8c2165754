// A variant killed (kill_variant): the value is the variant's status, active or killed. A kill
// must leave its step an active variant, when it is made and when it is approved later.
import type { SqlSession } from '../../db/port.ts';
import type { OptimizationState } from '../../domain/content-change.ts';
import { ActionConflictError } from '../errors.ts';
import { type ContentTarget, contentChangeKind, lockVariantValue } from './content-change.ts';

type VariantStatus = Extract<OptimizationState, { target: 'variant_status' }>;

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

const VARIANT_STATUS: ContentTarget<VariantStatus> = {
  noun: 'variant',
  column: () => 'status',
  describe: (state) => `the variant as ${state.value}`,
  async lock(s, tenantId, state) {
    // Kills and revivals lock the step (the asset) before the variant, as the loop's kills do, so
    // that two kills of a step's last two variants cannot both see the other one still active.
    await s.query('SELECT 1 FROM content_assets WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
      tenantId,
      state.asset_id,
    ]);
    return lockVariantValue(s, tenantId, state.variant_id, 'status');
  },
  async set(s, tenantId, state, { what, reason }) {
    if (state.value === 'killed') await requireSurvivor(s, tenantId, state.asset_id, state.variant_id, what);
    await s.query(
      `UPDATE content_variants
          SET status = $3, killed_at = CASE WHEN $3 = 'killed' THEN now() END,
              kill_reason = CASE WHEN $3 = 'killed' THEN $4 END, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, state.variant_id, state.value, reason],
    );
  },
  async moveMany(s, tenantId, moves, at) {
    if (moves.some((m) => m.to.value !== 'killed')) throw new Error('a batch only kills variants');
    // Steps are locked first (in id order, like every other writer of kills), then the last-variant
    // guard is checked again, in SQL, against the rows as they are now: a variant is killed only if
    // its step keeps an active variant outside this batch's kills.
    await s.query('SELECT 1 FROM content_assets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [
      tenantId,
      [...new Set(moves.map((m) => m.from.asset_id))],
    ]);
    const made = await s.query<{ action_id: string }>(
      `WITH d AS (SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::uuid[]) AS d (id, asset_id, reason, action_id)),
            survivors AS (
              SELECT DISTINCT v.asset_id FROM content_variants v
                LEFT JOIN d ON d.id = v.id
               WHERE v.tenant_id = $1 AND v.asset_id = ANY($3::uuid[]) AND v.status = 'active' AND d.id IS NULL)
       UPDATE content_variants v SET status = 'killed', killed_at = $6, kill_reason = d.reason, updated_at = $6
         FROM d
        WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[]) AND v.id = d.id AND v.asset_id = d.asset_id
          AND v.status = 'active' AND v.asset_id IN (SELECT asset_id FROM survivors)
       RETURNING d.action_id`,
      [
        tenantId,
        moves.map((m) => m.from.variant_id),
        moves.map((m) => m.from.asset_id),
        moves.map((m) => m.reason),
        moves.map((m) => m.actionId),
        at.toISOString(),
      ],
    );
    return new Set(made.map((row) => row.action_id));
  },
};

export const VARIANT_KILL = contentChangeKind(VARIANT_STATUS);
