// `nightshift connect meta|google` and `nightshift accounts [test|import|sync]` as an operator runs
// them, against the local Meta and Google Ads stand-ins: secrets from files or stdin (never argv),
// the platform asked first, the table of accounts with their status and the platform's last
// error, a test that fails in words (exit 1), an import, a sync's progress line by line, and usage
// errors exiting 64.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, runCli, startCli } from '../scripts/support/cli-process.ts';
import { type GoogleAdsServer, startGoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import {
  type MetaGraphServer,
  metaFailures,
  startMetaGraphServer,
} from '../simulation/ad-platforms/meta-graph-server.ts';
import { migrate } from '../src/db/migrate.ts';
import { addDays } from '../src/domain/day.ts';
import { dayIn } from '../src/services/ad-sync.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { backend } from './support/test-db.ts';

const META_TOKEN = `EAAB${'c'.repeat(60)}`;
/** The sync's account's: META_TOKEN is expired by the first test. */
const SYNC_TOKEN = `EAAB${'s'.repeat(60)}`;

const cli = ownCliDatabase('cli-ad-accounts');
let meta: MetaGraphServer;
let google: GoogleAdsServer;
let t: TestTenant;
let slug: string;
const dir = mkdtempSync(join(tmpdir(), 'nightshift-cli-secrets-'));
const secretFile = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};

const env = (): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  NIGHTSHIFT_GRAPH_API_BASE_URL: `${meta.baseUrl}/v21.0`,
  NIGHTSHIFT_GOOGLE_ADS_API_BASE_URL: google.baseUrl,
  NIGHTSHIFT_GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
  ...cli.env(),
});
const nightshift = (...args: string[]) => runCli(args, env());

