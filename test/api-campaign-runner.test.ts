// POST /api/campaigns/run-automation over real HTTP: the runner's response for the caller's
// tenant only, admins only, and another tenant's organization_id answers 404.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_USER_ID } from '../src/config.ts';
import { createAudience, createScheduledCampaign, launchState } from './support/runner-world.ts';
import { createTenant } from './support/scenario.ts';
import { useTestApi } from './support/test-api.ts';

describe('POST /api/campaigns/run-automation', () => {
  const { db: testDb, tenantClients: clients } = useTestApi();
  const path = '/api/campaigns/run-automation';

  it('launches the caller’s due campaigns, as the system user, and none of another tenant’s', async () => {
    const { t, admin } = await clients();
    const audience = await createAudience(testDb(), t, { active: 4, inactive: 2 });
    const id = await createScheduledCampaign(testDb(), t, { title: 'Launch day', segmentId: audience.segmentId });
    const other = await createTenant(testDb());
    const theirs = await createScheduledCampaign(testDb(), other, { title: 'Not yours' });

    const response = await admin.post(path);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      processed_count: 1,
      campaigns: [
        {
          campaign_id: id,
          organization_id: t.tenantId,
          name: 'Launch day',
          previous_status: 'scheduled',
          new_status: 'sending',
          recipients_generated: true,
          recipient_count: 4,
        },
      ],
      errors: [],
    });
    expect((await admin.get(`/api/campaigns/${id}`)).body).toMatchObject({
      status: 'sending',
      launched_by: DEFAULT_SYSTEM_USER_ID,
    });
    expect((await launchState(testDb(), other, theirs)).status).toBe('scheduled');
    expect((await admin.post(`${path}?organization_id=${t.tenantId}`)).body.processed_count).toBe(0);
  });

  it('answers 404 for another tenant’s organization_id, 422 for a malformed one, 403 below admin', async () => {
    const { member, admin } = await clients();
    const other = await createTenant(testDb());
    const theirs = await createScheduledCampaign(testDb(), other, { title: 'Not yours' });
    const foreign = await admin.post(`${path}?organization_id=${other.tenantId}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(`no organization ${other.tenantId}`);
    expect((await launchState(testDb(), other, theirs)).status).toBe('scheduled');
    const malformed = await admin.post(`${path}?organization_id=acme`);
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([{ field: 'organization_id', in: 'query', message: expect.any(String) }]);
    expect((await member.post(path)).status).toBe(403);
  });
});
