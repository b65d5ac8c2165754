import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_USER_ID } from '../src/config.ts';
import { type RecipientProgress, runCampaignAutomation } from '../src/runner/campaign-runner.ts';
import { whileUpdatesAreRefused } from './support/refused-updates.ts';
import { createAudience, createScheduledCampaign, launchState, recipientsOf } from './support/runner-world.ts';
import { createTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const systemUserId = DEFAULT_SYSTEM_USER_ID;

describe('the campaign runner (both backends)', () => {
  const testDb = useTestDb();

  it('launches a due campaign: its active segment members become recipients, in chunks, and it is sending', async () => {
    const t = await createTenant(testDb());
    const audience = await createAudience(testDb(), t, { active: 23, inactive: 4 });
    const id = await createScheduledCampaign(testDb(), t, { title: 'Spring launch', segmentId: audience.segmentId });
    const progress: RecipientProgress[] = [];

    const result = await runCampaignAutomation(testDb(), {
      tenantId: t.tenantId,
      systemUserId,
      recipientChunk: 10,
      onProgress: (p) => progress.push(p),
    });

    expect(JSON.stringify(result)).toBe(
      JSON.stringify({
        processed_count: 1,
        campaigns: [
          {
            campaign_id: id,
            organization_id: t.tenantId,
            name: 'Spring launch',
            previous_status: 'scheduled',
            new_status: 'sending',
            recipients_generated: true,
            recipient_count: 23,
          },
        ],
        errors: [],
      }),
    );
    expect(await recipientsOf(testDb(), t, id)).toEqual([...audience.activeContactIds].sort());
    expect(progress.map((p) => p.added)).toEqual([10, 20, 23]);
    expect(progress.every((p) => p.total === 23 && p.campaign_id === id)).toBe(true);
    expect(await launchState(testDb(), t, id)).toEqual({
      status: 'sending',
      launched_by: systemUserId,
      started: true,
      version: 2,
    });
  });

  it('is idempotent: a second run launches nothing, and existing recipients are kept, not generated again', async () => {
    const t = await createTenant(testDb());
    const audience = await createAudience(testDb(), t, { active: 5 });
    const launched = await createScheduledCampaign(testDb(), t, { title: 'Once', segmentId: audience.segmentId });
    await runCampaignAutomation(testDb(), { tenantId: t.tenantId, systemUserId });
    const again = await runCampaignAutomation(testDb(), { tenantId: t.tenantId, systemUserId });
    expect(again).toEqual({ processed_count: 0, campaigns: [], errors: [] });
    expect((await launchState(testDb(), t, launched)).version).toBe(2);

    // A campaign that already has recipients (added by hand) is launched with those only.
    const bigger = await createAudience(testDb(), t, { active: 8 });
    const prepared = await createScheduledCampaign(testDb(), t, { title: 'Prepared', segmentId: bigger.segmentId });
    await testDb().session((s) =>
      s.query(
        'INSERT INTO campaign_recipients (tenant_id, campaign_id, contact_id) SELECT $1, $2, unnest($3::uuid[])',
        [t.tenantId, prepared, bigger.activeContactIds.slice(0, 3)],
      ),
    );
    const result = await runCampaignAutomation(testDb(), { tenantId: t.tenantId, systemUserId });
    expect(result.campaigns).toEqual([
      expect.objectContaining({ campaign_id: prepared, recipients_generated: false, recipient_count: 3 }),
    ]);
    expect(await recipientsOf(testDb(), t, prepared)).toHaveLength(3);
  });

  it('leaves campaigns that are not due, not scheduled, or of another tenant alone', async () => {
    const t = await createTenant(testDb());
    const other = await createTenant(testDb());
    const audience = await createAudience(testDb(), t, { active: 2 });
    const later = await createScheduledCampaign(testDb(), t, { title: 'Later', minutesFromNow: 30 });
    const draft = await createScheduledCampaign(testDb(), t, { title: 'Draft', status: 'draft' });
    const sending = await createScheduledCampaign(testDb(), t, { title: 'Sending', status: 'sending' });
    const noAudience = await createScheduledCampaign(testDb(), t, { title: 'Social only' });
    const elsewhere = await createScheduledCampaign(testDb(), other, { title: 'Other tenant' });
    const due = await createScheduledCampaign(testDb(), t, { title: 'Due', segmentId: audience.segmentId });

    const result = await runCampaignAutomation(testDb(), { tenantId: t.tenantId, systemUserId });

    expect(result.campaigns.map((c) => c.campaign_id).sort()).toEqual([due, noAudience].sort());
    expect(result.campaigns.find((c) => c.campaign_id === noAudience)).toMatchObject({
      recipients_generated: false,
      recipient_count: 0,
      new_status: 'sending',
    });
    expect((await launchState(testDb(), t, later)).status).toBe('scheduled');
    expect((await launchState(testDb(), t, draft)).status).toBe('draft');
    expect((await launchState(testDb(), t, sending)).version).toBe(1);
    expect((await launchState(testDb(), other, elsewhere)).status).toBe('scheduled');
  });

  it('reports a campaign that fails and launches the others; the failed one is left as it was', async () => {
    const t = await createTenant(testDb());
    const audience = await createAudience(testDb(), t, { active: 4 });
    const first = await createScheduledCampaign(testDb(), t, { title: 'First', segmentId: audience.segmentId });
    const broken = await createScheduledCampaign(testDb(), t, { title: 'Broken', segmentId: audience.segmentId });
    const last = await createScheduledCampaign(testDb(), t, { title: 'Last', segmentId: audience.segmentId });
    // A failure inside the launch of one campaign, after its recipients were written.
    const refusal = { table: 'campaigns' as const, id: broken, message: 'the mail provider refused the campaign' };
    await whileUpdatesAreRefused(testDb(), refusal, async () => {
      const result = await runCampaignAutomation(testDb(), { tenantId: t.tenantId, systemUserId });
      expect(result.campaigns.map((c) => c.campaign_id).sort()).toEqual([first, last].sort());
      expect(result.processed_count).toBe(2);
      expect(result.errors).toEqual([{ campaign_id: broken, error: 'the mail provider refused the campaign' }]);
      expect((await launchState(testDb(), t, broken)).status).toBe('scheduled');
      expect(await recipientsOf(testDb(), t, broken)).toEqual([]);
    });
  });

  it('runs over every tenant when no tenant is named', async () => {
    const a = await createTenant(testDb());
    const b = await createTenant(testDb());
    const inA = await createScheduledCampaign(testDb(), a, { title: 'A' });
    const inB = await createScheduledCampaign(testDb(), b, { title: 'B' });
    const result = await runCampaignAutomation(testDb(), { systemUserId });
    expect(result.campaigns.map((c) => c.campaign_id)).toEqual(expect.arrayContaining([inA, inB]));
    expect(result.campaigns.find((c) => c.campaign_id === inB)?.organization_id).toBe(b.tenantId);
  });
});
