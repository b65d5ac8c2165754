// `npm test`: the whole suite on PGlite and on a real Postgres server.
// Server: TEST_DATABASE_URL if given; else a throwaway server started here (initdb in a temp
// folder, loopback, free port) and stopped on every exit path; else, with no server binaries on
// the machine, PGlite alone, said loudly.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findPostgresBinDir, startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

const root = join(import.meta.dirname, '..');
let server: ThrowawayPostgres | undefined;
const stopServer = () => server?.stop();

let serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  const binDir = findPostgresBinDir();
  if (binDir) {
    server = await startThrowawayPostgres(binDir);
    serverUrl = server.url;
    process.stdout.write(`npm test: throwaway PostgreSQL at ${serverUrl} (${binDir})\n`);
  } else {
    const bar = '!'.repeat(78);
    process.stderr.write(
      `${bar}\n!! No PostgreSQL server binaries found and TEST_DATABASE_URL is not set:\n` +
        `!! running the PGlite pass ONLY. Install postgresql (or set PG_BIN / TEST_DATABASE_URL)\n` +
        `!! to run the suite on a real server too.\n${bar}\n`,
    );
  }
} else {
  process.stdout.write('npm test: using the PostgreSQL server at TEST_DATABASE_URL\n');
}

const vitest = spawn(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(serverUrl ? { TEST_DATABASE_URL: serverUrl } : {}) },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    vitest.kill(signal);
  });
}
const code = await new Promise<number>((resolve) => vitest.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
stopServer();
process.exit(code);
