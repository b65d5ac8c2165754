// A step's delay changed (change_delay): the value is the asset's delay_hours.
import type { OptimizationState } from '../../domain/content-change.ts';
import { type ContentTarget, contentChangeKind } from './content-change.ts';

type AssetDelay = Extract<OptimizationState, { target: 'asset_delay' }>;

const ASSET_DELAY: ContentTarget<AssetDelay> = {
  noun: 'asset',
  column: () => 'delay_hours',
  describe: (state) => `the delay of ${state.value} h`,
  async lock(s, tenantId, state) {
    const [row] = await s.query<{ value: number }>(
      'SELECT delay_hours::float8 AS value FROM content_assets WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, state.asset_id],
    );
    return row?.value;
  },
  async set(s, tenantId, state) {
    await s.query('UPDATE content_assets SET delay_hours = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      state.asset_id,
      state.value,
    ]);
  },
  async moveMany(s, tenantId, moves, at) {
    const made = await s.query<{ action_id: string }>(
      `UPDATE content_assets a SET delay_hours = d.value, updated_at = $6
         FROM unnest($2::uuid[], $3::numeric[], $4::numeric[], $5::uuid[]) AS d (id, previous, value, action_id)
        WHERE a.tenant_id = $1 AND a.id = ANY($2::uuid[]) AND a.id = d.id AND a.status = 'active'
          AND a.delay_hours = d.previous
       RETURNING d.action_id`,
      [
        tenantId,
        moves.map((m) => m.from.asset_id),
        moves.map((m) => m.from.value),
        moves.map((m) => m.to.value),
        moves.map((m) => m.actionId),
        at.toISOString(),
      ],
    );
    return new Set(made.map((row) => row.action_id));
  },
};

export const DELAY_CHANGE = contentChangeKind(ASSET_DELAY);
