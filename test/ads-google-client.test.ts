// The Google Ads REST client against the local stand-in (simulation/ad-platforms): OAuth (the
// consent URL, the code exchange, refreshed and cached access tokens), the customer, campaigns,
// daily stats streamed over several batches with exact int64 micros, status and budget changes
// read back, dry runs, partial failures per operation, each class of error, a timeout, and no
// secret in any error message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleAdsServer, startGoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import { createGoogleAdsClient, type GoogleAdsClient } from '../src/ads/google/client.ts';
import {
  GoogleAdsAuthError,
  GoogleAdsError,
  GoogleAdsRateLimitedError,
  GoogleAdsRejectedError,
  GoogleAdsUnavailableError,
} from '../src/ads/google/errors.ts';
import { jsonArrayElements } from '../src/ads/google/json-array-stream.ts';
import { ADWORDS_SCOPE } from '../src/ads/google/settings.ts';
import { plainDecimal } from '../src/ads/google/values.ts';

const CUSTOMER = '1234567890';
const MANAGED = '5550001111';
const MANAGER = '9990001111';
const TWO_53 = 2n ** 53n;

let server: GoogleAdsServer;
/** Every error any test saw: none may carry a secret. */
const seen: unknown[] = [];
/** Every secret any call sent. */
const secrets = new Set<string>();

function keepSecrets(): void {
  secrets.add(server.clientSecret);
  secrets.add(server.developerToken);
  for (const call of server.calls) {
    const bearer = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    if (bearer) secrets.add(bearer);
    for (const field of ['refresh_token', 'code', 'client_secret']) {
      const value = call.body[field];
      if (typeof value === 'string') secrets.add(value);
    }
  }
}

function clientAt(overrides: { now?: () => number; timeoutMs?: number } = {}): GoogleAdsClient {
  return createGoogleAdsClient({
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    developerToken: server.developerToken,
    baseUrl: server.baseUrl,
    apiVersion: 'v26',
    tokenUrl: server.tokenUrl,
    authorizationUrl: server.authorizationUrl,
    ...overrides,
  });
}

/** The error `promise` rejects with, kept for the secrets check. */
async function failure(promise: Promise<unknown>): Promise<GoogleAdsError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  seen.push(error);
  expect(error).toBeInstanceOf(GoogleAdsError);
  return error as GoogleAdsError;
}

beforeAll(async () => {
  server = await startGoogleAdsServer({ batchSize: 3 });
  server.world.addCustomer({
    id: CUSTOMER,
    descriptiveName: 'Acme Shoes',
    currencyCode: 'EUR',
    timeZone: 'Europe/Paris',
  });
  server.world.addCustomer({ id: MANAGER, descriptiveName: 'Acme Agency' });
  server.world.addCustomer({ id: MANAGED, descriptiveName: 'Managed client', managerId: MANAGER });
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  keepSecrets();
  server.resetCalls();
});

