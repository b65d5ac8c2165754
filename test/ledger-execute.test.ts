// The ledger's batch path (src/ledger/execute.ts), which the cycle and the CMO loop write through:
// executed decisions are carried out by their kinds only where the target still holds the state
// they were decided on; those whose target moved are neither made nor recorded; the rest are
// recorded, and a post is queued against its recorded row.
import { describe, expect, it } from 'vitest';
import { executeActions } from '../src/ledger/execute.ts';
import type { NewAction } from '../src/ledger/record.ts';
import { actionsOf, campaignState, createCampaign, createTenant, NOW } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

describe('the ledger’s batch of decisions', () => {
  const testDb = useTestDb();

  it('makes and records what still holds, skips what moved, and queues posts against their rows', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const toPause = await createCampaign(db, t, { title: 'Loser', budget: 80, hoursRunning: 96 });
    const toScale = await createCampaign(db, t, { title: 'Winner', budget: 100.1, hoursRunning: 96 });
    const movedByHand = await createCampaign(db, t, { title: 'Edited', budget: 60, hoursRunning: 96 });
    const toPost = await createCampaign(db, t, { title: 'Post me', budget: 40, hoursRunning: 96 });
    const suggested = await createCampaign(db, t, { budget: 30, hoursRunning: 96, autopilot: false });
    // A person set this budget after the decision was made on 60.
    await db.session((s) =>
      s.query('UPDATE campaigns SET budget = 65 WHERE tenant_id = $1 AND id = $2', [t.tenantId, movedByHand]),
    );

    const decision = (campaignId: string, fields: Partial<NewAction>): NewAction => ({
      campaignId,
      actionType: 'auto_pause',
      reason: 'test',
      previousState: {},
      newState: {},
      status: 'executed',
      ...fields,
    });
    const moved = decision(movedByHand, {
      previousState: { status: 'active', budget: 60 },
      newState: { status: 'paused', budget: 60 },
    });
    const batch: NewAction[] = [
      decision(toPause, {
        previousState: { status: 'active', budget: 80 },
        newState: { status: 'paused', budget: 80 },
      }),
      decision(toScale, {
        actionType: 'auto_scale_up',
        previousState: { status: 'active', budget: 100.1 },
        newState: { status: 'active', budget: 150.15 },
      }),
      moved,
      decision(toPost, {
        actionType: 'auto_post',
        previousState: { status: 'active', budget: 40 },
        newState: { status: 'active', budget: 40, platforms: ['facebook', 'twitter'] },
      }),
      decision(suggested, {
        status: 'pending',
        previousState: { status: 'active', budget: 30 },
        newState: { status: 'paused', budget: 30 },
      }),
    ];

    const result = await db.transaction((s) => executeActions(s, t.tenantId, { at: NOW }, batch));

    expect(result.notMade).toEqual([moved]);
    expect(result.recorded.map((r) => r.campaign_id).sort()).toEqual([toPause, toScale, toPost, suggested].sort());
    expect(await campaignState(db, t, toPause)).toMatchObject({ status: 'paused', budget: '80.00', version: 2 });
    expect(await campaignState(db, t, toScale)).toMatchObject({ status: 'active', budget: '150.15', version: 2 });
    expect(await campaignState(db, t, movedByHand)).toMatchObject({ status: 'active', budget: '65.00' });
    // A suggestion changes nothing until a person approves it.
    expect(await campaignState(db, t, suggested)).toMatchObject({ status: 'active', budget: '30.00', version: 1 });

    const rows = await actionsOf(db, t);
    expect(rows.map((r) => [r.campaign_id, r.action_type, r.status]).sort()).toEqual(
      [
        [toPause, 'auto_pause', 'executed'],
        [toScale, 'auto_scale_up', 'executed'],
        [toPost, 'auto_post', 'executed'],
        [suggested, 'auto_pause', 'pending'],
      ].sort(),
    );
    const postAction = rows.find((r) => r.campaign_id === toPost)!;
    const posts = await db.session((s) =>
      s.query<{ action_id: string; platforms: string[]; title: string }>(
        "SELECT action_id, platforms, content->>'title' AS title FROM campaign_schedules WHERE tenant_id = $1",
        [t.tenantId],
      ),
    );
    expect(posts).toEqual([{ action_id: postAction.id, platforms: ['facebook', 'twitter'], title: 'Post me' }]);
  });
});