beforeAll(async () => {
  meta = await startMetaGraphServer({ tokens: [META_TOKEN, SYNC_TOKEN] });
  google = await startGoogleAdsServer();
  t = await cli.withDb(async (db) => {
    await migrate(db);
    return createTenant(db);
  });
  slug = (
    await cli.withDb((db) =>
      db.session((s) => s.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [t.tenantId])),
    )
  )[0]!.slug;
});
afterAll(async () => {
  await meta?.close();
  await google?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`nightshift connect / accounts (${backend})`, () => {
  it('connects a Meta account with the token from a file, lists it, tests it, imports its campaigns', async () => {
    meta.addAdAccount({ id: '8880001', name: 'Acme Social', currency: 'EUR', timezoneName: 'Europe/Paris' });
    const campaign = meta.addCampaign('8880001', { name: 'Prospecting', status: 'ACTIVE', dailyBudget: '5000' });
    const connected = await nightshift(
      'connect',
      'meta',
      '--tenant',
      slug,
      '--account',
      'act_8880001',
      '--token-file',
      secretFile('meta-token', `${META_TOKEN}\n`),
      '--conversion-action',
      'offsite_conversion.fb_pixel_lead',
    );
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stdout).toMatch(
      new RegExp(`^Connected Meta account 8880001 \\(Acme Social, EUR\\) to tenant ${slug}: [0-9a-f-]{36}\\n$`),
    );
    expect(connected.stdout + connected.stderr).not.toContain(META_TOKEN);
    const id = connected.stdout.trim().split(' ').at(-1)!;

    const listed = await nightshift('accounts', '--tenant', t.tenantId, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id, platform: 'meta', external_account_id: '8880001', name: 'Acme Social', status: 'connected' },
    ]);
    expect(listed.stdout).not.toContain(META_TOKEN);

    const tested = await nightshift('accounts', 'test', id);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toBe('ok: Meta account 8880001 is Acme Social (EUR)\n');

    const imported = await nightshift('accounts', 'import', id, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ refreshed: 0, skipped_archived: 0 });
    expect(JSON.parse(imported.stdout).created_campaign_ids).toHaveLength(1);
    const linked = await cli.withDb((db) =>
      db.session((s) =>
        s.query<{ external_id: string }>('SELECT external_id FROM campaign_platform_links WHERE tenant_id = $1', [
          t.tenantId,
        ]),
      ),
    );
    expect(linked.map((row) => row.external_id)).toEqual([campaign.id]);

    // The token expires: the test fails in Meta's words, exit 1, and the table shows it.
    meta.expireToken(META_TOKEN);
    const failed = await nightshift('accounts', 'test', id, '--tenant', slug);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /^failed: Meta: the access token was refused, reconnect .*\(status needs_reconnect\)\n$/,
    );
    const table = await nightshift('accounts', '--tenant', slug);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +PLATFORM +ACCOUNT +NAME +CURRENCY +STATUS +LAST ERROR$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${id} +meta +8880001 +Acme Social +EUR +needs_reconnect +Meta: the access token was refused`),
    );
  });

  it('connects a Google Ads customer with the refresh token on stdin and the secrets from files', async () => {
    google.world.addCustomer({ id: '5550001111' });
    google.world.addCustomer({
      id: '5550002222',
      descriptiveName: 'Acme Search',
      currencyCode: 'USD',
      managerId: '5550001111',
    });
    const refreshToken = google.issueRefreshToken();
    const child = startCli(
      [
        'connect',
        'google',
        '--tenant',
        slug,
        '--customer',
        '555-000-2222',
        '--login-customer',
        '555-000-1111',
        '--refresh-token-stdin',
        '--client-id',
        google.clientId,
        '--client-secret-file',
        secretFile('client-secret', google.clientSecret),
        '--developer-token-file',
        secretFile('developer-token', `${google.developerToken}\n`),
        '--json',
      ],
      env(),
    );
    child.stdin.end(`${refreshToken}\n`);
    const connected = await finished(child);
    expect(connected.code, connected.stderr).toBe(0);
    expect(JSON.parse(connected.stdout)).toMatchObject({
      platform: 'google_ads',
      external_account_id: '5550002222',
      name: 'Acme Search',
      currency: 'USD',
      status: 'connected',
    });
    expect(connected.stdout).not.toContain(refreshToken);
  });

  it('syncs stats with a line per chunk of days off a terminal, and resumes the backfill a failure stopped', async () => {
    meta.addAdAccount({ id: '8880003', name: 'Acme Sync', currency: 'EUR', timezoneName: 'Europe/Paris' });
    const campaign = meta.addCampaign('8880003', { name: 'Retargeting', status: 'ACTIVE', dailyBudget: '3000' });
    const today = dayIn('Europe/Paris', new Date());
    const from = addDays(today, -89);
    for (let day = 0; day < 90; day += 1) {
      meta.setDay(campaign.id, addDays(from, day), { spend: '12.50', impressions: 1000, clicks: 20 });
    }
    const connected = await nightshift(
      'connect',
      'meta',
      '--tenant',
      slug,
      '--account',
      '8880003',
      '--token-file',
      secretFile('sync-token', SYNC_TOKEN),
      '--json',
    );
    expect(connected.code, connected.stderr).toBe(0);
    const id = JSON.parse(connected.stdout).id as string;
    expect((await nightshift('accounts', 'import', id)).code).toBe(0);
    const line = (done: number, total: number, through: string) =>
      `Meta account 8880003: ${done} of ${total} days, through ${through}`;

    // Meta fails the fifth chunk's read: four chunks are stored, a line each, then Meta's words.
    meta.failNext(metaFailures.transient(), { skip: 4 });
    const stopped = await nightshift('accounts', 'sync', id);
    expect(stopped.code).toBe(69);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr.split('\n')).toEqual([
      line(10, 90, addDays(from, 9)),
      line(20, 90, addDays(from, 19)),
      line(30, 90, addDays(from, 29)),
      line(40, 90, addDays(from, 39)),
      expect.stringMatching(/^nightshift: Meta: .*unexpected error/),
      '',
    ]);

    // The next sync reads the 50 days left, and says so.
    const resumed = await nightshift('accounts', 'sync', id, '--tenant', slug);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.split('\n')).toEqual([
      line(10, 50, addDays(from, 49)),
      line(20, 50, addDays(from, 59)),
      line(30, 50, addDays(from, 69)),
      line(40, 50, addDays(from, 79)),
      line(50, 50, today),
      '',
    ]);
    expect(resumed.stdout).toBe(
      `Synced Meta account 8880003 (Acme Sync): 50 days, ${addDays(from, 40)} to ${today} (5 chunks): ` +
        '50 rows new, 0 changed, 0 unchanged; backfill done\n',
    );

    // Then the attribution window alone, as JSON and without progress; a range backwards is a usage error.
    const again = await nightshift('accounts', 'sync', id, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toMatchObject({ from: addDays(today, -6), to: today, days: 7, unchanged: 7 });
    const backwards = await nightshift('accounts', 'sync', id, '--from', today, '--to', addDays(today, -1));
    expect(backwards.code).toBe(64);
    expect(backwards.stderr).toBe('nightshift: --from/--to: from is after to\n');
    const noSuchDay = await nightshift('accounts', 'sync', id, '--from', '2026-11-31');
    expect(noSuchDay.code).toBe(64);
    expect(noSuchDay.stderr).toBe('nightshift: --from expects a day as YYYY-MM-DD, got "2026-11-31"\n');
  }, 180_000);

  it('refuses what the platform refused in its words, and usage errors with 64', async () => {
    meta.addAdAccount({ id: '8880002' });
    const refused = await nightshift(
      'connect',
      'meta',
      '--tenant',
      slug,
      '--account',
      '8880002',
      '--token-file',
      secretFile('wrong-token', `EAAB${'w'.repeat(60)}`),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^nightshift: Meta refused the connection: Meta: /);

    const usage = [
      ['connect', 'meta', '--tenant', slug, '--account', '8880002'],
      ['connect', 'meta', '--tenant', slug, '--account', '8880002', '--token-file', join(dir, 'missing')],
      ['connect', 'meta', '--tenant', slug, '--account', 'acme', '--token-file', secretFile('t', META_TOKEN)],
      ['connect', 'meta', '--tenant', 'no-such-tenant', '--account', '1', '--token-file', secretFile('t', META_TOKEN)],
      ['accounts', 'test', 'not-an-id'],
      ['accounts', 'test', crypto.randomUUID()],
      ['accounts', 'sync', crypto.randomUUID()],
    ];
    for (const args of usage) {
      const result = await nightshift(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(64);
      expect(result.stderr).toMatch(/^nightshift: /);
    }
  });
});
