import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { LAUNCHER, SERVER_SECRETS, startServe } from './support/cli-process.ts';
import { backend, postgresTestUrl } from './support/test-db.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (): Record<string, string> =>
  backend === 'postgres' ? { DATABASE_URL: postgresTestUrl(), ...SERVER_SECRETS } : { NIGHTSHIFT_DATA_DIR: dataDir };

describe(`nightshift serve (${backend})`, () => {
  it('serves health and readiness, and exits cleanly on SIGINT', async () => {
    // On the shared test server the job worker stays off: its schedules would act on other tests' tenants.
    const server = await startServe(env(), backend === 'postgres' ? ['--no-worker'] : []);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: backend });
    server.child.kill('SIGINT');
    const { code, stdout } = await server.exit;
    expect(code).toBe(0);
    expect(stdout).toContain('database closed');
    if (backend === 'pglite') {
      expect(stdout).toContain('"msg":"demo data loaded"');
      expect(stdout).toContain('with a job worker');
      expect(stdout).toContain('"msg":"job worker stopped"');
      // The sign-in link carries the token in its fragment, which browsers never send to the server.
      expect(stdout).toMatch(
        /Sign in as the local admin \(tenant demo, valid 30 days\): http:\/\/127\.0\.0\.1:\d+\/#token=ey[\w-]+\.[\w-]+\.[\w-]+\n/,
      );
    } else {
      // On a shared server tokens are minted on purpose (`nightshift token`), never printed at start.
      expect(stdout).not.toContain('demo data loaded');
      expect(stdout).not.toContain('#token=');
      expect(stdout).toContain('API only');
      expect(stdout).not.toContain('job worker started');
    }
  });

  it('through bin/nightshift.mjs (npm start) runs with the server flags, and a signal to it reaches the server', async () => {
    const server = await startServe(env(), ['--no-worker', '--no-demo'], LAUNCHER);
    const launcherPid = server.child.pid!;
    // The launcher starts the server as its one child: the V8 flags are set only at a process's start.
    const [serverPid] = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, 'utf8').trim().split(' ');
    const argv = readFileSync(`/proc/${serverPid}/cmdline`, 'utf8').split('\0');
    expect(argv).toEqual(
      expect.arrayContaining([...SERVER_NODE_FLAGS, expect.stringMatching(/src\/cli\.ts$/), 'serve']),
    );
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    server.child.kill('SIGTERM');
    const { code, stdout } = await server.exit;
    expect(code).toBe(0);
    expect(stdout).toContain('"signal":"SIGTERM"');
    expect(stdout).toContain('database closed');
    expect(existsSync(`/proc/${serverPid}`)).toBe(false);
  });
});
