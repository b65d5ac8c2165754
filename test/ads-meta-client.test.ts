// The Meta Marketing API client against the local Graph stand-in: the ad account, campaigns and ad
// sets read page after page, daily insights with a conversion action, changes read back, every
// failure in its class with Meta's words and wait hint, usage headers on every answer, timeouts,
// and the access token in no URL and no message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type MetaGraphServer,
  type RecordedCall,
  startMetaGraphServer,
} from '../simulation/ad-platforms/meta-graph-server.ts';
import { createMetaAdsClient, type MetaAdsClient } from '../src/ads/meta/client.ts';
import {
  MetaApiError,
  MetaAuthError,
  MetaRateLimitedError,
  MetaRejectedError,
  MetaUnavailableError,
} from '../src/ads/meta/errors.ts';
import type { MetaSettings } from '../src/ads/meta/http.ts';
import type { InsightsQuery, MetaInsightRow } from '../src/ads/meta/insights.ts';
import type { ListOptions } from '../src/ads/meta/paging.ts';
import { readUsage } from '../src/ads/meta/usage.ts';
import { decimalToMinor, metaCurrencyExponent } from '../src/ads/money.ts';

const TOKEN = 'EAAGm0PX4ZCpsBAsecretTOKEN42xyz';
const ACCOUNT = '1234567890';
const PURCHASE = 'offsite_conversion.fb_pixel_purchase';

let server: MetaGraphServer;
let client: MetaAdsClient;
const settings = (overrides: Partial<MetaSettings> = {}): MetaSettings => ({
  baseUrl: server.baseUrl,
  apiVersion: 'v21.0',
  accessToken: TOKEN,
  timeoutMs: 2_000,
  ...overrides,
});

beforeAll(async () => {
  server = await startMetaGraphServer();
  client = createMetaAdsClient(settings());
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.addAdAccount({ id: ACCOUNT, name: 'Acme Shop', currency: 'EUR', timezoneName: 'Europe/Berlin' });
});

/** The call's failure, checked to be a MetaApiError that does not carry the token anywhere. */
async function failureOf(call: Promise<unknown>): Promise<MetaApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MetaApiError);
  const failure = error as MetaApiError;
  expect(failure.message.startsWith('Meta: ')).toBe(true);
  expect(failure.message).not.toContain(TOKEN);
  expect(JSON.stringify(failure)).not.toContain(TOKEN);
  expect(String(failure.stack)).not.toContain(TOKEN);
  for (let cause = failure.cause; cause; cause = (cause as Error).cause) {
    expect(String((cause as Error).message ?? cause)).not.toContain(TOKEN);
  }
  return failure;
}

/** No request put the token in its URL: only the Authorization header carries it. */
function expectTokenOnlyInHeader(calls: readonly RecordedCall[]) {
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.query.access_token).toBeUndefined();
    expect(call.body.access_token).toBeUndefined();
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
  }
}

