// Runs a TypeScript entry point on a Node that can strip types (>= 22.18 or >= 23.6).
//
// Why this file exists: `npm install && npm start` must work on a fresh machine, and the Debian
// images we deploy to ship Node 20. On a new-enough Node the entry point is imported in this
// very process (signals reach it directly). On an older one, node@24 is installed from the npm
// registry into a cache folder outside the repository (never replacing the system's Node) and
// the entry point runs under it as a child process. Plain JavaScript, so Node 18/20 can run it.
//
// The entry point runs with Node's compile cache on (a Node >= 22.1 API: never called on the old
// one): stripping the types of the first TypeScript file loads a WebAssembly compiler (about
// 0.15 s on every call), and the cache keeps each file's stripped and compiled code between
// calls, so a command starts in a fraction of that.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function canStripTypes(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

function cachedNode() {
  const cacheDir = process.env.NIGHTSHIFT_NODE_CACHE || join(homedir(), '.cache', 'node24');
  const nodeBin = join(cacheDir, 'node_modules', '.bin', 'node');
  if (!existsSync(nodeBin)) {
    process.stderr.write(
      `nightshift: Node ${process.versions.node} is too old (need >= 22.18); installing node@24 into ${cacheDir}\n`,
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['install', '--prefix', cacheDir, '--no-save', 'node@24'], {
      stdio: 'inherit',
    });
    if (result.status !== 0 || !existsSync(nodeBin)) {
      process.stderr.write('nightshift: could not install node@24; install Node >= 22.18 and retry\n');
      process.exit(1);
    }
  }
  return nodeBin;
}

export async function launch(entry, args) {
  const target = resolve(entry);
  if (canStripTypes(process.versions.node)) {
    // In the system's temporary folder, keyed by Node's version and each file's content; it
    // respects NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE, and a cache it cannot write is skipped.
    module.enableCompileCache();
    process.argv = [process.argv[0], target, ...args];
    await import(pathToFileURL(target).href);
    return;
  }
  // The child gets a process group of its own, so a Ctrl-C in the terminal reaches it once (through
  // this forwarder) rather than twice (from the terminal and from us): a second SIGINT means
  // "exit now" to the server and would skip its clean shutdown.
  // Through this launcher again, so that the child runs with the compile cache too.
  const child = spawn(cachedNode(), [fileURLToPath(import.meta.url), target, ...args], {
    stdio: 'inherit',
    detached: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  process.on('exit', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

const isMain = process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node scripts/node-launch.mjs <entry.ts> [args...]\n');
    process.exit(2);
  }
  await launch(entry, args);
}
