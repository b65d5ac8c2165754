// Runners started at the same moment (several workers polling): every due campaign is launched
// exactly once, its recipients generated once, and no runner reports another's campaign.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_USER_ID } from '../src/config.ts';
import { runCampaignAutomation } from '../src/runner/campaign-runner.ts';
import { createAudience, createScheduledCampaign, launchState, recipientsOf } from './support/runner-world.ts';
import { createTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

describe('concurrent campaign runners (Postgres)', () => {
  const testDb = useTestDb();

  it('launch each due campaign once between them', async () => {
    const t = await createTenant(testDb());
    const audience = await createAudience(testDb(), t, { active: 3000 });
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createScheduledCampaign(testDb(), t, { title: `Wave ${i}`, segmentId: audience.segmentId }),
      ),
    );
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        runCampaignAutomation(testDb(), {
          tenantId: t.tenantId,
          systemUserId: DEFAULT_SYSTEM_USER_ID,
          recipientChunk: 500,
        }),
      ),
    );
    const launched = runs.flatMap((r) => r.campaigns.map((c) => c.campaign_id));
    expect(launched.sort()).toEqual([...ids].sort());
    expect(runs.flatMap((r) => r.errors)).toEqual([]);
    for (const id of ids) {
      expect((await recipientsOf(testDb(), t, id)).length).toBe(3000);
      expect(await launchState(testDb(), t, id)).toMatchObject({ status: 'sending', version: 2 });
    }
  });
});