describe('the ad account', () => {
  it('answers its name, currency and time zone, from "act_…" or bare digits', async () => {
    const answer = await client.getAdAccount(ACCOUNT);
    expect(answer.value).toEqual({
      id: `act_${ACCOUNT}`,
      name: 'Acme Shop',
      currency: 'EUR',
      timezoneName: 'Europe/Berlin',
      accountStatus: 1,
    });
    expect((await client.getAdAccount(`act_${ACCOUNT}`)).value.id).toBe(`act_${ACCOUNT}`);
    expect(server.calls.map((call) => call.path)).toEqual([`/v21.0/act_${ACCOUNT}`, `/v21.0/act_${ACCOUNT}`]);
    expect(server.calls[0]!.query.fields).toBe('id,name,currency,timezone_name,account_status');
    expectTokenOnlyInHeader(server.calls);
  });

  it('refuses an id that is not one before calling', async () => {
    const failure = await failureOf(client.getAdAccount('act_12/../../me'));
    expect(failure).toBeInstanceOf(MetaRejectedError);
    expect(server.calls).toHaveLength(0);
  });

  it('sends appsecret_proof when the app requires one', async () => {
    const withProof = createMetaAdsClient(settings({ appSecret: 'app-secret-1' }));
    await withProof.getAdAccount(ACCOUNT);
    expect(server.calls[0]!.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('campaigns and ad sets', () => {
  it('follows paging.next through every page, without the token Graph puts in the link', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 1203; i += 1) {
      const budget = i % 3 === 0 ? {} : { dailyBudget: String(1000 + i) };
      ids.push(server.addCampaign(ACCOUNT, { name: `C${i}`, status: i % 2 ? 'PAUSED' : 'ACTIVE', ...budget }).id);
    }
    const pages: number[] = [];
    const answer = await client.listCampaigns(ACCOUNT, {
      pageSize: 500,
      onPage: ({ rows }) => {
        pages.push(rows);
      },
    });
    expect(pages).toEqual([500, 500, 203]);
    expect(answer.value.map((campaign) => campaign.id)).toEqual(ids);
    expect(answer.value[1]).toEqual({
      id: ids[1],
      name: 'C1',
      status: 'PAUSED',
      effectiveStatus: 'PAUSED',
      dailyBudget: '1001',
      lifetimeBudget: null,
      objective: 'OUTCOME_SALES',
      updatedTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/),
    });
    expect(answer.value[0]!.dailyBudget).toBeNull();
    expect(server.calls).toHaveLength(3);
    expect(server.calls[0]!.query).toMatchObject({ limit: '500', fields: expect.stringContaining('effective_status') });
    expect(server.calls[0]!.query.after).toBeUndefined();
    expect(server.calls[1]!.query.after).toBeTruthy();
    expectTokenOnlyInHeader(server.calls);
  });

  it('reads an account without campaigns in one call', async () => {
    const answer = await client.listCampaigns(ACCOUNT);
    expect(answer.value).toEqual([]);
    expect(server.calls).toHaveLength(1);
  });

  it('lists ad sets with their campaign and budget', async () => {
    const campaign = server.addCampaign(ACCOUNT, { name: 'Spring' });
    const a = server.addAdSet(ACCOUNT, campaign.id, { name: 'Lookalike', dailyBudget: '2500' });
    const b = server.addAdSet(ACCOUNT, campaign.id, { name: 'Retargeting', lifetimeBudget: '90000', status: 'PAUSED' });
    const answer = await client.listAdSets(ACCOUNT, { pageSize: 1 });
    expect(answer.value).toEqual([
      {
        id: a.id,
        name: 'Lookalike',
        campaignId: campaign.id,
        status: 'ACTIVE',
        dailyBudget: '2500',
        lifetimeBudget: null,
      },
      {
        id: b.id,
        name: 'Retargeting',
        campaignId: campaign.id,
        status: 'PAUSED',
        dailyBudget: null,
        lifetimeBudget: '90000',
      },
    ]);
    expect(server.calls).toHaveLength(2);
  });

  it('refuses a link to follow that leaves the configured base URL, without calling it', async () => {
    const elsewhere = createMetaAdsClient(
      settings({
        fetch: async (url) => {
          if (!String(url).startsWith(server.baseUrl)) throw new Error(`called ${String(url)}`);
          const campaign = { id: '1', name: 'C', status: 'ACTIVE', effective_status: 'ACTIVE', updated_time: 'now' };
          const next = 'https://attacker.example/v21.0/act_1/campaigns?after=x';
          return new Response(JSON.stringify({ data: [campaign], paging: { next } }), { status: 200 });
        },
      }),
    );
    const failure = await failureOf(elsewhere.listCampaigns(ACCOUNT));
    expect(failure).toBeInstanceOf(MetaRejectedError);
    expect(failure.message).toContain('paging link outside the configured base URL');
  });
});

describe('insights', () => {
  /** Every row of the query, its pages gathered as they arrived. */
  async function insights(of: MetaAdsClient, query: InsightsQuery, options?: ListOptions) {
    const rows: MetaInsightRow[] = [];
    for await (const page of of.insightPages(ACCOUNT, query, options)) rows.push(...page.value);
    return { value: rows };
  }

  function seedDays() {
    const spring = server.addCampaign(ACCOUNT, { name: 'Spring', dailyBudget: '5000' });
    const summer = server.addCampaign(ACCOUNT, { name: 'Summer', dailyBudget: '7000' });
    server.addCampaign(ACCOUNT, { name: 'Idle' });
    server.setDay(spring.id, '2026-03-01', {
      spend: '5339.5',
      impressions: 361324,
      clicks: 7346,
      actions: { link_click: '7346', [PURCHASE]: '12', 'offsite_conversion.fb_pixel_lead': '40' },
      actionValues: { [PURCHASE]: '1234.56' },
    });
    server.setDay(spring.id, '2026-03-02', { spend: '0.1', impressions: 10, clicks: 1, actions: { link_click: '1' } });
    server.setDay(spring.id, '2026-03-03', { spend: '0.2', impressions: 20, clicks: 0 });
    server.setDay(spring.id, '2026-02-28', { spend: '99', impressions: 1 }); // before the range
    server.setDay(summer.id, '2026-03-02', {
      spend: '90071992547409.93',
      impressions: 5,
      clicks: 2,
      actions: { [PURCHASE]: '1' },
      actionValues: { [PURCHASE]: '123456789012345678.99' },
    });
    return { spring, summer };
  }

  it('answers one row per campaign and day, with exact strings and the conversion action’s count and value', async () => {
    const { spring, summer } = seedDays();
    const query = { level: 'campaign', since: '2026-03-01', until: '2026-03-03', conversionAction: PURCHASE } as const;
    const answer = await insights(client, query);
    expect(answer.value).toEqual([
      {
        level: 'campaign',
        objectId: spring.id,
        campaignId: spring.id,
        date: '2026-03-01',
        spend: '5339.5',
        impressions: '361324',
        clicks: '7346',
        conversions: '12',
        revenue: '1234.56',
      },
      {
        level: 'campaign',
        objectId: spring.id,
        campaignId: spring.id,
        date: '2026-03-02',
        spend: '0.1',
        impressions: '10',
        clicks: '1',
        conversions: '0',
        revenue: '0',
      },
      expect.objectContaining({ date: '2026-03-03', spend: '0.2', conversions: '0' }),
      {
        level: 'campaign',
        objectId: summer.id,
        campaignId: summer.id,
        date: '2026-03-02',
        spend: '90071992547409.93',
        impressions: '5',
        clicks: '2',
        conversions: '1',
        revenue: '123456789012345678.99',
      },
    ]);
    // Exact when summed as minor units: 0.1 + 0.2 is 0.30, and cents past 2^53 stay whole.
    const cents = (day: string) => decimalToMinor(answer.value.find((row) => row.date === day)!.spend, 2);
    expect(cents('2026-03-02') + cents('2026-03-03')).toBe(30n);
    expect(decimalToMinor(answer.value[3]!.spend, metaCurrencyExponent('EUR'))).toBe(9007199254740993n);

    const [call] = server.calls;
    expect(call!.path).toBe(`/v21.0/act_${ACCOUNT}/insights`);
    expect(call!.query).toMatchObject({
      level: 'campaign',
      time_increment: '1',
      time_range: '{"since":"2026-03-01","until":"2026-03-03"}',
      fields: 'campaign_id,spend,impressions,clicks,actions,action_values',
    });
  });

  it('counts a different conversion action when told to', async () => {
    seedDays();
    const query = {
      level: 'campaign',
      since: '2026-03-01',
      until: '2026-03-01',
      conversionAction: 'offsite_conversion.fb_pixel_lead',
    } as const;
    const [row] = (await insights(client, query)).value;
    expect(row).toMatchObject({ conversions: '40', revenue: '0' });
  });

  it('pages across campaigns and days, at the ad set level too', async () => {
    const expected: string[] = [];
    for (let c = 0; c < 4; c += 1) {
      const campaign = server.addCampaign(ACCOUNT);
      const adSet = server.addAdSet(ACCOUNT, campaign.id, { dailyBudget: '1000' });
      for (let d = 1; d <= 5; d += 1) {
        server.setDay(adSet.id, `2026-04-0${d}`, { spend: `${c}.${d}`, actions: { [PURCHASE]: String(d) } });
        expected.push(`${campaign.id}/${adSet.id}/2026-04-0${d}/${c}.${d}/${d}`);
      }
    }
    const query = { level: 'adset', since: '2026-04-01', until: '2026-04-05', conversionAction: PURCHASE } as const;
    const answer = await insights(client, query, { pageSize: 3 });
    expect(answer.value.map((r) => `${r.campaignId}/${r.adSetId}/${r.date}/${r.spend}/${r.conversions}`)).toEqual(
      expected,
    );
    expect(answer.value[0]!.objectId).toBe(answer.value[0]!.adSetId);
    expect(server.calls).toHaveLength(7);
    expect(server.calls[0]!.query.fields).toBe('campaign_id,adset_id,spend,impressions,clicks,actions,action_values');
    expectTokenOnlyInHeader(server.calls);
  });

  it('hands each page over as it arrives, before the next is asked for; a failure midway comes after the pages read', async () => {
    const campaign = server.addCampaign(ACCOUNT);
    for (let d = 1; d <= 5; d += 1) server.setDay(campaign.id, `2026-04-0${d}`, { spend: `${d}` });
    const query = { level: 'campaign', since: '2026-04-01', until: '2026-04-05', conversionAction: PURCHASE } as const;
    const seen: [string[], number][] = [];
    for await (const page of client.insightPages(ACCOUNT, query, { pageSize: 2 })) {
      seen.push([page.value.map((row) => row.spend), server.calls.length]);
    }
    expect(seen).toEqual([
      [['1', '2'], 1],
      [['3', '4'], 2],
      [['5'], 3],
    ]);

    server.failNext({ status: 500, body: { error: { message: 'down', code: 2, is_transient: true } } }, { skip: 1 });
    const before: string[] = [];
    const failure = await failureOf(
      (async () => {
        for await (const page of client.insightPages(ACCOUNT, query, { pageSize: 2 })) {
          before.push(...page.value.map((row) => row.spend));
        }
      })(),
    );
    expect(failure).toBeInstanceOf(MetaUnavailableError);
    expect(before).toEqual(['1', '2']);
  });

  it('refuses a malformed query before calling', async () => {
    const bad = [
      { level: 'campaign', since: '2026-03-05', until: '2026-03-01', conversionAction: PURCHASE },
      { level: 'campaign', since: '2026/03/01', until: '2026-03-01', conversionAction: PURCHASE },
      { level: 'ad', since: '2026-03-01', until: '2026-03-01', conversionAction: PURCHASE },
      { level: 'campaign', since: '2026-03-01', until: '2026-03-01', conversionAction: '' },
    ];
    for (const query of bad) {
      const failure = await failureOf(insights(client, query as never));
      expect(failure).toBeInstanceOf(MetaRejectedError);
    }
    expect(server.calls).toHaveLength(0);
  });

  it('refuses an answer whose amounts are not decimal strings', async () => {
    const numbers = createMetaAdsClient(
      settings({
        fetch: async () =>
          new Response(JSON.stringify({ data: [{ campaign_id: '1', date_start: '2026-03-01', spend: 12.3 }] })),
      }),
    );
    const query = { level: 'campaign', since: '2026-03-01', until: '2026-03-01', conversionAction: PURCHASE } as const;
    const failure = await failureOf(insights(numbers, query));
    expect(failure).toBeInstanceOf(MetaRejectedError);
    expect(failure.message).toContain('spend');
  });

  it('serves 10,000 campaigns × 30 days in pages of 500', async () => {
    const ids = server.seedPortfolio({
      accountId: ACCOUNT,
      campaigns: 10_000,
      days: 30,
      firstDay: '2026-05-01',
      conversionAction: PURCHASE,
    });
    expect(ids).toHaveLength(10_000);
    const started = performance.now();
    const campaigns = await client.listCampaigns(ACCOUNT, { pageSize: 500 });
    expect(campaigns.value).toHaveLength(10_000);
    const query = { level: 'campaign', since: '2026-05-28', until: '2026-05-30', conversionAction: PURCHASE } as const;
    const rows = await insights(client, query, { pageSize: 500 });
    expect(rows.value).toHaveLength(30_000);
    expect(new Set(rows.value.map((row) => row.campaignId)).size).toBe(10_000);
    expect(server.calls).toHaveLength(20 + 60);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('reading and changing a campaign or ad set', () => {
  it('pauses, resumes and re-budgets, each readable back', async () => {
    const campaign = server.addCampaign(ACCOUNT, { dailyBudget: '5000' });
    const before = (await client.readObjectState(campaign.id)).value;
    expect(before).toEqual({
      id: campaign.id,
      status: 'ACTIVE',
      dailyBudget: '5000',
      lifetimeBudget: null,
      updatedTime: expect.any(String),
    });

    expect((await client.updateObject(campaign.id, { status: 'PAUSED' })).value).toBe(true);
    expect((await client.readObjectState(campaign.id)).value.status).toBe('PAUSED');
    await client.updateObject(campaign.id, { dailyBudget: 12_345n });
    await client.updateObject(campaign.id, { status: 'ACTIVE', dailyBudget: '7500' });
    expect((await client.readObjectState(campaign.id)).value).toMatchObject({ status: 'ACTIVE', dailyBudget: '7500' });
    expect(server.object(campaign.id)).toMatchObject({ status: 'ACTIVE', dailyBudget: '7500' });

    const posts = server.calls.filter((call) => call.method === 'POST');
    expect(posts.map((call) => call.body)).toEqual([
      { status: 'PAUSED' },
      { daily_budget: '12345' },
      { status: 'ACTIVE', daily_budget: '7500' },
    ]);
    expect(posts[0]!.path).toBe(`/v21.0/${campaign.id}`);
    expect(posts[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expectTokenOnlyInHeader(server.calls);
  });

  it('changes an ad set the same way', async () => {
    const campaign = server.addCampaign(ACCOUNT);
    const adSet = server.addAdSet(ACCOUNT, campaign.id, { dailyBudget: '1000' });
    await client.updateObject(adSet.id, { status: 'PAUSED', dailyBudget: '2000' });
    expect((await client.readObjectState(adSet.id)).value).toMatchObject({ status: 'PAUSED', dailyBudget: '2000' });
  });

  it('refuses a change it cannot send, before calling', async () => {
    const campaign = server.addCampaign(ACCOUNT, { dailyBudget: '5000' });
    const bad = [{}, { status: 'DELETED' }, { dailyBudget: '0' }, { dailyBudget: '12.50' }, { dailyBudget: -5n }];
    for (const change of bad) {
      const failure = await failureOf(client.updateObject(campaign.id, change as never));
      expect(failure).toBeInstanceOf(MetaRejectedError);
    }
    expect(server.calls).toHaveLength(0);
  });

  it('passes on Meta’s refusal in its own words', async () => {
    const campaign = server.addCampaign(ACCOUNT, { lifetimeBudget: '900000' });
    const failure = await failureOf(client.updateObject(campaign.id, { dailyBudget: '5000' }));
    expect(failure).toBeInstanceOf(MetaRejectedError);
    expect(failure.message).toContain('You cannot set a daily budget on an object that has a lifetime budget.');
    expect(failure).toMatchObject({ status: 400, code: 100 });
    expect(failure.kind).toBe('rejected');
  });

  it('says an unknown object is unknown', async () => {
    const failure = await failureOf(client.readObjectState('999999999'));
    expect(failure).toBeInstanceOf(MetaRejectedError);
    expect(failure.message).toContain("Object with ID '999999999' does not exist");
    expect(failure).toMatchObject({ code: 100, subcode: 33 });
  });

  it('refuses a success answer without "success", since the change’s fate is then unknown', async () => {
    const silent = createMetaAdsClient(settings({ fetch: async () => new Response('{"id":"1"}') }));
    const failure = await failureOf(silent.updateObject('1', { status: 'PAUSED' }));
    expect(failure).toBeInstanceOf(MetaRejectedError);
    expect(failure.message).toContain('read the object back');
  });
});

describe('failures', () => {
  it.each([
    [17, 'User request limit reached'],
    [4, 'Application request limit reached'],
    [613, 'Calls to this api have exceeded the rate limit'],
    [80000, 'too many calls from this ad-account'],
    [80004, 'too many calls to this ad-account'],
  ] as const)('sorts code %i as rate limited, with Meta’s wait', async (code, words) => {
    server.rateLimitNext({ code, regainMinutes: 7 });
    const failure = await failureOf(client.getAdAccount(ACCOUNT));
    expect(failure).toBeInstanceOf(MetaRateLimitedError);
    expect(failure.message).toContain(words);
    expect((failure as MetaRateLimitedError).retryAfterMs).toBe(7 * 60_000);
    expect(failure.usage).toMatchObject({ maxPercent: 100, regainAccessMs: 7 * 60_000 });
    expect(failure.code).toBe(code);
    expect(failure.fbtraceId).toMatch(/^A/);
    expect(failure.kind).toBe('rate-limited');
  });

  it('sorts HTTP 429 as rate limited, waiting as Retry-After says', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '30' }, body: 'Too Many Requests' });
    const failure = await failureOf(client.getAdAccount(ACCOUNT));
    expect(failure).toBeInstanceOf(MetaRateLimitedError);
    expect((failure as MetaRateLimitedError).retryAfterMs).toBe(30_000);
    expect(failure.message).toContain('Too Many Requests');
  });

  it('leaves the wait unknown when Meta gave none', async () => {
    server.failNext({ status: 400, body: { error: { message: '(#17) User request limit reached', code: 17 } } });
    const failure = await failureOf(client.getAdAccount(ACCOUNT));
    expect(failure).toBeInstanceOf(MetaRateLimitedError);
    expect((failure as MetaRateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('asks for a reconnect when the token expired (190) or the session is gone (102)', async () => {
    server.expireToken(TOKEN);
    const expired = await failureOf(client.getAdAccount(ACCOUNT));
    expect(expired).toBeInstanceOf(MetaAuthError);
    expect(expired.message).toContain('reconnect');
    expect(expired.message).toContain('Session has expired');
    expect(expired).toMatchObject({ code: 190, subcode: 463, status: 400 });
    expect(expired.kind).toBe('needs-reconnect');

    server.reset();
    server.failNext({ status: 400, body: { error: { message: 'Session key invalid.', code: 102 } } });
    expect(await failureOf(client.getAdAccount(ACCOUNT))).toBeInstanceOf(MetaAuthError);
    server.failNext({ status: 401, body: 'Unauthorized' });
    expect(await failureOf(client.getAdAccount(ACCOUNT))).toBeInstanceOf(MetaAuthError);
  });

  it('sorts 5xx, codes 1 and 2, is_transient and the insights timeout as unavailable', async () => {
    server.failTransient();
    const transient = await failureOf(client.getAdAccount(ACCOUNT));
    expect(transient).toBeInstanceOf(MetaUnavailableError);
    expect(transient.message).toContain('Please retry your request later');
    expect(transient.kind).toBe('unavailable');

    const answers = [
      { status: 400, body: { error: { message: 'An unknown error occurred', code: 1, error_subcode: 99 } } },
      { status: 400, body: { error: { message: 'Temporarily down', code: 9999, is_transient: true } } },
      { status: 400, body: { error: { message: 'Your request timed out', code: 100, error_subcode: 1504018 } } },
      { status: 503, body: '<html>Service Unavailable</html>' },
      { status: 502 },
    ];
    for (const answer of answers) {
      server.failNext(answer);
      expect(await failureOf(client.getAdAccount(ACCOUNT)), JSON.stringify(answer)).toBeInstanceOf(
        MetaUnavailableError,
      );
    }
  });

  it('fails a list when a later page fails, in that page’s class', async () => {
    for (let i = 0; i < 5; i += 1) server.addCampaign(ACCOUNT);
    server.failNext({ status: 500, body: {} }, { skip: 1 });
    expect(await failureOf(client.listCampaigns(ACCOUNT, { pageSize: 2 }))).toBeInstanceOf(MetaUnavailableError);
    server.rateLimitNext({ code: 80004, regainMinutes: 2 });
    expect(await failureOf(client.listCampaigns(ACCOUNT, { pageSize: 2 }))).toBeInstanceOf(MetaRateLimitedError);
    expect(server.calls.map((call) => call.status)).toEqual([200, 500, 400]);
  });

  it('is unavailable when Meta does not answer in time, drops the connection, or the caller cancels', async () => {
    const quick = createMetaAdsClient(settings({ timeoutMs: 150 }));
    server.failNext({ stallMs: 2_000 });
    const late = await failureOf(quick.getAdAccount(ACCOUNT));
    expect(late).toBeInstanceOf(MetaUnavailableError);
    expect(late.message).toContain('did not answer within 150 ms');

    server.failNext({ disconnect: true });
    const dropped = await failureOf(client.getAdAccount(ACCOUNT));
    expect(dropped).toBeInstanceOf(MetaUnavailableError);
    expect(dropped.message).toContain('could not be reached');

    server.failNext({ stallMs: 2_000 });
    const controller = new AbortController();
    const call = client.getAdAccount(ACCOUNT, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const cancelled = await failureOf(call);
    expect(cancelled).toBeInstanceOf(MetaUnavailableError);
    expect(cancelled.message).toContain('cancelled');
  });

  it('never shows the token, even when Meta or the network echo it', async () => {
    const echo = `Invalid token ${TOKEN} (${encodeURIComponent(TOKEN)})`;
    server.failNext({ status: 400, body: { error: { message: echo, code: 100, fbtrace_id: 'Axyz' } } });
    const rejected = await failureOf(client.getAdAccount(ACCOUNT));
    expect(rejected.message).toContain('Invalid token [redacted]');

    server.failNext({ status: 502, body: `upstream said ${TOKEN}` });
    expect((await failureOf(client.getAdAccount(ACCOUNT))).message).toContain('[redacted]');

    const leaky = createMetaAdsClient(
      settings({
        fetch: async () => {
          throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED for ${TOKEN}`) });
        },
      }),
    );
    const unreachable = await failureOf(leaky.getAdAccount(ACCOUNT));
    expect(unreachable.message).toContain('ECONNREFUSED for [redacted]');
    expect((unreachable.cause as Error).name).toBe('TypeError');
  });

  it('refuses settings that cannot work', () => {
    expect(() => createMetaAdsClient(settings({ accessToken: ' ' }))).toThrow(MetaRejectedError);
    expect(() => createMetaAdsClient(settings({ accessToken: 'tok' }))).toThrow(/access token/);
    expect(() => createMetaAdsClient(settings({ apiVersion: '21' }))).toThrow(/API version/);
    expect(() => createMetaAdsClient(settings({ baseUrl: 'graph.facebook.com' }))).toThrow(/base URL/);
  });
});

describe('usage headers', () => {
  it('come with every success: the highest percentage and the wait Meta announced', async () => {
    server.setUsage({
      callCount: 42,
      totalTime: 61,
      totalCputime: 12,
      adAccountPct: 33.5,
      resetSeconds: 90,
      appPct: 5,
    });
    const answer = await client.getAdAccount(ACCOUNT);
    expect(answer.usage.maxPercent).toBe(61);
    expect(answer.usage.regainAccessMs).toBe(0);
    expect(answer.usage.readings).toEqual([
      { header: 'x-business-use-case-usage', id: ACCOUNT, type: 'ads_management', percent: 61 },
      { header: 'x-ad-account-usage', percent: 33.5 },
      { header: 'x-app-usage', percent: 5 },
    ]);
    server.setUsage(null);
    expect((await client.getAdAccount(ACCOUNT)).usage).toEqual({ maxPercent: 0, regainAccessMs: 0, readings: [] });
  });

  it('rise with the calls, so a caller can stop before the limit refuses it', async () => {
    for (let i = 0; i < 6; i += 1) server.addCampaign(ACCOUNT);
    server.limitCalls({ perWindow: 4, regainMinutes: 3 });
    const seen: number[] = [];
    const answer = await client.listCampaigns(ACCOUNT, {
      pageSize: 2,
      onPage: ({ usage }) => {
        seen.push(usage.maxPercent);
      },
    });
    expect(seen).toEqual([25, 50, 75]);
    expect(answer.usage.maxPercent).toBe(75);
    expect((await client.getAdAccount(ACCOUNT)).usage.maxPercent).toBe(100);
    const refused = await failureOf(client.getAdAccount(ACCOUNT));
    expect(refused).toBeInstanceOf(MetaRateLimitedError);
    expect(refused.code).toBe(80004);
    expect((refused as MetaRateLimitedError).retryAfterMs).toBe(3 * 60_000);
    server.resetUsage();
    expect((await client.getAdAccount(ACCOUNT)).usage.maxPercent).toBe(25);
  });

  it('are read from all four headers, and a malformed one is ignored', () => {
    const usage = readUsage(
      new Headers({
        'x-business-use-case-usage': JSON.stringify({
          '111': [{ type: 'ads_management', call_count: 95, total_cputime: 20, total_time: 20 }],
          '222': [
            { type: 'ads_insights', call_count: 100, total_cputime: 40, estimated_time_to_regain_access: 19 },
            'junk',
          ],
        }),
        'x-ad-account-usage':
          '{"acc_id_util_pct":100,"reset_time_duration":1500,"ads_api_access_tier":"standard_access"}',
        'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}',
        'x-fb-ads-insights-throttle': '{"app_id_util_pct":12.5,"acc_id_util_pct":40}',
      }),
    );
    expect(usage.maxPercent).toBe(100);
    expect(usage.regainAccessMs).toBe(1500 * 1000);
    expect(usage.readings).toEqual([
      { header: 'x-business-use-case-usage', id: '111', type: 'ads_management', percent: 95 },
      {
        header: 'x-business-use-case-usage',
        id: '222',
        type: 'ads_insights',
        percent: 100,
        regainAccessMs: 19 * 60_000,
      },
      { header: 'x-ad-account-usage', percent: 100, regainAccessMs: 1_500_000 },
      { header: 'x-app-usage', percent: 28 },
      { header: 'x-fb-ads-insights-throttle', percent: 40 },
    ]);
    expect(readUsage(new Headers({ 'x-app-usage': 'not json', 'x-business-use-case-usage': '[1,2]' }))).toEqual({
      maxPercent: 0,
      regainAccessMs: 0,
      readings: [],
    });
    // An ad account under its limit announces its window's reset, which is no wait.
    const under = readUsage(
      new Headers({ 'x-ad-account-usage': '{"acc_id_util_pct":9.67,"reset_time_duration":100}' }),
    );
    expect(under).toMatchObject({ maxPercent: 9.67, regainAccessMs: 0 });
  });
});