describe('OAuth', () => {
  it('builds the consent URL for offline access to the adwords scope', () => {
    const url = new URL(clientAt().authorizationUrl({ redirectUri: 'https://nightshift.test/callback', state: 's-1' }));
    expect(`${url.origin}${url.pathname}`).toBe(server.authorizationUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: server.clientId,
      redirect_uri: 'https://nightshift.test/callback',
      response_type: 'code',
      scope: ADWORDS_SCOPE,
      access_type: 'offline',
      prompt: 'consent',
      state: 's-1',
    });
  });

  it('exchanges the code for a refresh token, and its access token serves the first call', async () => {
    const client = clientAt();
    const redirectUri = 'https://nightshift.test/callback';
    const consent = await fetch(client.authorizationUrl({ redirectUri, state: 'xyz' }), { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code')!;

    const grant = await client.exchangeCode({ code, redirectUri });
    expect(grant.refreshToken).toMatch(/^1\/\//);
    expect(grant.scope).toBe(ADWORDS_SCOPE);
    const [exchange] = server.callsOf('token');
    expect(exchange!.body).toMatchObject({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: server.clientId,
      client_secret: server.clientSecret,
    });

    await client.account({ refreshToken: grant.refreshToken, customerId: CUSTOMER }).getCustomer();
    expect(server.callsOf('token')).toHaveLength(1);

    // A code serves once.
    const reused = await failure(client.exchangeCode({ code, redirectUri }));
    expect(reused).toBeInstanceOf(GoogleAdsAuthError);
    expect(reused.message).toContain('invalid_grant');
  });

  it('refreshes an access token once, reuses it, and refreshes it again shortly before it expires', async () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const client = clientAt({ now: () => now });
    const refreshToken = server.issueRefreshToken();
    const account = client.account({ refreshToken, customerId: CUSTOMER });

    await Promise.all([account.getCustomer(), account.getCustomer(), account.listCampaigns()]);
    expect(server.callsOf('token')).toHaveLength(1);
    expect(server.callsOf('token')[0]!.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: server.clientId,
      client_secret: server.clientSecret,
    });

    now += 3599_000 - 61_000; // just before the margin: still cached
    await account.getCustomer();
    expect(server.callsOf('token')).toHaveLength(1);
    now += 2_000; // within a minute of expiry: refreshed
    await account.getCustomer();
    expect(server.callsOf('token')).toHaveLength(2);
    const [first, second] = server.callsOf('searchStream').map((call) => call.headers.authorization);
    expect(first).not.toBe(server.callsOf('searchStream').at(-1)!.headers.authorization);
    expect(second).toBe(first);
  });

  it('sends the bearer token, the developer token, and login-customer-id when the account is managed', async () => {
    const client = clientAt();
    const refreshToken = server.issueRefreshToken();
    const managed = client.account({ refreshToken, customerId: '555-000-1111', loginCustomerId: '999-000-1111' });
    expect(await managed.getCustomer()).toEqual({
      id: MANAGED,
      name: 'Managed client',
      currency: 'USD',
      timeZone: 'America/New_York',
    });
    const [call] = server.callsOf('searchStream');
    expect(call!.headers.authorization).toMatch(/^Bearer ya29\./);
    expect(call!.headers['developer-token']).toBe(server.developerToken);
    expect(call!.headers['login-customer-id']).toBe(MANAGER);
    expect(call!.path).toBe(`/v26/customers/${MANAGED}/googleAds:searchStream`);

    const direct = await failure(client.account({ refreshToken, customerId: MANAGED }).getCustomer());
    expect(direct).toBeInstanceOf(GoogleAdsAuthError);
    expect((direct as GoogleAdsAuthError).code).toBe('USER_PERMISSION_DENIED');
    expect(direct.message).toContain("must be set in the 'login-customer-id' header");
    expect(server.callsOf('searchStream')[1]!.headers['login-customer-id']).toBeUndefined();
  });
});

