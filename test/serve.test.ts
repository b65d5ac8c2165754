import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS, startServe } from './support/cli-process.ts';
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
});
