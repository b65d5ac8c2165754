// `npm run build`: the admin dashboard (web/) into web/dist with Vite, and its gzipped script size
// checked against the budget (300 KB). `--if-stale` (npm start) builds only when a source file is
// newer than the last build, so a start after a change never serves an old dashboard.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const web = join(import.meta.dirname, '..', 'web');
const dist = join(web, 'dist');
const BUDGET_GZIP_BYTES = 300 * 1024;

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function builtAt(): number {
  try {
    return statSync(join(dist, 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts')];
if (process.argv.includes('--if-stale') && builtAt() > Math.max(...sources.map(newestSource))) process.exit(0);

const started = performance.now();
// Always React's production build, the one users get: a NODE_ENV inherited from the caller (vitest
// sets 'test') would otherwise give the development build, which runs every effect twice.
process.env.NODE_ENV = 'production';
await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
const assets = join(dist, 'assets');
const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
const gzipped = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name))).length, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `dashboard built into web/dist in ${seconds} s: ${scripts.length} script(s), ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)\n`,
);
if (gzipped > BUDGET_GZIP_BYTES) {
  process.stderr.write('the dashboard script is over its gzipped budget\n');
  process.exit(1);
}
