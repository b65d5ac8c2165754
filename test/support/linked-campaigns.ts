// Campaigns linked to ad accounts on local servers that speak Meta's Graph API and Google Ads' REST
// API: the servers (started once per file), accounts written straight to the database with their
// credentials encrypted, and campaigns the cycle pauses or scales, each linked to a platform object.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type GoogleAdsServer, startGoogleAdsServer } from '../../simulation/ad-platforms/google-ads-server.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../../simulation/ad-platforms/meta-graph-server.ts';
import { type AdPlatformEndpoints, DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database } from '../../src/db/port.ts';
import { addStats, createCampaign, steadyDays, type TestTenant } from './scenario.ts';
import { TEST_ENCRYPTION_KEY } from './test-api.ts';

export const META_TOKEN = `EAAB${'o'.repeat(60)}`;

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export interface PlatformTarget {
  kind: string;
  externalId: string;
  budgetId?: string;
  status: string;
  budget: bigint;
}

export function useLinkedCampaigns(testDb: () => Database) {
  // The test API's key (test/support/test-api.ts), so its routes read these accounts too.
  const cipher = createTokenCipher(TEST_ENCRYPTION_KEY);
  let meta: MetaGraphServer;
  let google: GoogleAdsServer;
  let endpoints: AdPlatformEndpoints;

  beforeAll(async () => {
    meta = await startMetaGraphServer({ tokens: [META_TOKEN] });
    google = await startGoogleAdsServer();
    endpoints = {
      ...DEFAULT_AD_PLATFORM_ENDPOINTS,
      meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
      googleAds: { baseUrl: google.baseUrl, apiVersion: 'v26', oauthTokenUrl: google.tokenUrl },
      timeoutMs: 5_000,
    };
  });
  afterAll(async () => {
    await meta?.close();
    await google?.close();
  });

  async function insertAccount(
    t: TestTenant,
    platform: 'meta' | 'google_ads',
    externalId: string,
    credentials: object,
  ) {
    const [row] = await testDb().session((s) =>
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
    meta.addAdAccount({ id: externalId, currency: 'USD' });
    const id = await insertAccount(t, 'meta', externalId, { access_token: META_TOKEN, ad_account_id: externalId });
    return { id, externalId };
  }

  async function googleAccount(t: TestTenant) {
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

  async function link(t: TestTenant, campaignId: string, accountId: string, target: PlatformTarget) {
    await testDb().session((s) =>
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

  /** A campaign the cycle pauses alone (ROI 0.25 on 30 orders), linked to a Meta campaign. */
  async function metaLoser(t: TestTenant, on?: { id: string; externalId: string }) {
    const account = on ?? (await metaAccount(t));
    const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    const object = meta.addCampaign(account.externalId, { status: 'ACTIVE', dailyBudget: '20000' });
    await link(t, campaignId, account.id, {
      kind: 'meta_campaign',
      externalId: object.id,
      status: 'ACTIVE',
      budget: 20000n,
    });
    return { account, campaignId, objectId: object.id };
  }

  /** The same, linked to a Google Ads campaign with a budget of its own. */
  async function googleLoser(t: TestTenant, on?: { id: string; customerId: string }) {
    const account = on ?? (await googleAccount(t));
    const campaignId = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, campaignId, steadyDays(3, { spend: 400, revenue: 100 }));
    const g = google.world.addCampaign(account.customerId, { status: 'ENABLED', budgetMicros: 200_000_000n });
    await link(t, campaignId, account.id, {
      kind: 'google_campaign',
      externalId: g.id,
      budgetId: g.budgetId,
      status: 'ENABLED',
      budget: 200_000_000n,
    });
    return { account, campaignId, googleId: g.id };
  }

  return {
    cipher,
    meta: () => meta,
    google: () => google,
    endpoints: () => endpoints,
    metaAccount,
    googleAccount,
    link,
    metaLoser,
    googleLoser,
  };
}
