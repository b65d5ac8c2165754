import { describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/postgres.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { actionsOf, campaignState, createTenant, NOW, pauseScaleSuggestWorld } from './support/scenario.ts';
import { postgresTestUrl } from './support/test-db.ts';

describe('concurrent cycles for one tenant', () => {
  it('two cycles at once, on separate connections, produce one set of actions', async () => {
    const dbs = await Promise.all([0, 1, 2].map(() => openPostgres(postgresTestUrl())));
    try {
      const t = await createTenant(dbs[0]!);
      const { winner } = await pauseScaleSuggestWorld(dbs[0]!, t);

      const results = await Promise.all(dbs.map((db) => runCycle(db, t.tenantId, { now: NOW })));
      const total = results.reduce(
        (sum, r) => sum + r.actions_taken.campaigns_paused + r.actions_taken.campaigns_scaled + r.suggestions_created,
        0,
      );
      expect(total).toBe(3);
      const ledger = await actionsOf(dbs[0]!, t);
      expect(ledger.map((a) => `${a.action_type}:${a.status}`).sort()).toEqual([
        'auto_pause:executed',
        'auto_pause:pending',
        'auto_scale_up:executed',
      ]);
      expect(await campaignState(dbs[0]!, t, winner)).toMatchObject({ budget: '150.00', version: 2 });
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
