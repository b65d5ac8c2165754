// A tenant with one row of every kind the API addresses by id (campaign, contact, segment, asset,
// variant, rule, action, opportunity, cycle, workspace, API key, agent run, social post and account,
// ad account, CMO plan and funnel; a
// message sent and an address on the suppression list), written straight to the database
// so whole-API tests (isolation, bad bodies) do not depend on the routes they test. Also a
// fingerprint of everything a tenant owns, to prove a request changed nothing.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { summaryMarkdown } from '../../src/cmo/summary-report.ts';
import { computeWeeklySummary, lastCompleteWeek, storeWeeklySummary } from '../../src/cmo/weekly-summary.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database, SqlSession } from '../../src/db/port.ts';
import { upsertAdAccount } from '../../src/db/repositories/ad-accounts.ts';
import { runCycle } from '../../src/engine/cycle.ts';
import { createCampaign, createTenant, NOW, pauseScaleSuggestWorld, type TestTenant } from './scenario.ts';
import { startTestApi, TEST_ENCRYPTION_KEY, type TestApi } from './test-api.ts';
import { useTestDb } from './test-db.ts';

export type ResourceKind =
  | 'tenant'
  | 'workspace'
  | 'campaign'
  | 'contact'
  | 'segment'
  | 'asset'
  | 'variant'
  | 'rule'
  | 'action'
  | 'opportunity'
  | 'cycle'
  | 'apiKey'
  | 'agentRun'
  | 'socialPost'
  | 'socialAccount'
  | 'adAccount'
  | 'cmoPlan'
  | 'cmoFunnel'
  | 'notificationDestination'
  | 'notificationDelivery';

export interface TenantWorld {
  t: TestTenant;
  ids: Record<ResourceKind, string>;
  /** Every id and name of the tenant's rows: none may show up in another tenant's responses. */
  secrets: string[];
}

/** Which id a route's `{id}` takes, by the path before it. */
export function resourceOfPath(path: string): ResourceKind | undefined {
  const prefixes: [RegExp, ResourceKind][] = [
    [/^\/api\/tenants\/\{id\}/, 'tenant'],
    [/^\/api\/workspaces\/\{id\}/, 'workspace'],
    [/^\/api\/campaigns\/\{id\}/, 'campaign'],
    [/^\/api\/contacts\/\{id\}/, 'contact'],
    [/^\/api\/segments\/\{id\}/, 'segment'],
    [/^\/api\/content\/assets\/\{id\}/, 'asset'],
    [/^\/api\/content\/variants\/\{id\}/, 'variant'],
    [/^\/api\/rules\/\{id\}/, 'rule'],
    [/^\/api\/actions\/\{id\}/, 'action'],
    [/^\/api\/opportunities\/\{id\}/, 'opportunity'],
    [/^\/api\/cycles\/\{id\}/, 'cycle'],
    [/^\/api\/api-keys\/\{id\}/, 'apiKey'],
    [/^\/api\/agent-runs\/\{id\}/, 'agentRun'],
    [/^\/api\/social-posts\/\{id\}/, 'socialPost'],
    [/^\/api\/social-accounts\/\{id\}/, 'socialAccount'],
    [/^\/api\/cmo-plans\/\{id\}/, 'cmoPlan'],
    [/^\/api\/cmo-funnels\/\{id\}/, 'cmoFunnel'],
    [/^\/api\/ad-accounts\/\{id\}/, 'adAccount'],
    [/^\/api\/notification-destinations\/\{id\}/, 'notificationDestination'],
    [/^\/api\/notification-deliveries\/\{id\}/, 'notificationDelivery'],
  ];
  return prefixes.find(([pattern]) => pattern.test(path))?.[1];
}

/** The schedule a route's `{name}` takes (schedules are the installation's: every world has it). */
export const SCHEDULE_NAME = 'autonomous-cycle';

/** The week every world has a stored weekly summary of (a route's `{week_start}`). */
export const SUMMARY_WEEK = lastCompleteWeek(NOW).weekStart;

