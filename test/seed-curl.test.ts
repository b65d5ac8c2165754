// The seeds' own calls, run as they wrote them with only the host and the credential placeholders
// replaced: the curl commands (seeds 002 and 003) through the real curl binary, and the pg_cron
// jobs' net.http_post calls (seed 000) as the equivalent curl with the same headers and bodies.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { createAudience, createScheduledCampaign } from './support/runner-world.ts';
import { createTenant, pauseScaleSuggestWorld } from './support/scenario.ts';
import { startTestApi, TEST_INTERNAL_SECRET, type TestApi } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const run = promisify(execFile);

// Seed 002, "Test Manual Invocation", verbatim.
const AUTONOMOUS_OPERATIONS = `curl -X POST \\
  https://anlivujgkjmajkcgbaxw.supabase.co/functions/v1/autonomous-operations \\
  -H "Authorization: Bearer YOUR_SUPABASE_ANON_KEY" \\
  -H "Content-Type: application/json"`;

// Seed 003, "Cron Job Setup", verbatim (without the crontab schedule).
const RUN_AUTOMATION = `curl -X POST https://your-domain.com/api/campaigns/run-automation \\
  -H "Authorization: Bearer YOUR_API_KEY"`;

// Seed 000's pg_cron jobs: net.http_post with these headers and bodies.
const cronCall = (
  path: string,
  body: string,
) => `curl -X POST https://nyzgsizvtqhafoxixyrd.supabase.co/functions/v1/${path} \\
  -H 'Content-Type: application/json' \\
  -H "x-internal-secret: INTERNAL_FUNCTION_SECRET" \\
  -d '${body}'`;

describe('the seeds’ calls, run as written', () => {
  const testDb = useTestDb();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(testDb());
  });
  afterAll(() => api.close());

  async function curl(command: string, replacements: Record<string, string>, target = api): Promise<unknown> {
    let text = command.replace(/https:\/\/[a-z0-9.-]+\.(?:supabase\.co|com)/g, target.url);
    for (const [placeholder, value] of Object.entries(replacements)) text = text.replaceAll(placeholder, value);
    const { stdout } = await run('bash', ['-c', text]);
    return JSON.parse(stdout);
  }

  async function adminKey() {
    const t = await createTenant(testDb());
    const { key } = await createApiKey(testDb(), t.tenantId, { name: 'seed curl', role: 'admin' });
    return { t, key };
  }

  it('autonomous-operations answers the seed’s expected response', async () => {
    const { t, key } = await adminKey();
    await pauseScaleSuggestWorld(testDb(), t);
    const body = await curl(AUTONOMOUS_OPERATIONS, { YOUR_SUPABASE_ANON_KEY: key });
    expect(body).toEqual({
      success: true,
      result: {
        success: true,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
        actions_taken: { campaigns_paused: 1, campaigns_scaled: 1, opportunities_detected: expect.any(Number) },
      },
      message: 'Autonomous operations completed successfully',
    });
  });

  it('run-automation launches the due campaigns and answers the runner’s response format', async () => {
    const { t, key } = await adminKey();
    const audience = await createAudience(testDb(), t, { active: 3 });
    const id = await createScheduledCampaign(testDb(), t, { title: 'Seed launch', segmentId: audience.segmentId });
    const body = await curl(RUN_AUTOMATION, { YOUR_API_KEY: key });
    expect(body).toEqual({
      processed_count: 1,
      campaigns: [
        {
          campaign_id: id,
          organization_id: t.tenantId,
          name: 'Seed launch',
          previous_status: 'scheduled',
          new_status: 'sending',
          recipients_generated: true,
          recipient_count: 3,
        },
      ],
      errors: [],
    });
  });

  // The cron calls run the loop over every tenant: on a database of their own, not the shared one.
  it('the pg_cron jobs’ calls run the CMO loop in their mode, and need the internal secret', async () => {
    const db = await freshDatabase();
    const own = await startTestApi(db);
    try {
      await createTenant(db);
      for (const [path, json, mode] of [
        ['cmo-optimizer-cron', '{"cron": true, "mode": "optimize"}', 'optimize'],
        ['cmo-optimizer-cron', '{"cron": true, "mode": "full"}', 'full'],
        ['cmo-cron-weekly', '{"cron": true}', 'summarize'],
      ] as const) {
        const body = await curl(cronCall(path, json), { INTERNAL_FUNCTION_SECRET: TEST_INTERNAL_SECRET }, own);
        expect(body, `${path} ${json}`).toMatchObject({ success: true, mode, tenants_processed: 1, errors: [] });
        const wrongSecret = await curl(cronCall(path, json), { INTERNAL_FUNCTION_SECRET: 'not-the-secret' }, own);
        expect(wrongSecret).toMatchObject({ status: 401 });
      }
    } finally {
      await own.close();
      await db.close();
    }
  });
});
