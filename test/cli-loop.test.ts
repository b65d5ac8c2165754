// `nightshift loop` as a user runs it, on a database of its own (it runs over every tenant).
import { describe, expect, it } from 'vitest';
import { runCli } from '../scripts/support/cli-process.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { addStep, emailCampaign } from './support/cmo-world.ts';
import { createTenant } from './support/scenario.ts';
import { backend } from './support/test-db.ts';

const cli = ownCliDatabase('cli-loop');
const { withDb } = cli;
const env = (): Record<string, string> => ({ LOG_LEVEL: 'warn', ...cli.env() });
const loop = (...args: string[]) => runCli(['loop', ...args], env());

describe(`nightshift loop (${backend})`, () => {
  it('runs a mode over every tenant or one, says what it did, and refuses bad options', async () => {
    // The first command creates and migrates the database.
    expect((await loop('--mode', 'optimize')).code).toBe(0);
    const { slug, tenantId } = await withDb(async (db) => {
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
      return { slug: row!.slug, tenantId: t.tenantId };
    });

    const text = await loop('--mode', 'full', '--tenant', slug);
    expect(text.code, text.stderr).toBe(0);
    // The tenant by its name (createTenant names it by its slug), each count agreeing with its noun.
    expect(text.stdout).toMatch(
      new RegExp(
        `^CMO loop \\(full\\) for 1 tenant\n  ${slug} \\(${slug}\\) completed: 1 campaign optimized, 1 change applied \\(1 variant killed\\), 0 suggestions, 0 stale assets flagged, 1 underperforming alert \\(run `,
      ),
    );
    // Progress per tenant on stderr.
    expect(text.stderr).toBe('loop: 1 of 1 tenant\n');

    const json = await loop('--mode', 'full', '--tenant', slug, '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ mode: 'full', tenants_processed: 1, errors: [] });
    expect(report.results[0]).toMatchObject({ variants_killed: 0, underperforming_alerts: 0, status: 'completed' });

    // The tenant by its id, as by its slug.
    const byId = await loop('--mode', 'optimize', '--tenant', tenantId);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(/^CMO loop \(optimize\) for 1 tenant\n/);

    const weekly = await loop('--mode', 'summarize', '--tenant', slug);
    expect(weekly.stdout).toMatch(/summary of \d{4}-\d\d-\d\d written/);

    const badMode = await loop('--mode', 'sometimes');
    expect(badMode.code).toBe(64);
    expect(badMode.stderr).toMatch(/--mode must be one of optimize, full, summarize; got "sometimes"/);
    const badTenant = await loop('--tenant', 'nobody-here');
    expect(badTenant.code).toBe(64);
    expect(badTenant.stderr).toMatch(/no tenant with slug "nobody-here"/);
  });
});