describe('reads', () => {
  it('reads the customer: id, name, currency and time zone', async () => {
    const account = clientAt().account({ refreshToken: server.issueRefreshToken(), customerId: '123-456-7890' });
    expect(await account.getCustomer()).toEqual({
      id: CUSTOMER,
      name: 'Acme Shoes',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
    });
    expect(server.callsOf('searchStream')[0]!.gaql).toBe(
      'SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer',
    );
  });

  it('lists the campaigns that are not removed, with their budgets, over several batches', async () => {
    const customerId = '2000000001';
    server.world.addCustomer({ id: customerId });
    const made = [
      server.world.addCampaign(customerId, { name: 'Brand "{summer}" [sale]', budgetMicros: 25_000_000n }),
      server.world.addCampaign(customerId, { name: 'Generic', status: 'PAUSED', budgetMicros: TWO_53 + 10_000n }),
      server.world.addCampaign(customerId, { name: 'Old', status: 'REMOVED' }),
    ];
    for (let i = 0; i < 4; i++) server.world.addCampaign(customerId, { name: `More ${i}` });
    const account = clientAt().account({ refreshToken: server.issueRefreshToken(), customerId });

    const campaigns = await account.listCampaigns();
    expect(campaigns).toHaveLength(6);
    expect(campaigns.map((c) => c.name)).not.toContain('Old');
    expect(campaigns[0]!.name).toBe('Brand "{summer}" [sale]');
    expect(campaigns[1]).toEqual({
      id: made[1]!.id,
      name: 'Generic',
      status: 'PAUSED',
      resourceName: `customers/${customerId}/campaigns/${made[1]!.id}`,
      budget: {
        id: made[1]!.budgetId,
        resourceName: `customers/${customerId}/campaignBudgets/${made[1]!.budgetId}`,
        amountMicros: TWO_53 + 10_000n,
      },
    });
    expect(server.callsOf('searchStream')[0]!.batches).toBe(2);
    expect(server.callsOf('searchStream')[0]!.gaql).toContain("WHERE campaign.status != 'REMOVED'");
  });

  it('streams daily stats over several batches with exact micros beyond 2^53', async () => {
    const customerId = '2000000002';
    server.world.addCustomer({ id: customerId });
    const campaigns = [server.world.addCampaign(customerId), server.world.addCampaign(customerId)];
    const days = ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'];
    const costs = new Map<string, bigint>();
    campaigns.forEach((campaign, c) => {
      days.forEach((date, d) => {
        const costMicros = TWO_53 + BigInt(c * 1000 + d * 7 + 1); // not representable as a double
        costs.set(`${campaign.id} ${date}`, costMicros);
        server.world.setStat(customerId, campaign.id, {
          date,
          costMicros,
          impressions: 1000 + d,
          clicks: 10 + c,
          conversions: 1.5 + d,
          conversionsValue: 1234.56 + d / 100,
        });
      });
    });
    const account = clientAt().account({ refreshToken: server.issueRefreshToken(), customerId });

    const batches: number[] = [];
    const rows = [];
    for await (const batch of account.streamDailyStats({ from: '2026-11-30', to: '2026-12-02' })) {
      batches.push(batch.length);
      rows.push(...batch);
    }
    expect(batches).toEqual([3, 3]);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.costMicros).toBe(costs.get(`${row.campaignId} ${row.date}`));
      expect(row.costMicros > TWO_53).toBe(true);
    }
    expect(rows.map((row) => row.date).sort()).toEqual([
      '2026-11-30',
      '2026-11-30',
      '2026-12-01',
      '2026-12-01',
      '2026-12-02',
      '2026-12-02',
    ]);
    const first = rows.find((row) => row.campaignId === campaigns[0]!.id && row.date === '2026-12-01')!;
    expect(first).toEqual({
      campaignId: campaigns[0]!.id,
      date: '2026-12-01',
      costMicros: TWO_53 + 15n,
      impressions: 1002,
      clicks: 10,
      conversions: '3.5',
      conversionsValue: '1234.58',
    });
    const total = rows.reduce((sum, row) => sum + row.costMicros, 0n);
    expect(total).toBe(
      [...costs.entries()].filter(([key]) => !/11-29|12-03/.test(key)).reduce((s, [, v]) => s + v, 0n),
    );
    expect(server.callsOf('searchStream')[0]!.gaql).toBe(
      'SELECT campaign.id, segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks, ' +
        "metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '2026-11-30' AND '2026-12-02'",
    );
    // The same rows, at once.
    expect(await account.dailyStats({ from: '2026-11-30', to: '2026-12-02' })).toEqual(rows);
  });

  it('reads a stream cut anywhere, braces, brackets and quotes inside strings included', async () => {
    const batches = [
      { results: [{ campaign: { id: '1', name: 'Brand {"summer"} [sale] \\ ok' } }], fieldMask: 'campaign.id' },
      { results: [{ campaign: { id: '2', name: '}]\\"[{' } }], requestId: 'r' },
      { fieldMask: 'campaign.id' },
    ];
    const text = ` [ ${batches.map((b) => JSON.stringify(b)).join(' ,\n')} ] `;
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut));
          controller.close();
        },
      });
      const read = [];
      for await (const element of jsonArrayElements(body)) read.push(element);
      expect(read).toEqual(batches);
    }
    const cutOff = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 40));
        controller.close();
      },
    });
    const readAll = async () => {
      for await (const _ of jsonArrayElements(cutOff)) {
        // read to the end
      }
    };
    await expect(readAll()).rejects.toThrow(SyntaxError);
  });

  it('writes doubles as plain decimals', () => {
    expect(plainDecimal('1.5e-7')).toBe('0.00000015');
    expect(plainDecimal('1e+21')).toBe('1000000000000000000000');
    expect(plainDecimal('1.2345e+3')).toBe('1234.5');
    expect(plainDecimal('-2.5e-1')).toBe('-0.25');
    expect(plainDecimal('1234.56')).toBe('1234.56');
  });

  it('refuses a date range that is not dates, without calling', async () => {
    const account = clientAt().account({ refreshToken: server.issueRefreshToken(), customerId: CUSTOMER });
    const error = await failure(account.dailyStats({ from: "2026-01-01' OR '1'='1", to: '2026-01-31' }));
    expect(error).toBeInstanceOf(GoogleAdsRejectedError);
    expect(server.callsOf('searchStream')).toHaveLength(0);
  });

  it('holds 10,000 campaigns × 30 days and streams them all', async () => {
    const big = await startGoogleAdsServer();
    try {
      big.world.addCustomer({ id: '3000000001' });
      big.world.seed('3000000001', { campaigns: 10_000, days: 30, lastDate: '2026-12-06' });
      const expected = [...big.world.customer('3000000001').stats.values()]
        .flat()
        .reduce((sum, stat) => sum + stat.costMicros, 0n);
      const client = createGoogleAdsClient({
        clientId: big.clientId,
        clientSecret: big.clientSecret,
        developerToken: big.developerToken,
        baseUrl: big.baseUrl,
        tokenUrl: big.tokenUrl,
      });
      const account = client.account({ refreshToken: big.issueRefreshToken(), customerId: '3000000001' });
      let rows = 0;
      let cost = 0n;
      for await (const batch of account.streamDailyStats({ from: '2026-11-07', to: '2026-12-06' })) {
        rows += batch.length;
        for (const row of batch) cost += row.costMicros;
      }
      expect(rows).toBe(300_000);
      expect(cost).toBe(expected);
      // Streamed as Google does, 10,000 rows a batch (the time it takes is bench:sync's to measure).
      expect(big.callsOf('searchStream')[0]!.batches).toBe(30);
    } finally {
      await big.close();
    }
  });
});

