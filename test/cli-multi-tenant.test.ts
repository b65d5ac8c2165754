// Commands over several tenants as an operator reads them, on a database of their own: each
// tenant under its name, counts that agree with their nouns, and a dry run that says what would
// happen rather than what did.
import { describe, expect, it } from 'vitest';
import { runCli } from '../scripts/support/cli-process.ts';
import { ownCliDatabase } from './support/cli-database.ts';
import { backend } from './support/test-db.ts';

const cli = ownCliDatabase('cli-multi-tenant');
const env = (): Record<string, string> => ({ LOG_LEVEL: 'warn', ...cli.env() });
const nightshift = (...args: string[]) => runCli(args, env());

describe(`nightshift over several tenants (${backend})`, () => {
  it('workspaces lists each tenant’s under its name; cycle heads each tenant’s decisions with it', async () => {
    const demo = await nightshift('demo', '--tenants', '2', '--campaigns', '30', '--days', '10', '--prefix', 'multi');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/^created 2 tenants, skipped 0 existing; 60 campaigns, /);
    // Progress on stderr, in plain lines (no terminal here).
    expect(demo.stderr).toContain('demo: 60 of 60 campaigns\n');

    const workspaces = await nightshift('workspaces');
    expect(workspaces.code, workspaces.stderr).toBe(0);
    const listed = JSON.parse((await nightshift('workspaces', '--json')).stdout) as {
      tenants: { slug: string; name: string; workspaces: { id: string; slug: string; name: string }[] }[];
    };
    expect(listed.tenants.map((t) => t.slug)).toEqual(['multi', 'multi-2']);
    const [first, second] = listed.tenants;
    expect(first!.workspaces).toHaveLength(1);
    const lines = workspaces.stdout.split('\n');
    expect(lines[0]).toBe(`${first!.name} (multi)`);
    expect(lines[1]).toMatch(/^ {2}id +slug +name +created$/);
    expect(lines[2]).toMatch(
      new RegExp(`^  ${first!.workspaces[0]!.id}  main +${first!.workspaces[0]!.name} +\\d{4}-`),
    );
    expect(lines[3]).toBe('');
    expect(lines[4]).toBe(`${second!.name} (multi-2)`);
    expect(lines[6]).toMatch(new RegExp(`^  ${second!.workspaces[0]!.id}  main `));
    const one = await nightshift('workspaces', '--tenant', 'multi-2');
    expect(one.stdout.split('\n')[0]).toBe(`${second!.name} (multi-2)`);
    expect(one.stdout).not.toContain('(multi)');

    const preview = await nightshift('cycle', '--dry-run');
    expect(preview.code, preview.stderr).toBe(0);
    const planned = JSON.parse((await nightshift('cycle', '--dry-run', '--json')).stdout) as {
      actions_taken: { campaigns_paused: number };
      results: { decisions: object[]; guardrail_stops: object[] }[];
    };
    const text = preview.stdout;
    expect(text).toMatch(/^Autonomous cycle preview \(dry run, nothing written\) for 2 tenants\n/);
    expect(text).toContain(`\n  Campaigns that would be paused: ${planned.actions_taken.campaigns_paused}\n`);
    expect(text).toContain('\n  Suggestions that would await approval: ');
    // Nothing in a preview is said as done.
    expect(text).not.toMatch(/\n {4}(did|paused|scaled up|suggests)\b/);
    expect(text).not.toMatch(/Campaigns paused:/);
    for (const [i, t] of listed.tenants.entries()) {
      const result = planned.results[i]!;
      if (result.decisions.length + result.guardrail_stops.length > 0)
        expect(text).toContain(`\n  ${t.name} (${t.slug})\n`);
    }
    // The decisions sit under their tenant's heading, one line each; guardrail stops are one line a tenant.
    const decisionLines = text.split('\n').filter((l) => /^ {4}would /.test(l));
    expect(decisionLines).toHaveLength(planned.results.reduce((n, r) => n + r.decisions.length, 0));
    expect(text.split('\n').filter((l) => l.startsWith('    stopped by guardrails: ')).length).toBeLessThanOrEqual(2);
    // No tenant is named by its id.
    expect(text).not.toMatch(/^ {2}[0-9a-f]{8}-[0-9a-f]{4}-/m);

    // The cycle itself says what it did, in the past tense.
    const done = await nightshift('cycle');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^Autonomous cycle complete for 2 tenants\n {2}Campaigns paused: \d+\n/);
    expect(done.stdout).not.toMatch(/would/);
  }, 180_000);
});
