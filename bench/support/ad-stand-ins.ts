// The local ad platforms the issue-24 benchmarks run against (simulation/ad-platforms/): a Meta
// Graph stand-in and a Google Ads stand-in on loopback in this process, one ad account on each,
// and a tenant of the bench's database with both accounts connected and their campaigns imported
// (linked), through the same services as a person's connection.
import { randomBytes } from 'node:crypto';
import { type GoogleAdsServer, startGoogleAdsServer } from '../../simulation/ad-platforms/google-ads-server.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../../simulation/ad-platforms/meta-graph-server.ts';
import type { AdCredentials } from '../../src/ads/credentials.ts';
import { type AdPlatformEndpoints, DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database } from '../../src/db/port.ts';
import { type AdAccountDeps, connectAdAccount } from '../../src/services/ad-accounts.ts';
import { importAdAccountCampaigns } from '../../src/services/ad-campaign-import.ts';
import { say } from './harness.ts';

export const META_ACCOUNT = '7000001';
export const GOOGLE_CUSTOMER = '7000000001';
export const TIME_ZONE = 'UTC';

export type BenchPlatform = 'meta' | 'google';

export interface StandIns {
  meta: MetaGraphServer;
  google: GoogleAdsServer;
  /** Where the services find the stand-ins, and the key to the accounts' credentials. */
  deps: AdAccountDeps;
  credentials: Record<BenchPlatform, AdCredentials>;
  close(): Promise<void>;
}

/**
 * Both stand-ins with their account (empty: the caller seeds them). `log` keeps every Meta call
 * with its time; `now` is the Meta stand-in's clock.
 */
export async function startStandIns(options: { log: boolean; now?: () => Date }): Promise<StandIns> {
  const metaToken = `EAAB${randomBytes(30).toString('hex')}`;
  const meta = await startMetaGraphServer({
    tokens: [metaToken],
    log: options.log,
    ...(options.now ? { now: options.now } : {}),
  });
  meta.addAdAccount({ id: META_ACCOUNT, currency: 'USD', timezoneName: TIME_ZONE });
  const google = await startGoogleAdsServer();
  google.world.addCustomer({ id: GOOGLE_CUSTOMER, currencyCode: 'USD', timeZone: TIME_ZONE });
  const endpoints: AdPlatformEndpoints = {
    ...DEFAULT_AD_PLATFORM_ENDPOINTS,
    meta: { baseUrl: meta.baseUrl, apiVersion: 'v21.0' },
    googleAds: { baseUrl: google.baseUrl, apiVersion: 'v26', oauthTokenUrl: google.tokenUrl },
    timeoutMs: 60_000,
  };
  return {
    meta,
    google,
    deps: { endpoints, cipher: createTokenCipher('cd'.repeat(32)) },
    credentials: {
      meta: { platform: 'meta', access_token: metaToken, ad_account_id: META_ACCOUNT },
      google: {
        platform: 'google_ads',
        refresh_token: google.issueRefreshToken(),
        client_id: google.clientId,
        client_secret: google.clientSecret,
        developer_token: google.developerToken,
        customer_id: GOOGLE_CUSTOMER,
      },
    },
    close: async () => {
      await meta.close();
      await google.close();
    },
  };
}

/** A tenant with both stand-in accounts connected and their campaigns imported; answers their ids. */
export async function connectedTenant(db: Database, standIns: StandIns, slug: string) {
  const tenantId = crypto.randomUUID();
  await db.session(async (s) => {
    await s.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)', [tenantId, slug]);
    await s.query("INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'main', 'Main')", [tenantId]);
  });
  const accounts: Record<BenchPlatform, string> = { meta: '', google: '' };
  for (const platform of ['meta', 'google'] as const) {
    const account = await connectAdAccount(db, standIns.deps, tenantId, {
      credentials: standIns.credentials[platform],
      settings: { attribution_window_days: 7 },
      connectedBy: null,
    });
    const imported = await importAdAccountCampaigns(db, standIns.deps, tenantId, account.id);
    say(`${platform}: ${imported.created_campaign_ids.length} campaigns imported and linked`);
    accounts[platform] = account.id;
  }
  await db.session((s) => s.exec('VACUUM ANALYZE'));
  return { tenantId, accounts };
}