describe('changes', () => {
  const customerId = '2000000003';
  let client: GoogleAdsClient;
  let refreshToken: string;

  beforeAll(() => {
    server.world.addCustomer({ id: customerId });
    client = clientAt();
    refreshToken = server.issueRefreshToken();
  });

  it('pauses and enables campaigns, read back', async () => {
    const a = server.world.addCampaign(customerId);
    const b = server.world.addCampaign(customerId, { status: 'PAUSED' });
    const account = client.account({ refreshToken, customerId });

    const result = await account.setCampaignStatuses([
      { campaignId: a.id, status: 'PAUSED' },
      { campaignId: b.id, status: 'ENABLED' },
    ]);
    expect(result).toEqual({
      validateOnly: false,
      operations: [
        { index: 0, ok: true, resourceName: `customers/${customerId}/campaigns/${a.id}` },
        { index: 1, ok: true, resourceName: `customers/${customerId}/campaigns/${b.id}` },
      ],
      otherErrors: [],
    });
    expect(server.callsOf('campaigns:mutate')[0]!.body).toEqual({
      operations: [
        {
          update: { resourceName: `customers/${customerId}/campaigns/${a.id}`, status: 'PAUSED' },
          updateMask: 'status',
        },
        {
          update: { resourceName: `customers/${customerId}/campaigns/${b.id}`, status: 'ENABLED' },
          updateMask: 'status',
        },
      ],
    });
    const state = await account.readCampaigns([a.id, b.id, '999']);
    expect(state.get(a.id)!.status).toBe('PAUSED');
    expect(state.get(b.id)!.status).toBe('ENABLED');
    expect(state.has('999')).toBe(false);
  });

  it('sets a budget beyond 2^53 micros exactly, read back', async () => {
    const campaign = server.world.addCampaign(customerId, { budgetMicros: 40_000_000n });
    const account = client.account({ refreshToken, customerId });
    const amountMicros = 9_007_199_254_750_000n; // > 2^53, a multiple of the currency unit
    const result = await account.setBudgetAmounts([{ budgetId: campaign.budgetId, amountMicros }]);
    expect(result.operations).toEqual([
      { index: 0, ok: true, resourceName: `customers/${customerId}/campaignBudgets/${campaign.budgetId}` },
    ]);
    expect(server.callsOf('campaignBudgets:mutate')[0]!.body).toEqual({
      operations: [
        {
          update: {
            resourceName: `customers/${customerId}/campaignBudgets/${campaign.budgetId}`,
            amountMicros: '9007199254750000',
          },
          updateMask: 'amountMicros',
        },
      ],
    });
    expect((await account.readBudgets([campaign.budgetId])).get(campaign.budgetId)!.amountMicros).toBe(amountMicros);
    expect((await account.readCampaigns([campaign.id])).get(campaign.id)!.budget!.amountMicros).toBe(amountMicros);
  });

  it('validateOnly checks and changes nothing', async () => {
    const campaign = server.world.addCampaign(customerId, { budgetMicros: 40_000_000n });
    const account = client.account({ refreshToken, customerId });
    const dry = await account.setCampaignStatuses([{ campaignId: campaign.id, status: 'PAUSED' }], {
      validateOnly: true,
    });
    expect(dry).toEqual({
      validateOnly: true,
      operations: [{ index: 0, ok: true, resourceName: undefined }],
      otherErrors: [],
    });
    const dryBudget = await account.setBudgetAmounts([{ budgetId: campaign.budgetId, amountMicros: 80_000_000n }], {
      validateOnly: true,
    });
    expect(dryBudget.operations[0]!.ok).toBe(true);
    expect(server.callsOf('campaigns:mutate')[0]!.body.validateOnly).toBe(true);
    const state = (await account.readCampaigns([campaign.id])).get(campaign.id)!;
    expect(state.status).toBe('ENABLED');
    expect(state.budget!.amountMicros).toBe(40_000_000n);

    // A dry run of an invalid change is refused like the real one.
    const refused = await failure(
      account.setBudgetAmounts([{ budgetId: campaign.budgetId, amountMicros: 1_234_567n }], { validateOnly: true }),
    );
    expect(refused).toBeInstanceOf(GoogleAdsRejectedError);
  });

  it('reports a partial failure per operation and carries out the valid ones', async () => {
    const good = server.world.addCampaign(customerId, { budgetMicros: 10_000_000n });
    const other = server.world.addCampaign(customerId, { budgetMicros: 10_000_000n });
    const account = client.account({ refreshToken, customerId });

    const result = await account.setBudgetAmounts(
      [
        { budgetId: good.budgetId, amountMicros: 20_000_000n },
        { budgetId: other.budgetId, amountMicros: 20_000_001n },
        { budgetId: '77777', amountMicros: 20_000_000n },
      ],
      { partialFailure: true },
    );
    expect(result.operations[0]).toEqual({
      index: 0,
      ok: true,
      resourceName: `customers/${customerId}/campaignBudgets/${good.budgetId}`,
    });
    expect(result.operations[1]).toEqual({
      index: 1,
      ok: false,
      errors: [
        {
          type: 'campaignBudgetError',
          code: 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT',
          message: 'A money amount was not a multiple of a minimum unit.',
          trigger: '20000001',
          field: 'operations[1].update.amount_micros',
          operationIndex: 1,
        },
      ],
    });
    expect(result.operations[2]).toMatchObject({
      index: 2,
      ok: false,
      errors: [{ type: 'mutateError', code: 'RESOURCE_NOT_FOUND', operationIndex: 2 }],
    });
    expect(server.callsOf('campaignBudgets:mutate')[0]!.body.partialFailure).toBe(true);
    const budgets = await account.readBudgets([good.budgetId, other.budgetId]);
    expect(budgets.get(good.budgetId)!.amountMicros).toBe(20_000_000n);
    expect(budgets.get(other.budgetId)!.amountMicros).toBe(10_000_000n);
  });

  it('without partialFailure, one invalid operation refuses all, naming the field and the value', async () => {
    const a = server.world.addCampaign(customerId);
    const removed = server.world.addCampaign(customerId, { status: 'REMOVED' });
    const account = client.account({ refreshToken, customerId });
    const error = await failure(
      account.setCampaignStatuses([
        { campaignId: a.id, status: 'PAUSED' },
        { campaignId: removed.id, status: 'ENABLED' },
      ]),
    );
    expect(error).toBeInstanceOf(GoogleAdsRejectedError);
    expect(error.status).toBe(400);
    expect(error.requestId).toBeTruthy();
    expect(error.errors).toEqual([
      expect.objectContaining({
        type: 'operationAccessDeniedError',
        code: 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE',
        field: 'operations[1].update',
        operationIndex: 1,
      }),
    ]);
    expect(error.message).toMatch(/HTTP 400 INVALID_ARGUMENT: operations\[1\]\.update: Operation is not permitted/);
    expect((await account.readCampaigns([a.id])).get(a.id)!.status).toBe('ENABLED');

    const tooMany = Array.from({ length: 10_001 }, () => ({ campaignId: a.id, status: 'PAUSED' as const }));
    const refused = await failure(account.setCampaignStatuses(tooMany));
    expect(refused).toBeInstanceOf(GoogleAdsRejectedError);
    expect(refused.message).toContain('at most 10000');
    expect(server.callsOf('campaigns:mutate')).toHaveLength(1);

    const budget = await failure(account.setBudgetAmounts([{ budgetId: a.budgetId, amountMicros: -10_000n }]));
    expect(budget.message).toContain('operations[0].update.amount_micros: A money amount was negative.');
    expect(budget.message).toContain('[campaignBudgetError NEGATIVE_MONEY_AMOUNT] (value "-10000")');
  });
});

