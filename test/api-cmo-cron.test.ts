// The seed's cron entries for the CMO loop over real HTTP, on a database of their own (they run
// over every tenant), plus the scheduled tasks that run the same loop per tenant, and the
// variant-stats ingestion the loop judges variants by.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { findTask } from '../src/jobs/tasks.ts';
import { addStep, emailCampaign } from './support/cmo-world.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { testTaskDeps } from './support/task-deps.ts';
import {
  type ApiClient,
  apiClient,
  expectFieldError,
  startTestApi,
  TEST_INTERNAL_SECRET,
  type TestApi,
  tokenFor,
} from './support/test-api.ts';

const internal = { 'x-internal-secret': TEST_INTERNAL_SECRET };

describe('the CMO loop’s cron endpoints, tasks and inputs', () => {
  let db: Database;
  let api: TestApi;
  let operator: ApiClient;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    db = await freshDatabase();
    api = await startTestApi(db);
    operator = apiClient(api, null);
    [a, b] = [await createTenant(db), await createTenant(db)];
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  /** One campaign per tenant whose variant B is clearly losing, once its counters are ingested. */
  async function losingVariant(t: TestTenant) {
    const campaignId = await emailCampaign(db, t, { title: 'Cron', sends: 60, replies: 0 });
    const step = await addStep(db, t, campaignId, { step: 0, variants: [{ label: 'A' }, { label: 'B' }] });
    const member = apiClient(api, await tokenFor(db, t.tenantId, 'member'));
    const ingest = await member.post('/api/content/variant-stats', {
      rows: [
        { variant_id: step.variants.A, sends: 3000, replies: 150, reply_delays: { '24': 140, '48': 10 } },
        { variant_id: step.variants.B, sends: 3000, replies: 30 },
      ],
    });
    expect(ingest.status, JSON.stringify(ingest.body)).toBe(200);
    return { campaignId, step, member };
  }

  it('variant-stats sets counters idempotently and refuses a batch with an unknown variant whole', async () => {
    const { step, member } = await losingVariant(a);
    const variant = await member.get(`/api/content/variants/${step.variants.A}`);
    expect(variant.body.stats).toMatchObject({ sends: 3000, replies: 150, reply_delays: { '24': 140, '48': 10 } });
    const stranger = await losingVariant(b);
    const refused = await member.post('/api/content/variant-stats', {
      rows: [
        { variant_id: step.variants.A, sends: 1 },
        { variant_id: stranger.step.variants.A, sends: 1 },
      ],
    });
    expectFieldError(refused, 'rows.1.variant_id');
    expect((await member.get(`/api/content/variants/${step.variants.A}`)).body.stats.sends).toBe(3000);
    expectFieldError(
      await member.post('/api/content/variant-stats', {
        rows: [{ variant_id: step.variants.A, reply_delays: { '3': 1 } }],
      }),
      'rows.0.reply_delays.3',
    );
    const viewer = apiClient(api, await tokenFor(db, a.tenantId, 'viewer'));
    expect((await viewer.post('/api/content/variant-stats', { rows: [] })).status).toBe(403);
  });

  it('cmo-optimizer-cron runs the mode it is given for every tenant, once per day', async () => {
    const losers = () =>
      db.session((s) => s.query<{ status: string }>("SELECT status FROM content_variants WHERE variant_label = 'B'"));
    expect((await losers()).map((v) => v.status)).toEqual(['active', 'active']);
    const response = await operator.post('/functions/v1/cmo-optimizer-cron', { cron: true, mode: 'full' }, internal);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: true, mode: 'full', tenants_processed: 2, errors: [] });
    const mine = response.body.results.find((r: { tenant_id: string }) => r.tenant_id === a.tenantId);
    expect(mine).toMatchObject({
      mode: 'full',
      status: 'completed',
      campaigns_optimized: 1,
      variants_killed: 1,
      underperforming_alerts: 1,
      summary: null,
    });
    expect((await losers()).map((v) => v.status)).toEqual(['killed', 'killed']);
    const again = await operator.post('/functions/v1/cmo-optimizer-cron', { cron: true, mode: 'full' }, internal);
    expect(again.body.results.map((r: { variants_killed: number }) => r.variants_killed)).toEqual([0, 0]);
    expect((await operator.post('/functions/v1/cmo-optimizer-cron', { cron: true }, {})).status).toBe(401);
  });

  it('cmo-cron-weekly, with the seed’s body, writes each tenant’s weekly summary', async () => {
    const response = await operator.post('/functions/v1/cmo-cron-weekly', { cron: true }, internal);
    expect(response.status).toBe(200);
    expect(response.body.mode).toBe('summarize');
    expect(response.body.results.map((r: { summary: { created: boolean } }) => r.summary.created)).toEqual([
      true,
      true,
    ]);
  });

  it('the scheduled tasks run the loop per tenant and fail a run in which a campaign failed', async () => {
    const t = await createTenant(db);
    const deps = testTaskDeps(db);
    const daily = await findTask('cmo-loop')!.run(deps, t.tenantId, { mode: 'full' });
    expect(daily).toMatchObject({ tenant_id: t.tenantId, mode: 'full', status: 'completed' });
    const weekly = await findTask('cmo-weekly-summary')!.run(deps, t.tenantId, {});
    expect(weekly).toMatchObject({ mode: 'summarize', summary: { created: true } });
    const failing = { ...deps, optimizer: { provider: 'broken', model: null, optimize: async () => ({ nope: 1 }) } };
    await emailCampaign(db, t, { title: 'Any', sends: 1, replies: 0 });
    await expect(findTask('cmo-loop')!.run(failing, t.tenantId, { mode: 'optimize' })).rejects.toThrow(
      /CMO loop run .* failed: 1 of 1 campaigns failed/,
    );
  });
});
