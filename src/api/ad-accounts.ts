// A tenant's ad accounts on Meta and Google Ads: connect (the platform is asked first; a refusal
// stores nothing and answers in its words), list, read, test again, disconnect. Credentials go in
// and never come out.
import { z } from 'zod';
import { googleAdsCredentials, metaCredentials, taggedCredentials } from '../ads/credentials.ts';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import type { AdOAuthConfig } from '../ads/oauth-config.ts';
import {
  adAccountList,
  adAccountRecord,
  adAccountSettings,
  adAccountSyncResult,
  campaignImport,
  connectionTest,
} from '../contract/ad-accounts.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import {
  connectAdAccount,
  disconnectAdAccount,
  getAdAccount,
  listAdAccounts,
  testAdAccount,
} from '../services/ad-accounts.ts';
import { importAdAccountCampaigns } from '../services/ad-campaign-import.ts';
import { MAX_SYNC_DAYS, syncAdAccount } from '../services/ad-sync.ts';
import type { ApiRouter } from './router.ts';
import { idParams, isoDate, uuid } from './schemas.ts';

export interface AdAccountRouteDeps {
  adPlatforms: { endpoints: AdPlatformEndpoints; cipher: TokenCipher; oauth?: AdOAuthConfig };
}

const settings = adAccountSettings.default({ attribution_window_days: 7 });

const connectBody = z.discriminatedUnion('platform', [
  z.strictObject({ platform: z.literal('meta'), credentials: metaCredentials, settings }),
  z.strictObject({ platform: z.literal('google_ads'), credentials: googleAdsCredentials, settings }),
]);

export function adAccountRoutes(api: ApiRouter, deps: AdAccountRouteDeps): void {
  const tag = 'Ad accounts';

  api.tenant(
    {
      method: 'get',
      path: '/api/ad-accounts',
      tag,
      summary: 'List the tenant’s ad accounts, oldest first',
      access: 'viewer',
      responses: { 200: { description: 'The ad accounts', schema: adAccountList } },
    },
    async ({ c, db, principal }) => c.json({ data: await listAdAccounts(db, principal.tenantId) }),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/ad-accounts/{id}',
      tag,
      summary: 'Read an ad account',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The ad account', schema: adAccountRecord } },
    },
    async ({ c, db, principal, params }) => c.json(await getAdAccount(db, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/ad-accounts',
      tag,
      summary: 'Connect an ad account on Meta or Google Ads',
      description:
        'The platform is asked for the account first: its name, currency and time zone are stored with the credentials (encrypted). A refusal answers 422 in the platform’s words and stores nothing; a platform that cannot be reached answers 502. Connecting an account again replaces its credentials and settings.',
      access: 'admin',
      body: connectBody,
      responses: { 201: { description: 'The connected account', schema: adAccountRecord } },
    },
    async ({ c, db, principal, body }) => {
      const account = await connectAdAccount(db, deps.adPlatforms, principal.tenantId, {
        credentials: taggedCredentials(body),
        settings: body.settings,
        connectedBy: principal.userId,
      });
      return c.json(account, 201, { location: `/api/ad-accounts/${account.id}` });
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/ad-accounts/{id}/test',
      tag,
      summary: 'Test an ad account’s connection',
      description:
        'Asks the platform for the account again. ok is true with its name and currency as they are now, or false with the platform’s error in words; a refused token marks the account needs_reconnect.',
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'What the platform answered', schema: connectionTest } },
    },
    async ({ c, db, principal, params }) =>
      c.json(await testAdAccount(db, deps.adPlatforms, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/ad-accounts/{id}/import',
      tag,
      summary: 'Import the account’s campaigns',
      description:
        'Each platform campaign (or Meta ad set, where the budget lives when its campaign has none) becomes a campaign linked by its external id, in the named workspace or the tenant’s first, with autopilot off until a person turns it on. Campaigns imported before are brought in line with the platform: name, currency, status, daily budget. Archived or deleted ones are not imported. A refusal by the platform answers 409 and is recorded on the account.',
      access: 'admin',
      params: idParams,
      body: z.strictObject({ workspace_id: uuid.optional() }),
      responses: { 200: { description: 'What the import did', schema: campaignImport } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(
        await importAdAccountCampaigns(db, deps.adPlatforms, principal.tenantId, params.id, {
          ...(body.workspace_id ? { workspaceId: body.workspace_id } : {}),
        }),
      ),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/ad-accounts/{id}/sync',
      tag,
      summary: 'Read the account’s stats now',
      description: `Reads the daily figures of the account’s linked campaigns from the platform into the stats (channel meta or google_ads). Without a range: the days not stored yet (a new connection’s 90-day backfill, in chunks) and the attribution window, re-read so late conversions revise their days; with from and to (days of the account’s time zone, at most ${MAX_SYNC_DAYS}): those days. Sending the same figures again changes nothing (unchanged). A refused token answers 409 and marks the account needs_reconnect; a platform rate-limited or down answers 502; either is the account’s sync.last_error.`,
      access: 'admin',
      params: idParams,
      body: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }),
      responses: { 200: { description: 'What the sync read and stored', schema: adAccountSyncResult } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(
        await syncAdAccount(db, deps.adPlatforms, principal.tenantId, params.id, {
          ...(body.from ? { from: body.from } : {}),
          ...(body.to ? { to: body.to } : {}),
        }),
      ),
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/ad-accounts/{id}',
      tag,
      summary: 'Disconnect an ad account',
      description: 'Its credentials are erased; its record, and its campaigns’ history, stay.',
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'The disconnected account', schema: adAccountRecord } },
    },
    async ({ c, db, principal, params }) => c.json(await disconnectAdAccount(db, principal.tenantId, params.id)),
  );
}
