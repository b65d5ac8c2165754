// Ad accounts and linked campaigns on the local servers that speak Meta's Graph API and Google Ads'
// REST API (simulation/ad-platforms/), for the tests of decisions out and of changes made outside
// Nightshift: both servers for a file's tests, accounts stored as a connection stores them, links,
// the outbox, and the delivery worker run against the servers.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type GoogleAdsServer, startGoogleAdsServer } from '../../simulation/ad-platforms/google-ads-server.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../../simulation/ad-platforms/meta-graph-server.ts';
import { type AdPlatformEndpoints, DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database } from '../../src/db/port.ts';
import type { AdAccountDeps } from '../../src/services/ad-accounts.ts';
import { type DeliveryOptions, deliverPlatformChanges } from '../../src/services/platform-changes.ts';
import { addStats, createCampaign, steadyDays, type TestTenant } from './scenario.ts';
import { TEST_ENCRYPTION_KEY } from './test-api.ts';

export const META_TOKEN = `EAAB${'o'.repeat(60)}`;
// The test API's key, so its routes read these accounts too.
const cipher = createTokenCipher(TEST_ENCRYPTION_KEY);

export interface AdServers {
  meta: MetaGraphServer;
  google: GoogleAdsServer;
  endpoints: AdPlatformEndpoints;
  /** What the services that call the platforms need (the accounts below are encrypted with its cipher). */
  deps: AdAccountDeps;
}

/** Both servers for the file's tests, their scripts and call logs reset before each test. */
export function useAdServers(): () => AdServers {
  let servers: AdServers | undefined;
  beforeAll(async () => {
    const meta = await startMetaGraphServer({ tokens: [META_TOKEN] });
    const google = await startGoogleAdsServer();
    const endpoints = {
      ...DEFAULT_AD_PLATFORM_ENDPOINTS,
      meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
      googleAds: { baseUrl: google.baseUrl, apiVersion: 'v26', oauthTokenUrl: google.tokenUrl },
      timeoutMs: 5_000,
    };
    servers = { meta, google, endpoints, deps: { endpoints, cipher } };
  });
  beforeEach(() => {
    servers?.meta.resetScripts();
    servers?.google.resetCalls();
  });
  afterAll(async () => {
    await servers?.meta.close();
    await servers?.google.close();
  });
  return () => {
    if (!servers) throw new Error('the ad platform servers are not started yet');
    return servers;
  };
}

export interface LinkTarget {
  kind: string;
  externalId: string;
  budgetId?: string;
  status: string;
  budget: bigint;
}

