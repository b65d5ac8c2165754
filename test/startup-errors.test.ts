import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SERVER_SECRETS } from '../scripts/support/cli-process.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('start-up refuses bad settings with a one-line explanation', () => {
  it('a malformed DATABASE_URL', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'mysql://root:topsecret@db/app', ...SERVER_SECRETS });
    expect(result.code).toBe(78);
    expect(oneLine(result.stderr)).toBe(
      'nightshift: configuration error: DATABASE_URL expects a URL like postgres://user:password@host:5432/database',
    );
    expect(result.stdout + result.stderr).not.toContain('topsecret');
  });

  it('a DATABASE_URL where no server answers', async () => {
    const port = await closedPort();
    const result = await runCli(['serve'], {
      DATABASE_URL: `postgres://app:topsecret@127.0.0.1:${port}/app`,
      ...SERVER_SECRETS,
    });
    expect(result.code).toBe(69);
    expect(oneLine(result.stderr)).toMatch(
      new RegExp(
        `^nightshift: cannot connect to DATABASE_URL \\(postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app\\): .*ECONNREFUSED`,
      ),
    );
    expect(result.stdout + result.stderr).not.toContain('topsecret');
  });

  it.each(['abc', '99999', '80.5'])('PORT=%s', async (port) => {
    const result = await runCli(['serve'], { PORT: port });
    expect(result.code).toBe(78);
    expect(oneLine(result.stderr)).toBe(
      `nightshift: configuration error: PORT expects an integer from 0 to 65535 (got ${JSON.stringify(port)})`,
    );
  });

  it('a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-port-'));
    try {
      const result = await runCli(['serve', '--no-demo'], { PORT: String(port), NIGHTSHIFT_DATA_DIR: dataDir });
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toBe(
        `nightshift: cannot listen on 127.0.0.1:${port}: EADDRINUSE (another program, or another Nightshift, has the port): stop it, or choose another port, e.g. PORT=${port + 1}`,
      );
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