describe('errors', () => {
  let client: GoogleAdsClient;
  let refreshToken: string;

  beforeAll(() => {
    client = clientAt();
    refreshToken = server.issueRefreshToken();
  });

  const account = () => client.account({ refreshToken, customerId: CUSTOMER });

  it('a quota error is rate-limited, with the retry delay Google advised', async () => {
    server.failNext({ quota: 'RESOURCE_EXHAUSTED', retryDelaySeconds: 30 });
    const error = await failure(account().getCustomer());
    expect(error).toBeInstanceOf(GoogleAdsRateLimitedError);
    expect((error as GoogleAdsRateLimitedError).retryAfterMs).toBe(30_000);
    expect(error.message).toContain('quotaError RESOURCE_EXHAUSTED');
    expect(error.kind).toBe('rate-limited');

    server.failNext({ quota: 'RESOURCE_TEMPORARILY_EXHAUSTED' });
    const temporary = await failure(account().setCampaignStatuses([{ campaignId: '1', status: 'PAUSED' }]));
    expect(temporary).toBeInstanceOf(GoogleAdsRateLimitedError);
    expect((temporary as GoogleAdsRateLimitedError).retryAfterMs).toBeUndefined();

    server.failNext({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } },
    });
    const bare = await failure(account().getCustomer());
    expect(bare).toBeInstanceOf(GoogleAdsRateLimitedError);
    expect((bare as GoogleAdsRateLimitedError).retryAfterMs).toBe(7_000);
  });

  it('an expired access token needs a refresh: the cache is dropped and the next call succeeds', async () => {
    const fresh = client.account({ refreshToken: server.issueRefreshToken(), customerId: CUSTOMER });
    await fresh.getCustomer();
    server.expireAccessTokens();
    const error = await failure(fresh.getCustomer());
    expect(error).toBeInstanceOf(GoogleAdsAuthError);
    expect((error as GoogleAdsAuthError).code).toBe('OAUTH_TOKEN_EXPIRED');
    expect((error as GoogleAdsAuthError).retryAfterRefresh).toBe(true);
    expect(error.kind).toBe('needs-reconnect');
    const tokenCalls = server.callsOf('token').length;
    await fresh.getCustomer();
    expect(server.callsOf('token')).toHaveLength(tokenCalls + 1);
  });

  it('a revoked refresh token needs a reconnect (invalid_grant)', async () => {
    const revoked = server.issueRefreshToken();
    const fresh = client.account({ refreshToken: revoked, customerId: CUSTOMER });
    await fresh.getCustomer();
    server.revokeRefreshToken(revoked);
    const first = await failure(fresh.getCustomer());
    expect(first).toBeInstanceOf(GoogleAdsAuthError);
    expect((first as GoogleAdsAuthError).code).toBe('OAUTH_TOKEN_REVOKED');
    const second = await failure(fresh.getCustomer());
    expect(second).toBeInstanceOf(GoogleAdsAuthError);
    expect((second as GoogleAdsAuthError).code).toBe('invalid_grant');
    expect((second as GoogleAdsAuthError).retryAfterRefresh).toBe(false);
    expect(second.message).toContain('Token has been expired or revoked.');
  });

  it('a wrong client secret is refused as a configuration problem', async () => {
    const wrong = createGoogleAdsClient({
      clientId: server.clientId,
      clientSecret: 'not-the-secret',
      developerToken: server.developerToken,
      tokenUrl: server.tokenUrl,
    });
    const error = await failure(wrong.accessToken(server.issueRefreshToken()));
    expect(error).toBeInstanceOf(GoogleAdsRejectedError);
    expect(error.message).toContain('invalid_client');
  });

  it('503, INTERNAL, a dropped connection and a stream failing midway are unavailable', async () => {
    server.failNext({ unavailable: true });
    expect(await failure(account().getCustomer())).toBeInstanceOf(GoogleAdsUnavailableError);
    server.failNext({ internal: true });
    const internal = await failure(account().listCampaigns());
    expect(internal).toBeInstanceOf(GoogleAdsUnavailableError);
    expect(internal.message).toContain('internalError INTERNAL_ERROR');
    server.failNext({ disconnect: true });
    expect(await failure(account().getCustomer())).toBeInstanceOf(GoogleAdsUnavailableError);
    server.failNext({ unavailable: true }, { on: 'token' });
    const token = await failure(client.accessToken(server.issueRefreshToken()));
    expect(token).toBeInstanceOf(GoogleAdsUnavailableError);

    const customerId = '2000000004';
    server.world.addCustomer({ id: customerId });
    for (let i = 0; i < 3; i++) {
      const campaign = server.world.addCampaign(customerId);
      for (const date of ['2026-12-01', '2026-12-02']) {
        server.world.setStat(customerId, campaign.id, {
          date,
          costMicros: 1n,
          impressions: 1,
          clicks: 0,
          conversions: 0,
          conversionsValue: 0,
        });
      }
    }
    server.failNext({ failMidStream: true, afterBatches: 1 });
    const rows: number[] = [];
    const midway = await failure(
      (async () => {
        const stats = client.account({ refreshToken: server.issueRefreshToken(), customerId });
        for await (const batch of stats.streamDailyStats({ from: '2026-12-01', to: '2026-12-02' }))
          rows.push(batch.length);
      })(),
    );
    expect(rows).toEqual([3]);
    expect(midway).toBeInstanceOf(GoogleAdsUnavailableError);
    expect(midway.message).toContain('UNAVAILABLE');
  });

  it('a query Google refuses is rejected, naming what it said', async () => {
    server.failNext({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'Request contains an invalid argument.',
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
              errors: [
                {
                  errorCode: { queryError: 'UNRECOGNIZED_FIELD' },
                  message: "Unrecognized field in the query: 'campaign.budget'.",
                  trigger: { stringValue: 'campaign.budget' },
                },
              ],
              requestId: 'req-1',
            },
          ],
        },
      },
    });
    const error = await failure(account().listCampaigns());
    expect(error).toBeInstanceOf(GoogleAdsRejectedError);
    expect(error.requestId).toBe('req-1');
    expect(error.message).toBe(
      "Google Ads: refused the request (HTTP 400 INVALID_ARGUMENT: Unrecognized field in the query: 'campaign.budget'. " +
        '[queryError UNRECOGNIZED_FIELD] (value "campaign.budget"))',
    );
  });

  it('a call that does not answer in time is unavailable', async () => {
    const hasty = clientAt({ timeoutMs: 1_500 });
    const hastyToken = server.issueRefreshToken();
    await hasty.accessToken(hastyToken);
    server.failNext({ stallMs: 10_000 });
    const started = performance.now();
    const error = await failure(hasty.account({ refreshToken: hastyToken, customerId: CUSTOMER }).getCustomer());
    expect(error).toBeInstanceOf(GoogleAdsUnavailableError);
    expect(error.message).toContain('did not answer in time (1500 ms, before answering)');
    expect(performance.now() - started).toBeLessThan(8_000);
  });

  it('no secret appears in any error message, even when Google echoes them', async () => {
    server.failNext({ echoCredentials: true });
    const echoed = await failure(account().getCustomer());
    expect(echoed.message).toContain('[redacted]');
    server.failNext({ echoCredentials: true }, { on: 'token' });
    const echoedToken = await failure(client.accessToken(server.issueRefreshToken()));
    expect(echoedToken.message).toContain('[redacted]');

    keepSecrets();
    expect(secrets.size).toBeGreaterThan(20);
    expect(seen.length).toBeGreaterThan(15);
    for (const error of seen) {
      const text = `${(error as Error).message} ${JSON.stringify((error as GoogleAdsError).errors ?? [])}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
