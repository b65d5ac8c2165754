// `nightshift loop` as a user runs it, on a database of its own (it runs over every tenant).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/db/pglite.ts';
import type { Database } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { runCli, SERVER_SECRETS } from './support/cli-process.ts';
import { addStep, emailCampaign } from './support/cmo-world.ts';
import { createTenant } from './support/scenario.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { backend, postgresServerUrl } from './support/test-db.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-cli-loop-'));
let scratch: ScratchDatabase | undefined;
beforeAll(async () => {
  if (backend === 'postgres') scratch = await createScratchDatabase(postgresServerUrl());
});
afterAll(async () => {
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  ...(scratch ? { DATABASE_URL: scratch.url, ...SERVER_SECRETS } : { NIGHTSHIFT_DATA_DIR: dataDir }),
});
const loop = (...args: string[]) => runCli(['loop', ...args], env());

async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = scratch ? await openPostgres(scratch.url) : await openPglite(join(dataDir, 'pgdata'));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

describe(`nightshift loop (${backend})`, () => {
  it('runs a mode over every tenant or one, says what it did, and refuses bad options', async () => {
    // The first command creates and migrates the database.
    expect((await loop('--mode', 'optimize')).code).toBe(0);
    const slug = await withDb(async (db) => {
      const t = await createTenant(db);
      const campaignId = await emailCampaign(db, t, { title: 'Quiet', sends: 60, replies: 0 });
      await addStep(db, t, campaignId, {
        step: 0,
        variants: [
          { label: 'A', sends: 3000, replies: 150 },
          { label: 'B', sends: 3000, replies: 20 },
        ],
      });
      const [row] = await db.session((s) =>
        s.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [t.tenantId]),
      );
      return row!.slug;
    });

    const text = await loop('--mode', 'full', '--tenant', slug);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^CMO loop \(full\) for 1 tenant\(s\)\n/);
    expect(text.stdout).toMatch(
      /completed: 1 campaigns optimized, 1 changes applied \(1 variants killed\), 0 suggestions, 0 stale assets flagged, 1 underperforming alerts/,
    );

    const json = await loop('--mode', 'full', '--tenant', slug, '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ mode: 'full', tenants_processed: 1, errors: [] });
    expect(report.results[0]).toMatchObject({ variants_killed: 0, underperforming_alerts: 0, status: 'completed' });

    const weekly = await loop('--mode', 'summarize', '--tenant', slug);
    expect(weekly.stdout).toMatch(/summary of \d{4}-\d\d-\d\d written/);

    const badMode = await loop('--mode', 'sometimes');
    expect(badMode.code).toBe(64);
    expect(badMode.stderr).toMatch(/--mode must be one of optimize, full, summarize; got "sometimes"/);
    const badTenant = await loop('--tenant', 'nobody-here');
    expect(badTenant.code).toBe(64);
    expect(badTenant.stderr).toMatch(/no tenant "nobody-here"/);
  });
});
