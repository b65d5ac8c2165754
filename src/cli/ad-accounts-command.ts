// `nightshift connect meta|google` and `nightshift accounts [test|import|sync]`: a tenant's ad
// accounts from the command line, through the same services as /api/ad-accounts. Secrets are never
// argv values (which other users of the machine can read in the process list, and shells keep in
// their history): they come from files or stdin.
import type { z } from 'zod';
import { type AdCredentials, googleAdsCredentials, metaCredentials } from '../ads/credentials.ts';
import { type AdAccountRecord, type AdAccountSyncResult, adAccountSettings } from '../contract/ad-accounts.ts';
import { isoDate } from '../contract/fields.ts';
import { createTokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import { tenantOfAdAccount } from '../db/repositories/ad-accounts.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { resolveSecrets } from '../secrets.ts';
import { connectAdAccount, getAdAccount, listAdAccounts, testAdAccount } from '../services/ad-accounts.ts';
import { importAdAccountCampaigns } from '../services/ad-campaign-import.ts';
import { syncAdAccount } from '../services/ad-sync.ts';
import { resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './options.ts';
import { plural } from './plural.ts';
import { progressReporter } from './progress.ts';
import { secretFrom } from './secret-input.ts';
import { table } from './table.ts';

const write = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const writeJson = (value: unknown): void => write(JSON.stringify(value, null, 2));

/** The credentials checked as the API checks them; a bad field is a usage error naming the option. */
function checked<T>(schema: z.ZodType<T>, value: object, options: Record<string, string>): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  throw new UsageError(`${options[field] ?? field} ${issue.message}`);
}

function settingsOf(options: { conversionAction?: string; attributionWindow?: string }) {
  const parsed = adAccountSettings.safeParse({
    ...(options.attributionWindow !== undefined
      ? { attribution_window_days: positiveInt('attribution-window', options.attributionWindow, 28) }
      : {}),
    ...(options.conversionAction !== undefined ? { conversion_action: options.conversionAction } : {}),
  });
  if (!parsed.success) throw new UsageError(`--conversion-action ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

/** Connects with the given credentials: the platform is asked first; its refusal is one line, exit 1. */
async function connect(
  tenant: string,
  credentials: AdCredentials,
  settings: ReturnType<typeof settingsOf>,
  json: boolean | undefined,
): Promise<void> {
  const { config } = commandConfig();
  const cipher = createTokenCipher(resolveSecrets(config).encryptionKey);
  const { account, slug } = await withDatabase(config, async (db) => {
    const ref = await resolveTenant(db, tenant);
    const scoped = tenantScoped(db, ref.id);
    try {
      const connected = await connectAdAccount(scoped, { endpoints: config.ads, cipher }, ref.id, {
        credentials,
        settings,
        connectedBy: null,
      });
      return { account: connected, slug: ref.slug };
    } catch (error) {
      // The platform's refusal, in its words, without the field list the API answers with.
      if (error instanceof InvalidInputError) throw new Error(error.message);
      throw error;
    }
  });
  if (json) return writeJson(account);
  write(
    `Connected ${platformName(account)} account ${account.external_account_id} (${account.name}, ${account.currency}) to tenant ${slug}: ${account.id}`,
  );
}

const platformName = (account: Pick<AdAccountRecord, 'platform'>) =>
  account.platform === 'meta' ? 'Meta' : 'Google Ads';

export async function connectMetaCommand(options: {
  tenant: string;
  account: string;
  tokenFile?: string;
  tokenStdin?: boolean;
  conversionAction?: string;
  attributionWindow?: string;
  json?: boolean;
}): Promise<void> {
  const settings = settingsOf(options);
  const token = await secretFrom('token', options.tokenFile, options.tokenStdin);
  const credentials = checked(
    metaCredentials,
    { access_token: token, ad_account_id: options.account },
    { access_token: 'the token', ad_account_id: '--account' },
  );
  await connect(options.tenant, { platform: 'meta', ...credentials }, settings, options.json);
}

export async function connectGoogleCommand(options: {
  tenant: string;
  customer: string;
  loginCustomer?: string;
  refreshTokenFile?: string;
  refreshTokenStdin?: boolean;
  clientId?: string;
  clientSecretFile?: string;
  developerTokenFile?: string;
  attributionWindow?: string;
  json?: boolean;
}): Promise<void> {
  const settings = settingsOf(options);
  const { config } = commandConfig();
  const install = config.adsOAuth.google;
  // The install's OAuth client and developer token (NIGHTSHIFT_GOOGLE_*) unless given.
  const clientId = options.clientId ?? install?.clientId;
  if (!clientId) throw new UsageError('--client-id is required (or NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID)');
  if (options.clientSecretFile === undefined && !install) {
    throw new UsageError('--client-secret-file is required (or NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET)');
  }
  if (options.developerTokenFile === undefined && !install) {
    throw new UsageError('--developer-token-file is required (or NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN)');
  }
  const clientSecret =
    options.clientSecretFile !== undefined
      ? await secretFrom('client-secret', options.clientSecretFile, false)
      : install!.clientSecret;
  const developerToken =
    options.developerTokenFile !== undefined
      ? await secretFrom('developer-token', options.developerTokenFile, false)
      : install!.developerToken;
  const refreshToken = await secretFrom('refresh-token', options.refreshTokenFile, options.refreshTokenStdin);
  const credentials = checked(
    googleAdsCredentials,
    {
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
      developer_token: developerToken,
      customer_id: options.customer,
      ...(options.loginCustomer !== undefined ? { login_customer_id: options.loginCustomer } : {}),
    },
    {
      refresh_token: 'the refresh token',
      client_id: '--client-id',
      client_secret: 'the client secret',
      developer_token: 'the developer token',
      customer_id: '--customer',
      login_customer_id: '--login-customer',
    },
  );
  await connect(options.tenant, { platform: 'google_ads', ...credentials }, settings, options.json);
}

/** `nightshift accounts`: the tenant's ad accounts, with their status and the platform's last words. */
export async function accountsListCommand(options: { tenant: string; json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const accounts = await withDatabase(config, async (db) => {
    const ref = await resolveTenant(db, options.tenant);
    return listAdAccounts(tenantScoped(db, ref.id), ref.id);
  });
  if (options.json) return writeJson(accounts);
  if (accounts.length === 0) {
    write('No ad accounts. Connect one: nightshift connect meta|google --tenant … (see docs/ad-platforms.md)');
    return;
  }
  write(
    table(
      ['ID', 'PLATFORM', 'ACCOUNT', 'NAME', 'CURRENCY', 'STATUS', 'LAST ERROR'],
      accounts.map((account) => [
        account.id,
        account.platform,
        account.external_account_id,
        account.name,
        account.currency,
        account.status,
        account.status_reason ? oneLine(account.status_reason) : '-',
      ]),
    ),
  );
}

const oneLine = (text: string, max = 100) => {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account's tenant: the one named, or the one that holds the account. */
async function accountTenant(db: Database, id: string, tenant: string | undefined): Promise<string> {
  if (!UUID.test(id))
    throw new UsageError(`expects the account's id (a UUID, from nightshift accounts), got ${JSON.stringify(id)}`);
  if (tenant !== undefined) return (await resolveTenant(db, tenant)).id;
  const found = await db.session((s) => tenantOfAdAccount(s, id));
  if (!found) throw new UsageError(`no ad account ${id}`);
  return found;
}

/** `nightshift accounts test <id>`: asks the platform again; exit 1 when it refused or failed. */
export async function accountsTestCommand(id: string, options: { tenant?: string; json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const cipher = createTokenCipher(resolveSecrets(config).encryptionKey);
  const tested = await withDatabase(config, async (db) => {
    const tenantId = await accountTenant(db, id, options.tenant);
    return testAdAccount(tenantScoped(db, tenantId), { endpoints: config.ads, cipher }, tenantId, id);
  });
  if (options.json) writeJson(tested);
  else if (tested.ok) {
    write(
      `ok: ${platformName(tested.account)} account ${tested.account.external_account_id} is ${tested.account.name} (${tested.account.currency})`,
    );
  } else {
    write(`failed: ${tested.error} (status ${tested.account.status})`);
  }
  if (!tested.ok) process.exitCode = 1;
}

/** `nightshift accounts import <id>`: the account's campaigns become linked campaigns (autopilot off). */
export async function accountsImportCommand(
  id: string,
  options: { tenant?: string; workspace?: string; json?: boolean },
): Promise<void> {
  if (options.workspace !== undefined && !UUID.test(options.workspace)) {
    throw new UsageError(`--workspace expects a workspace id (a UUID), got ${JSON.stringify(options.workspace)}`);
  }
  const { config } = commandConfig();
  const cipher = createTokenCipher(resolveSecrets(config).encryptionKey);
  const imported = await withDatabase(config, async (db) => {
    const tenantId = await accountTenant(db, id, options.tenant);
    return importAdAccountCampaigns(tenantScoped(db, tenantId), { endpoints: config.ads, cipher }, tenantId, id, {
      ...(options.workspace ? { workspaceId: options.workspace } : {}),
    });
  });
  if (options.json) return writeJson(imported);
  write(
    `Imported from ${platformName(imported.account)} account ${imported.account.external_account_id} (${imported.account.name}): ` +
      `${plural(imported.created_campaign_ids.length, 'new campaign')} (autopilot off), ${imported.refreshed} refreshed` +
      ` (${imported.moved_on_platform} moved on the platform), ${imported.skipped_archived} archived or deleted skipped`,
  );
}

function dayOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined || isoDate.safeParse(value).success) return value;
  throw new UsageError(`--${name} expects a day as YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

/**
 * `nightshift accounts sync <id>`: reads the account's stats now, as the hourly schedule does (a new
 * connection's 90-day backfill first), or the days of --from/--to again. Its progress goes to
 * stderr after each chunk of days, so stdout holds only the outcome (or the JSON).
 */
export async function accountsSyncCommand(
  id: string,
  options: { tenant?: string; from?: string; to?: string; json?: boolean },
): Promise<void> {
  const range = { from: dayOption('from', options.from), to: dayOption('to', options.to) };
  const { config } = commandConfig();
  const cipher = createTokenCipher(resolveSecrets(config).encryptionKey);
  const synced = await withDatabase(config, async (db) => {
    const tenantId = await accountTenant(db, id, options.tenant);
    const scoped = tenantScoped(db, tenantId);
    const account = await getAdAccount(scoped, tenantId, id);
    const progress = progressReporter(process.stderr, {
      label: `${platformName(account)} account ${account.external_account_id}: `,
      unit: 'day',
    });
    try {
      return await syncAdAccount(scoped, { endpoints: config.ads, cipher }, tenantId, id, {
        ...(range.from !== undefined ? { from: range.from } : {}),
        ...(range.to !== undefined ? { to: range.to } : {}),
        // As the other commands' bars: none under --json, whose caller reads the outcome alone.
        ...(options.json
          ? {}
          : { onProgress: (p) => progress.update(p.daysDone, p.daysTotal, `through ${p.through}`) }),
      });
    } catch (error) {
      // A range the service refused is the command line's mistake (exit 64), said without the field list.
      if (error instanceof InvalidInputError) {
        throw new UsageError(`--from/--to: ${error.errors.map((e) => e.message).join('; ')}`);
      }
      throw error;
    } finally {
      progress.end();
    }
  });
  if (options.json) return writeJson(synced);
  write(syncSummary(synced));
}

/** "Synced Meta account 8880001 (Acme Social): 90 days, 2026-07-15 to 2026-10-12 (9 chunks): …". */
function syncSummary(synced: AdAccountSyncResult): string {
  const { account } = synced;
  const backfill = account.sync.backfill;
  const unlinked =
    synced.unlinked_entities > 0
      ? `; ${plural(synced.unlinked_rows, 'row')} of ${plural(synced.unlinked_entities, 'campaign')} not imported ignored`
      : '';
  return (
    `Synced ${platformName(account)} account ${account.external_account_id} (${account.name}): ` +
    `${plural(synced.days, 'day')}, ${synced.from} to ${synced.to} (${plural(synced.chunks, 'chunk')}): ` +
    `${plural(synced.inserted, 'row')} new, ${synced.updated} changed, ${synced.unchanged} unchanged${unlinked}; ` +
    (backfill.done ? 'backfill done' : `backfill ${backfill.days_done} of ${plural(backfill.days_total, 'day')}`)
  );
}
