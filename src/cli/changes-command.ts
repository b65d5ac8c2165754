// `nightshift changes`: the pauses, resumes and budgets on their way to the ad platforms (or sent),
// newest first, and `--check`, a dry run asking each platform whether it would take the queued
// ones. The same services as /api/platform-changes.
import { PLATFORM_CHANGE_STATUSES } from '../contract/platform-changes.ts';
import { createTokenCipher } from '../crypto/token-cipher.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { resolveSecrets } from '../secrets.ts';
import { checkPlatformChanges } from '../services/platform-change-check.ts';
import { listPlatformChanges } from '../services/platform-change-records.ts';
import { resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './options.ts';
import { table } from './table.ts';

const write = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const oneLine = (text: string | null | undefined, max = 100) => {
  const line = (text ?? '').split('\n')[0] || '-';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export interface ChangesOptions {
  tenant: string;
  status?: string;
  limit?: string;
  check?: boolean;
  json?: boolean;
}

export async function changesCommand(options: ChangesOptions): Promise<void> {
  const status = options.status;
  if (status !== undefined && !(PLATFORM_CHANGE_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status is one of ${PLATFORM_CHANGE_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  }
  if (options.check && status !== undefined) throw new UsageError('--check reads the queued changes: drop --status');
  const limit = options.limit === undefined ? 50 : positiveInt('limit', options.limit, 200);
  const { config } = commandConfig();
  if (options.check) {
    const cipher = createTokenCipher(resolveSecrets(config).encryptionKey);
    const checked = await withDatabase(config, async (db) => {
      const tenant = await resolveTenant(db, options.tenant);
      return checkPlatformChanges(db, { tenantId: tenant.id, endpoints: config.ads, cipher, limit });
    });
    if (options.json) return write(JSON.stringify(checked, null, 2));
    if (checked.length === 0) return write('No changes queued for the ad platforms.');
    write(
      table(
        ['CHANGE', 'CAMPAIGN', 'PLATFORM', 'VERDICT', 'REASON'],
        // The platform's words in full: they are what the person acts on.
        checked.map((c) => [c.change_id, c.campaign_id, c.platform, c.verdict, oneLine(c.reason, 1000)]),
      ),
    );
    // A change a platform would refuse is worth a non-zero exit in a script.
    if (checked.some((c) => c.verdict === 'invalid')) process.exitCode = 1;
    return;
  }
  const changes = await withDatabase(config, async (db) => {
    const tenant = await resolveTenant(db, options.tenant);
    return listPlatformChanges(tenantScoped(db, tenant.id), tenant.id, {
      limit,
      ...(status ? { status } : {}),
    });
  });
  const page = changes.slice(0, limit).map(({ sort_key: _, ...change }) => change);
  if (options.json) return write(JSON.stringify(page, null, 2));
  if (page.length === 0) return write('No changes sent to the ad platforms yet.');
  write(
    table(
      ['CREATED', 'CAMPAIGN', 'PLATFORM', 'CHANGE', 'STATUS', 'ATTEMPTS', 'LAST ERROR'],
      page.map((c) => [
        c.created_at.slice(0, 19).replace('T', ' '),
        oneLine(c.campaign_title, 40),
        c.platform,
        c.change,
        c.status,
        String(c.attempts),
        oneLine(c.last_error),
      ]),
      new Set([5]),
    ),
  );
}
