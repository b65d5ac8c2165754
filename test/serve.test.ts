import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS, startServe } from '../scripts/support/cli-process.ts';
import { backend, postgresTestUrl } from './support/test-db.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (): Record<string, string> =>
  backend === 'postgres' ? { DATABASE_URL: postgresTestUrl(), ...SERVER_SECRETS } : { NIGHTSHIFT_DATA_DIR: dataDir };

describe(`nightshift serve (${backend})`, () => {
  it('serves health, readiness and metrics on their own address, and exits cleanly on SIGINT', async () => {
    // On the shared test server the job worker stays off: its schedules would act on other tests' tenants.
    const server = await startServe(
      { ...env(), NIGHTSHIFT_METRICS_ADDRESS: '127.0.0.1:0' },
      backend === 'postgres' ? ['--no-worker'] : [],
    );
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: backend });
    // The metrics listener needs no secret (its address is its protection); the API's /metrics does.
    const metricsUrl = /"url":"(http:\/\/[^"]+\/metrics)","msg":"metrics listening"/.exec(server.output())?.[1];
    expect(metricsUrl).toBeDefined();
    expect(metricsUrl).not.toBe(`${server.url}/metrics`);
    const scraped = await fetch(metricsUrl!);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('nightshift_http_requests_total');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(metricsUrl!.replace(/\/metrics$/, '/healthz'))).status).toBe(404);
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
        /Sign in as the local admin \(tenant demo, valid 12 h\): http:\/\/127\.0\.0\.1:\d+\/#token=ey[\w-]+\.[\w-]+\.[\w-]+\n/,
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
