// The CMO loop with a gateway: the content engine rewrites underperforming copy in the brand
// voice, within the channels' limits, applied with autopilot on and suggested with it off, once
// (the rewritten copy gets time before it is judged again). The gateway is the local scripted
// OpenAI-compatible server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltinOptimizer } from '../src/agents/builtin-optimizer.ts';
import { createContentOptimizer } from '../src/agents/content-optimizer.ts';
import { createGatewayModel } from '../src/agents/gateway-model.ts';
import type { CampaignOptimizer } from '../src/agents/optimizer.ts';
import { runCmoLoop } from '../src/cmo/loop.ts';
import type { Database } from '../src/db/port.ts';
import { addStep, emailCampaign, variantRow } from './support/cmo-world.ts';
import { type OpenAiServer, startOpenAiServer } from './support/openai-server.ts';
import { actionsOf, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const BRAND_VOICE = 'plain-spoken and precise';

describe('the CMO loop rewrites underperforming copy through the content engine', () => {
  const testDb = useTestDb();
  let gateway: OpenAiServer;
  let optimizer: CampaignOptimizer;

  beforeAll(async () => {
    gateway = await startOpenAiServer();
    const model = createGatewayModel({
      baseUrl: gateway.baseUrl,
      apiKey: 'sk-loop-test',
      model: 'google/gemini-2.5-flash',
      timeouts: { firstChunkMs: 2000, chunkMs: 2000, totalMs: 10_000 },
    });
    optimizer = createContentOptimizer(createBuiltinOptimizer(), model, { now: () => NOW });
  });
  afterAll(() => gateway?.close());
  beforeEach(() => {
    gateway.requests.length = 0;
  });

  const run = (db: Database, t: TestTenant) =>
    runCmoLoop(db, t.tenantId, { mode: 'optimize', optimizer, triggeredBy: 'api', now: NOW });

  /** A campaign whose SMS step (one variant, 1 reply in 300) underperforms, beside a fresh email step. */
  async function world(db: Database, autopilot: boolean) {
    const t = await createTenant(db);
    await db.session((s) =>
      s.query(
        `INSERT INTO cmo_brand_profiles (tenant_id, workspace_id, brand_name, brand_voice, tone)
         VALUES ($1, $2, 'Acme', $3, '{clear}')`,
        [t.tenantId, t.workspaceId, BRAND_VOICE],
      ),
    );
    const campaignId = await emailCampaign(db, t, { title: 'Audit outreach', sends: 600, replies: 4, autopilot });
    const sms = await addStep(db, t, campaignId, {
      type: 'sms',
      step: 0,
      updatedDaysAgo: 30,
      variants: [{ label: 'A', sends: 300, replies: 1, smsCopy: 'Audit your pipeline now. Reply STOP to opt out.' }],
    });
    // Just as weak, but its copy changed yesterday: too soon to judge it again.
    const email = await addStep(db, t, campaignId, {
      step: 1,
      delayHours: 72,
      updatedDaysAgo: 1,
      variants: [{ label: 'A', sends: 300, replies: 1, subject: 'Checking in' }],
    });
    return { t, campaignId, smsVariant: sms.variants.A!, emailVariant: email.variants.A! };
  }

  const rewrite = (variantId: string, value: string) =>
    JSON.stringify({
      rewrites: [{ variant_id: variantId, type: 'sms_copy', value, rationale: 'Lead with the pain, not the product' }],
    });
  const NEW_SMS =
    'Forecasts nobody trusts? A 2-week Pipeline Audit fixes the data. Book: acme.example/audit Reply STOP to opt out.';

  it('applies a rewrite with autopilot on, in the ledger, and asks no more the same day', async () => {
    const db = testDb();
    const { t, smsVariant, emailVariant } = await world(db, true);
    gateway.script({ kind: 'text', text: rewrite(smsVariant, NEW_SMS) });

    const report = await run(db, t);
    expect(report.optimize).toMatchObject({ changes_applied: 1, changes_rejected: 0, failed_campaigns: [] });
    expect((await variantRow(db, t, smsVariant)).sms_copy).toBe(NEW_SMS);
    const [action] = await actionsOf(db, t);
    expect(action).toMatchObject({ action_type: 'rewrite_sms_copy', status: 'executed' });

    // One call, asking about the weak SMS only, in the brand voice, with its limit.
    expect(gateway.requests).toHaveLength(1);
    const [system, user] = gateway.requests[0]!.body.messages;
    expect(system.content).toContain(BRAND_VOICE);
    expect(system.content).toContain('SMS within 160');
    expect(user.content).toContain(smsVariant);
    expect(user.content).not.toContain(emailVariant);

    const again = await run(db, t);
    expect(again.optimize).toMatchObject({ changes_applied: 0, suggestions_created: 0 });
    expect(gateway.requests).toHaveLength(1);
  });

  it('sends an SMS over the limit back once, and stores the corrected one', async () => {
    const db = testDb();
    const { t, smsVariant } = await world(db, true);
    gateway.script(
      { kind: 'text', text: rewrite(smsVariant, `${NEW_SMS} `.repeat(2)) },
      { kind: 'text', text: rewrite(smsVariant, NEW_SMS) },
    );
    await run(db, t);
    expect(gateway.requests).toHaveLength(2);
    expect(gateway.requests[1]!.body.messages.at(-1).content).toContain('sms_copy allows 160');
    expect((await variantRow(db, t, smsVariant)).sms_copy).toBe(NEW_SMS);
  });

  it('only suggests with autopilot off, and does not suggest a second wording of the same rewrite', async () => {
    const db = testDb();
    const { t, smsVariant } = await world(db, false);
    const before = (await variantRow(db, t, smsVariant)).sms_copy;
    gateway.script(
      { kind: 'text', text: rewrite(smsVariant, NEW_SMS) },
      {
        kind: 'text',
        text: rewrite(
          smsVariant,
          'Pipeline data in five tools? Get the Audit: acme.example/audit Reply STOP to opt out.',
        ),
      },
    );
    const first = await run(db, t);
    expect(first.optimize).toMatchObject({ changes_applied: 0, suggestions_created: 1 });
    const second = await run(db, t);
    expect(second.optimize).toMatchObject({ suggestions_created: 0 });
    expect((await variantRow(db, t, smsVariant)).sms_copy).toBe(before);
    const actions = await actionsOf(db, t);
    expect(actions.map((a) => [a.action_type, a.status])).toEqual([['rewrite_sms_copy', 'pending']]);
  });

  it('reports the campaign as failed, by id, when the gateway fails (the run is retried as a job)', async () => {
    const db = testDb();
    const { t, campaignId } = await world(db, true);
    gateway.script({ kind: 'status', status: 429 });
    const report = await run(db, t);
    expect(report.optimize?.failed_campaigns).toEqual([
      { campaign_id: campaignId, error: expect.stringContaining('429') },
    ]);
  });
});