/**
 * The path with its parameters filled: `{id}` with the tenant's row of its kind, `{name}` with a
 * schedule, `{week_start}` with the week of the tenant's weekly summary, `{platform}` with Meta,
 * `{provider}` with Facebook.
 */
export function pathIn(path: string, ids: Record<ResourceKind, string>): string {
  const kind = resourceOfPath(path);
  return (kind ? path.replace('{id}', ids[kind]) : path)
    .replace('{name}', SCHEDULE_NAME)
    .replace('{week_start}', SUMMARY_WEEK)
    .replace('{platform}', 'meta')
    .replace('{provider}', 'facebook');
}

const one = async (db: Database, sql: string, params: unknown[]) => {
  const [row] = await db.session((s) => s.query<{ id: string }>(sql, params));
  if (!row) throw new Error(`no row from: ${sql}`);
  return row.id;
};

export async function buildTenantWorld(db: Database, label: string): Promise<TenantWorld> {
  const t = await createTenant(db);
  const { loser } = await pauseScaleSuggestWorld(db, t);
  await runCycle(db, t.tenantId, { now: NOW });
  const contactEmail = `${label}-contact@example.com`;
  const contact = await one(
    db,
    'INSERT INTO contacts (tenant_id, email, first_name) VALUES ($1, $2, $3) RETURNING id',
    [t.tenantId, contactEmail, `${label}First`],
  );
  const segment = await one(
    db,
    'INSERT INTO segments (tenant_id, workspace_id, name) VALUES ($1, $2, $3) RETURNING id',
    [t.tenantId, t.workspaceId, `${label} segment`],
  );
  await db.session((s) =>
    s.query('INSERT INTO segment_members (tenant_id, segment_id, contact_id) VALUES ($1, $2, $3)', [
      t.tenantId,
      segment,
      contact,
    ]),
  );
  const asset = await one(
    db,
    `INSERT INTO content_assets (tenant_id, workspace_id, campaign_id, asset_type, name)
     VALUES ($1, $2, $3, 'email', $4) RETURNING id`,
    [t.tenantId, t.workspaceId, loser, `${label} asset`],
  );
  const variant = await one(
    db,
    "INSERT INTO content_variants (tenant_id, asset_id, variant_label, subject) VALUES ($1, $2, 'A', $3) RETURNING id",
    [t.tenantId, asset, `${label} subject`],
  );
  // A message of that step sent to the contact (the campaign's delivery report counts it), and the
  // contact's address on the suppression list (the list and the contact's entries show it).
  await db.session(async (s) => {
    await s.query(
      "INSERT INTO campaign_recipients (tenant_id, campaign_id, contact_id, status) VALUES ($1, $2, $3, 'sent')",
      [t.tenantId, loser, contact],
    );
    await s.query(
      `INSERT INTO campaign_messages (tenant_id, campaign_id, contact_id, step_index, asset_id, variant_id, channel, to_address, status, sent_at)
       VALUES ($1, $2, $3, 0, $4, $5, 'email', $6, 'sent', now())`,
      [t.tenantId, loser, contact, asset, variant, contactEmail],
    );
    await s.query(
      "INSERT INTO suppressions (tenant_id, channel, address, reason, note) VALUES ($1, 'email', $2, 'manual', $3)",
      [t.tenantId, contactEmail, `${label} suppression note`],
    );
  });
  // On a campaign of its own: the cycle's detectors may already hold the live row of a type on the others.
  const quiet = await createCampaign(db, t, { title: `${label} quiet`, budget: 10, hoursRunning: 1, status: 'draft' });
  const opportunity = await one(
    db,
    `INSERT INTO optimization_opportunities (tenant_id, campaign_id, opportunity_type, severity, description, suggested_action, confidence_score)
     VALUES ($1, $2, 'low_conversion', 'high', $3, 'Review the landing page', 0.9) RETURNING id`,
    [t.tenantId, quiet, `${label} opportunity`],
  );
  const rule = await one(db, 'SELECT id FROM autonomous_rules WHERE tenant_id = $1 ORDER BY priority DESC LIMIT 1', [
    t.tenantId,
  ]);
  // The pending suggestion: approving or dismissing it would change something.
  const action = await one(
    db,
    "SELECT id FROM autonomous_actions WHERE tenant_id = $1 AND status = 'pending' ORDER BY created_at LIMIT 1",
    [t.tenantId],
  );
  const cycle = await one(db, 'SELECT id FROM autonomous_cycles WHERE tenant_id = $1 LIMIT 1', [t.tenantId]);
  const { id: apiKey } = await createApiKey(db, t.tenantId, { name: `${label} key`, role: 'viewer' });
  // A finished run (the scheduler leaves it alone) of a schedule, in the tenant's run history.
  const run = await one(
    db,
    `INSERT INTO schedule_runs (tenant_id, schedule_id, tick_at, status, finished_at, error)
     SELECT $1, id, $2, 'failed', $2, $3 FROM job_schedules WHERE name = $4 RETURNING id`,
    [t.tenantId, NOW, `${label} run error`, SCHEDULE_NAME],
  );
  const agentRun = await one(
    db,
    `INSERT INTO agent_runs (tenant_id, workspace_id, agent, mode, status, input, error)
     VALUES ($1, $2, 'cmo-plan-90day', 'strategy', 'failed', $3, $4) RETURNING id`,
    [t.tenantId, t.workspaceId, JSON.stringify({ primaryGoal: `${label} goal` }), `${label} agent error`],
  );
  // A post the dispatcher gave up on, with its error (what the social posts list shows).
  const socialPost = await one(
    db,
    `INSERT INTO campaign_schedules (tenant_id, campaign_id, scheduled_for, platforms, content, status, attempts, last_error)
     VALUES ($1, $2, $3, ARRAY['facebook'], $4, 'failed', 1, $5) RETURNING id`,
    [t.tenantId, loser, NOW, JSON.stringify({ title: `${label} post title` }), `${label} post error`],
  );
  // A connected Facebook Page: disconnecting another tenant's must stop at the tenant check.
  const socialAccount = await one(
    db,
    `INSERT INTO social_accounts (tenant_id, platform, account_name, external_account_id, access_token_ciphertext)
     VALUES ($1, 'facebook', $2, $3, $4) RETURNING id`,
    [
      t.tenantId,
      `${label} page`,
      String(randomInt(1e13, 1e14)),
      createTokenCipher(TEST_ENCRYPTION_KEY).encrypt(`${label}-page-token`),
    ],
  );
  // A plan and its funnel, as the agents store them.
  const cmoPlan = await one(
    db,
    `INSERT INTO cmo_plans (tenant_id, workspace_id, name, primary_goal, budget, agent_run_id)
     VALUES ($1, $2, $3, $4, 9000, $5) RETURNING id`,
    [t.tenantId, t.workspaceId, `${label} plan`, `${label} plan goal`, agentRun],
  );
  const cmoFunnel = await one(
    db,
    `INSERT INTO cmo_funnels (tenant_id, workspace_id, plan_id, name, stages)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [t.tenantId, t.workspaceId, cmoPlan, `${label} funnel`, JSON.stringify([{ name: `${label} stage` }])],
  );
  // A connected Meta account: a call on another tenant's must stop at the tenant check, before any platform.
  // Digits as Meta's are; random, so they appear nowhere else in a response by chance.
  const externalAccountId = String(randomInt(1e13, 1e14));
  const adAccount = await db.transaction(async (s) => {
    const row = await upsertAdAccount(s, t.tenantId, {
      platform: 'meta',
      externalAccountId,
      name: `${label} ad account`,
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      credentialsCiphertext: createTokenCipher(TEST_ENCRYPTION_KEY).encrypt(
        JSON.stringify({ access_token: `${label}-token`, ad_account_id: externalAccountId }),
      ),
      settings: {},
      connectedBy: null,
    });
    return row.id;
  });
  // A webhook destination that took one event: its log and "resend" stop at the tenant check.
  const notificationDestination = await one(
    db,
    `INSERT INTO notification_destinations (tenant_id, kind, name, settings, secrets)
     VALUES ($1, 'webhook', $2, jsonb_build_object('url', 'http://127.0.0.1:9/' || $3::text), $4) RETURNING id`,
    [
      t.tenantId,
      `${label} destination`,
      label,
      createTokenCipher(TEST_ENCRYPTION_KEY).encrypt('{"signing_secret":"whsec_x"}'),
    ],
  );
  const notificationEvent = await one(
    db,
    `INSERT INTO notification_events (tenant_id, type, data) VALUES ($1, 'alert.raised', jsonb_build_object('reason', $2::text))
     RETURNING id`,
    [t.tenantId, `${label} alert`],
  );
  const notificationDelivery = await one(
    db,
    `INSERT INTO notification_deliveries (tenant_id, destination_id, event_id, cadence, status, due_at)
     VALUES ($1, $2, $3, 'immediate', 'delivered', now()) RETURNING id`,
    [t.tenantId, notificationDestination, notificationEvent],
  );
  const summary = await db.session(async (s) => {
    const week = await computeWeeklySummary(s, t.tenantId, SUMMARY_WEEK);
    await storeWeeklySummary(s, t.tenantId, week, summaryMarkdown(week), null);
    const [row] = await s.query<{ id: string }>(
      'SELECT id FROM weekly_summaries WHERE tenant_id = $1 AND week_start = $2',
      [t.tenantId, SUMMARY_WEEK],
    );
    return row!.id;
  });

  const ids = {
    tenant: t.tenantId,
    workspace: t.workspaceId,
    campaign: loser,
    contact,
    segment,
    asset,
    variant,
    rule,
    action,
    opportunity,
    cycle,
    apiKey,
    agentRun,
    socialPost,
    socialAccount,
    adAccount,
    cmoPlan,
    cmoFunnel,
    notificationDestination,
    notificationDelivery,
  };
  const campaigns = await db.session((s) =>
    s.query<{ id: string }>('SELECT id FROM campaigns WHERE tenant_id = $1', [t.tenantId]),
  );
  const secrets = [
    ...Object.values(ids),
    ...campaigns.map((c) => c.id),
    run,
    summary,
    `${label} run error`,
    contactEmail,
    `${label}First`,
    `${label} segment`,
    `${label} asset`,
    `${label} subject`,
    `${label} opportunity`,
    `${label} quiet`,
    `${label} key`,
    `${label} goal`,
    `${label} page`,
    `${label} plan`,
    `${label} funnel`,
    `${label} agent error`,
    `${label} post title`,
    `${label} post error`,
    `${label} ad account`,
    externalAccountId,
    `${label}-token`,
    `${label} suppression note`,
  ];
  return { t, ids, secrets };
}

/** Every base table with a tenant_id column, by name. */
export async function tenantTables(s: SqlSession): Promise<string[]> {
  const rows = await s.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** A digest of every row the tenant owns, table by table: equal digests, nothing changed. */
export async function tenantFingerprint(db: Database, tenantId: string): Promise<Record<string, string>> {
  return db.session(async (s) => {
    const digest: Record<string, string> = {};
    for (const table of [...(await tenantTables(s)), 'tenants']) {
      const key = table === 'tenants' ? 'id' : 'tenant_id';
      const [row] = await s.query<{ digest: string }>(
        `SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest
           FROM "${table}" x WHERE ${key} = $1`,
        [tenantId],
      );
      digest[table] = row!.digest;
    }
    return digest;
  });
}

/**
 * The whole-API tests' setting: the API on a loopback port, two tenant worlds (A calls, B must stay
 * untouched), and the paths of the OpenAPI document those tests walk route by route.
 */
export function useTwoTenantApi<Operation>() {
  const testDb = useTestDb();
  let api: TestApi;
  let a: TenantWorld;
  let b: TenantWorld;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    api = await startTestApi(testDb());
    a = await buildTenantWorld(testDb(), 'alpha');
    b = await buildTenantWorld(testDb(), 'bravo');
    paths = ((await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: typeof paths }).paths;
  });
  afterAll(() => api.close());
  return { db: testDb, api: () => api, a: () => a, b: () => b, paths: () => paths };
}
