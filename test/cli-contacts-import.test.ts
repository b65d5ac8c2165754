// `nightshift contacts import FILE.csv` as a user runs it: every row checked before anything is
// written, the bad ones named by row and field, the good ones written in batches with progress,
// and bad options refused with the option's name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../scripts/support/cli-process.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { createTenant } from './support/scenario.ts';
import { backend } from './support/test-db.ts';

const cli = ownCliDatabase('cli-contacts-import');
const env = (): Record<string, string> => ({ LOG_LEVEL: 'warn', ...cli.env() });
const nightshift = (...args: string[]) => runCli(args, env());
const files = mkdtempSync(join(tmpdir(), 'nightshift-csv-'));
afterAll(() => rmSync(files, { recursive: true, force: true }));

function csvFile(name: string, lines: string[]): string {
  const path = join(files, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const contactCount = (tenantId: string) =>
  cli.withDb(async (db) => {
    const [row] = await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1', [tenantId]),
    );
    return row!.n;
  });

describe(`nightshift contacts import (${backend})`, () => {
  it('writes nothing while a row is bad, imports the good rows with --on-error skip, and names each bad row', async () => {
    expect((await nightshift('migrate')).code).toBe(0);
    const { tenant, slug, segmentId } = await cli.withDb(async (db) => {
      const t = await createTenant(db);
      const [row] = await db.session((s) =>
        s.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [t.tenantId]),
      );
      const [segment] = await db.session((s) =>
        s.query<{ id: string }>(
          "INSERT INTO segments (tenant_id, workspace_id, name) VALUES ($1, $2, 'Imported') RETURNING id",
          [t.tenantId, t.workspaceId],
        ),
      );
      return { tenant: t, slug: row!.slug, segmentId: segment!.id };
    });
    const file = csvFile('people.csv', [
      'email,first_name,plan',
      'ann@example.com,Ann,pro',
      'not-an-email,Bob,free',
      'cid@example.com,Cid,',
      'ANN@example.com,Ann again,',
    ]);

    const refused = await nightshift('contacts', 'import', file, '--tenant', slug);
    expect(refused.code).toBe(64);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      '  row 2, email: expects an email address\n' +
        '  row 4, email: repeats the email of row 1\n' +
        `nightshift: ${file}: 2 of 4 rows invalid; nothing was imported (--on-error skip imports the others)\n`,
    );
    expect(await contactCount(tenant.tenantId)).toBe(0);

    const skipped = await nightshift('contacts', 'import', file, '--tenant', slug, '--on-error', 'skip');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toBe(
      `Imported ${file} into ${slug} (${slug}): 2 new, 0 updated, 2 rows skipped\n` +
        '  row 2, email: expects an email address\n' +
        '  row 4, email: repeats the email of row 1\n',
    );
    expect(await contactCount(tenant.tenantId)).toBe(2);

    // Again, into a segment, as JSON: the same rows update their contacts.
    const again = await nightshift(
      'contacts',
      'import',
      file,
      '--tenant',
      slug,
      '--on-error',
      'skip',
      '--segment',
      segmentId,
      '--json',
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toEqual({
      imported: 0,
      updated: 2,
      added_to_segment: 2,
      segment_id: segmentId,
      rejected: [
        { row: 2, field: 'email', message: 'expects an email address' },
        { row: 4, field: 'email', message: 'repeats the email of row 1' },
      ],
    });
    expect(await contactCount(tenant.tenantId)).toBe(2);
  }, 120_000);

  it('imports a file larger than one request in batches, with progress', async () => {
    const tenant = await cli.withDb((db) => createTenant(db));
    const rows = Array.from({ length: 2500 }, (_, i) => `person${i}@example.com,Person ${i}`);
    const file = csvFile('many.csv', ['email,first_name', ...rows]);
    const result = await nightshift('contacts', 'import', file, '--tenant', tenant.tenantId);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/: 2500 new, 0 updated, 0 rows skipped\n$/);
    expect(result.stderr).toBe('import: 1000 of 2500 rows\nimport: 2000 of 2500 rows\nimport: 2500 of 2500 rows\n');
    expect(await contactCount(tenant.tenantId)).toBe(2500);
  }, 120_000);

  it.each([
    [['--on-error', 'maybe'], /^nightshift: --on-error expects abort or skip \(got "maybe"\)$/],
    [['--segment', 'audience'], /^nightshift: --segment expects a segment id \(a UUID\), got "audience"$/],
    [['--segment', '00000000-0000-4000-8000-000000000000'], /^nightshift: --segment names no segment of this tenant$/],
  ])('%j is refused with the option’s name (exit 64), and nothing is written', async (args, message) => {
    const tenant = await cli.withDb((db) => createTenant(db));
    const file = csvFile('one.csv', ['email', 'one@example.com']);
    const result = await nightshift('contacts', 'import', file, '--tenant', tenant.tenantId, ...args);
    expect(result.code).toBe(64);
    expect(result.stderr.trim()).toMatch(message);
    expect(await contactCount(tenant.tenantId)).toBe(0);
  });

  it('refuses a file it cannot read, or one that is no contacts CSV, naming the file', async () => {
    const missing = await nightshift('contacts', 'import', join(files, 'nowhere.csv'), '--tenant', 'x');
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/^nightshift: cannot read \S+nowhere\.csv: ENOENT/);
    const file = csvFile('names.csv', ['first_name,last_name', 'Ann,Smith']);
    const noKey = await nightshift('contacts', 'import', file, '--tenant', 'x');
    expect(noKey.code).toBe(64);
    expect(noKey.stderr).toBe(`nightshift: ${file}: header: needs an email or a phone column\n`);
  });
});
