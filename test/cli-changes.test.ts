// `nightshift changes` as an operator runs it, against the local Meta stand-in: the changes on
// their way to the platform in words, and `--check`, the dry run that asks Meta whether it would
// take each (execution_options validate_only), changes nothing, and exits 1 when Meta would refuse one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../scripts/support/cli-process.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { migrate } from '../src/db/migrate.ts';
import { executeActions } from '../src/ledger/execute.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { backend } from './support/test-db.ts';

const META_TOKEN = `EAAB${'h'.repeat(60)}`;

const cli = ownCliDatabase('cli-changes');
let meta: MetaGraphServer;
let t: TestTenant;
const dir = mkdtempSync(join(tmpdir(), 'nightshift-cli-changes-'));
const env = (): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  NIGHTSHIFT_GRAPH_API_BASE_URL: `${meta.baseUrl}/v21.0`,
  ...cli.env(),
});
const nightshift = (...args: string[]) => runCli(args, env());

beforeAll(async () => {
  meta = await startMetaGraphServer({ tokens: [META_TOKEN] });
  t = await cli.withDb(async (db) => {
    await migrate(db);
    return createTenant(db);
  });
});
afterAll(async () => {
  await meta?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`nightshift changes (${backend})`, () => {
  it('lists the changes on their way to Meta in words, and dry-runs them without changing anything', async () => {
    meta.addAdAccount({ id: '7770001', name: 'Acme Social', currency: 'EUR' });
    const daily = meta.addCampaign('7770001', { name: 'Prospecting', status: 'ACTIVE', dailyBudget: '5000' });
    // Budgeted for its whole flight: Meta refuses a daily budget there.
    meta.addCampaign('7770001', { name: 'Launch', status: 'ACTIVE', lifetimeBudget: '900000' });
    const tokenFile = join(dir, 'meta-token');
    writeFileSync(tokenFile, META_TOKEN, { mode: 0o600 });
    const connected = await nightshift(
      'connect',
      'meta',
      '--tenant',
      t.tenantId,
      '--account',
      '7770001',
      '--token-file',
      tokenFile,
    );
    expect(connected.code, connected.stderr).toBe(0);
    const accountId = connected.stdout.trim().split(' ').at(-1)!;
    const imported = await nightshift('accounts', 'import', accountId);
    expect(imported.code, imported.stderr).toBe(0);

    // A person's pause of the first and a budget for the second: both wait in the outbox for Meta.
    await cli.withDb(async (db) => {
      const campaigns = await db.session((s) =>
        s.query<{ id: string; title: string; budget: string }>(
          'SELECT id, title, budget::text AS budget FROM campaigns WHERE tenant_id = $1',
          [t.tenantId],
        ),
      );
      const byTitle = new Map(campaigns.map((c) => [c.title, c]));
      const prospecting = byTitle.get('Prospecting')!;
      const launch = byTitle.get('Launch')!;
      await db.transaction((s) =>
        executeActions(s, t.tenantId, { at: new Date() }, [
          {
            campaignId: prospecting.id,
            actionType: 'auto_pause',
            reason: 'test',
            previousState: { status: 'active', budget: Number(prospecting.budget) },
            newState: { status: 'paused', budget: Number(prospecting.budget) },
            status: 'executed',
          },
          {
            campaignId: launch.id,
            actionType: 'auto_scale_up',
            reason: 'test',
            previousState: { status: 'active', budget: Number(launch.budget) },
            newState: { status: 'active', budget: 40 },
            status: 'executed',
          },
        ]),
      );
    });

    const listed = await nightshift('changes', '--tenant', t.tenantId);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CREATED +CAMPAIGN +PLATFORM +CHANGE +STATUS +ATTEMPTS +LAST ERROR$/);
    expect(
      lines
        .slice(1)
        .map((line) => line.replace(/^\S+ \S+ +/, ''))
        .sort(),
    ).toEqual([
      expect.stringMatching(/^Launch +meta +daily budget 40\.00 EUR +queued +0 +-$/),
      expect.stringMatching(/^Prospecting +meta +pause +queued +0 +-$/),
    ]);

    const checked = await nightshift('changes', '--tenant', t.tenantId, '--check');
    expect(checked.code, checked.stderr).toBe(1);
    expect(checked.stdout).toMatch(/ meta +valid +-\n/);
    expect(checked.stdout).toMatch(
      / meta +invalid +Meta: refused the call .*daily budget on an object that has a lifetime budget/,
    );
    expect(meta.object(daily.id)!.status).toBe('ACTIVE');
    const queued = await nightshift('changes', '--tenant', t.tenantId, '--status', 'queued', '--json');
    expect(JSON.parse(queued.stdout).map((c: { status: string }) => c.status)).toEqual(['queued', 'queued']);

    const wrong = await nightshift('changes', '--tenant', t.tenantId, '--status', 'done');
    expect(wrong.code).toBe(64);
    expect(wrong.stderr).toContain('--status is one of queued, sending, confirmed, failed');
    // Six CLI processes, each opening the database (PGlite: a few seconds apiece on a busy machine).
  }, 240_000);
});
