// CLI commands while `nightshift serve` (`npm start`) holds the embedded data: they go through the
// running server (src/db/embedded-link) instead of failing with "in use by process …". The sign-in
// page tells people to run `nightshift token --link`: its link must open the running dashboard.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../scripts/support/cli-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-beside-'));
const env = { NIGHTSHIFT_DATA_DIR: dataDir };
let server: Awaited<ReturnType<typeof startServe>>;

beforeAll(async () => {
  server = await startServe(env, ['--no-worker']);
}, 120_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  if (server) expect((await server.exit).code).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the CLI beside a running embedded server', () => {
  it("token --link prints a link to the running server's own address that signs in", async () => {
    // PORT unset here: the address can only come from the server itself (it listens on a free port).
    const { code, stdout, stderr } = await runCli(['token', '--link'], env);
    expect(stderr).toContain('admin token for');
    expect(code).toBe(0);
    const link = stdout.trim();
    expect(link.startsWith(`${server.url}/#token=`)).toBe(true);
    const token = decodeURIComponent(link.slice(link.indexOf('#token=') + '#token='.length));
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'admin' });
  });

  it("reads and writes the server's data: workspaces, a dry run, then a cycle whose actions the API lists", async () => {
    const workspaces = await runCli(['workspaces'], env);
    expect(workspaces.code).toBe(0);
    expect(workspaces.stdout).toContain('demo');

    const dryRun = await runCli(['cycle', '--dry-run'], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/would/);

    const cycle = await runCli(['cycle', '--json'], env);
    expect(cycle.code).toBe(0);
    const summary = JSON.parse(cycle.stdout) as {
      actions_taken: { campaigns_paused: number; campaigns_scaled: number; campaigns_posted: number };
      suggestions_created: number;
    };
    const { campaigns_paused, campaigns_scaled, campaigns_posted } = summary.actions_taken;
    // Each a ledger row: what the rules did, and what they suggest where autopilot is off.
    const taken = campaigns_paused + campaigns_scaled + campaigns_posted + summary.suggestions_created;
    expect(taken).toBeGreaterThan(0);
    const token = (await runCli(['token'], env)).stdout.trim();
    const actions = await fetch(`${server.url}/api/actions?limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(actions.status).toBe(200);
    const listed = (await actions.json()) as { data: unknown[] };
    expect(listed.data.length).toBeGreaterThanOrEqual(taken);
  });

  it('a command that needs the data folder to itself still names who holds it', async () => {
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code).toBe(69);
    expect(migrate.stderr).toContain(`in use by process ${server.child.pid}`);
  });
});