/** The helpers of a file's world: `db` and `servers` are read when a helper is called. */
export function adWorld(db: () => Database, servers: () => AdServers) {
  const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

  async function insertAccount(
    t: TestTenant,
    platform: 'meta' | 'google_ads',
    externalId: string,
    credentials: object,
  ): Promise<string> {
    const [row] = await db().session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO ad_accounts (tenant_id, platform, external_account_id, name, currency, credentials_ciphertext)
         VALUES ($1, $2, $3, 'Test account', 'USD', $4) RETURNING id`,
        [t.tenantId, platform, externalId, cipher.encrypt(JSON.stringify(credentials))],
      ),
    );
    return row!.id;
  }

  async function metaAccount(t: TestTenant) {
    const externalId = digits(12);
    servers().meta.addAdAccount({ id: externalId, currency: 'USD' });
    const id = await insertAccount(t, 'meta', externalId, { access_token: META_TOKEN, ad_account_id: externalId });
    return { id, externalId };
  }

  async function googleAccount(t: TestTenant) {
    const { google } = servers();
    const customerId = `9${digits(9)}`;
    google.world.addCustomer({ id: customerId, currencyCode: 'USD' });
    const refreshToken = google.issueRefreshToken();
    const id = await insertAccount(t, 'google_ads', customerId, {
      refresh_token: refreshToken,
      client_id: google.clientId,
      client_secret: google.clientSecret,
      developer_token: google.developerToken,
      customer_id: customerId,
    });
    return { id, customerId, refreshToken };
  }

  async function link(t: TestTenant, campaignId: string, accountId: string, target: LinkTarget) {
    await db().session((s) =>
      s.query(
        `INSERT INTO campaign_platform_links (tenant_id, campaign_id, ad_account_id, external_kind, external_id, budget_id,
                                              platform_status, platform_daily_budget)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          t.tenantId,
          campaignId,
          accountId,
          target.kind,
          target.externalId,
          target.budgetId ?? null,
          target.status,
          target.budget.toString(),
        ],
      ),
    );
  }

  /** An active campaign linked to an active Meta campaign of the same daily budget. */
  async function linkedMetaCampaign(t: TestTenant, account: { id: string; externalId: string }, budget: number) {
    const campaignId = await createCampaign(db(), t, { budget, hoursRunning: 72 });
    const minor = BigInt(budget * 100);
    const object = servers().meta.addCampaign(account.externalId, { status: 'ACTIVE', dailyBudget: String(minor) });
    await link(t, campaignId, account.id, {
      kind: 'meta_campaign',
      externalId: object.id,
      status: 'ACTIVE',
      budget: minor,
    });
    return { campaignId, objectId: object.id };
  }

  /** A campaign the cycle pauses alone (ROI 0.25 on 30 orders), linked to a Meta campaign with a daily budget of 200. */
  async function metaLoser(t: TestTenant, on?: { id: string; externalId: string }) {
    const account = on ?? (await metaAccount(t));
    const linked = await linkedMetaCampaign(t, account, 200);
    await addStats(db(), t, linked.campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    return { account, ...linked };
  }

  /** The same, linked to a Google Ads campaign with a budget of its own of 200. */
  async function googleLoser(t: TestTenant, on?: { id: string; customerId: string }) {
    const account = on ?? (await googleAccount(t));
    const campaignId = await createCampaign(db(), t, { budget: 200, hoursRunning: 72 });
    await addStats(db(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    const g = servers().google.world.addCampaign(account.customerId, { status: 'ENABLED', budgetMicros: 200_000_000n });
    await link(t, campaignId, account.id, {
      kind: 'google_campaign',
      externalId: g.id,
      budgetId: g.budgetId,
      status: 'ENABLED',
      budget: 200_000_000n,
    });
    return { account, campaignId, googleId: g.id };
  }

  /** A campaign the cycle scales from 100 to 150 (ROI 3.5); not linked. */
  async function winner(t: TestTenant) {
    const campaignId = await createCampaign(db(), t, { budget: 100, hoursRunning: 96 });
    await addStats(db(), t, campaignId, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    return campaignId;
  }

  /** The delivery worker's options for a run at `at`, with no jitter. */
  const deliveryOptions = (
    t: TestTenant,
    at: Date = new Date(),
    extra: Partial<DeliveryOptions> = {},
  ): DeliveryOptions => ({
    tenantId: t.tenantId,
    ...servers().deps,
    now: () => at,
    random: () => 1,
    ...extra,
  });
  /** One claim of the delivery worker at `at`. */
  const deliver = (t: TestTenant, at?: Date, extra?: Partial<DeliveryOptions>) =>
    deliverPlatformChanges(db(), deliveryOptions(t, at, extra));

  /** The tenant's outbox, oldest first. */
  const outboxOf = (t: TestTenant) =>
    db().session((s) =>
      s.query<{
        id: string;
        action_id: string;
        field: string;
        from_value: string | null;
        to_value: string;
        status: string;
        attempts: number;
        next_attempt_at: Date;
        last_error: string | null;
        undoes_action_id: string | null;
      }>('SELECT * FROM platform_changes WHERE tenant_id = $1 ORDER BY created_at, id', [t.tenantId]),
    );

  return {
    metaAccount,
    googleAccount,
    link,
    linkedMetaCampaign,
    metaLoser,
    googleLoser,
    winner,
    deliver,
    deliveryOptions,
    outboxOf,
  };
}
