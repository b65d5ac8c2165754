// The dashboard end to end: the real `nightshift serve` (embedded, demo data) and Debian's
// Chromium driven by playwright-core. No browser is downloaded: CI installs Debian's chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `npm run build` if web/ changed since the last build: the server serves what web/dist holds. */
export function buildDashboard(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.ts'), '--if-stale'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`the dashboard build failed:\n${result.stdout}\n${result.stderr}`);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH; the dashboard tests need a real browser`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and 5xx answers seen so far. */
  problems: string[];
}

/**
 * A fresh browser context (its own session storage) at `width` px. Responses the test provokes on
 * purpose (a 409 conflict) make Chromium log "Failed to load resource"; those are left to the
 * status check, which only 5xx fails.
 */
export async function openPage(browser: Browser, width = 1280): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  return { page, problems };
}

/** Until no part of the page says it is loading (a busy machine takes seconds for one answer). */
export async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
}

/**
 * A page signed in through the sign-in link (`baseUrl/#token=…`) at `width` px, then on `#/path`
 * once the page has settled; watched (its problems collected in `watched`).
 */
export async function signedInAt(
  browser: Browser,
  watched: WatchedPage[],
  { baseUrl, token, path, width = 1280 }: { baseUrl: string; token: string; path: string; width?: number },
): Promise<Page> {
  const opened = await openPage(browser, width);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${baseUrl}/#token=${token}`);
  // Sign-in reads /api/me first: on a busy machine that takes more than the poll's default second.
  await expect.poll(() => page.evaluate<string>('location.hash'), { timeout: 30_000 }).toBe('#/overview');
  await page.goto(`${baseUrl}/#/${path}`);
  await settled(page);
  return page;
}

/** The admin token of the sign-in link `nightshift serve` prints once it is up. */
export async function printedSignInToken(output: () => string, timeoutMs = 60_000): Promise<string> {
  for (let waited = 0; !/#token=\S+\n/.test(output()); waited += 100) {
    if (waited > timeoutMs) throw new Error(`serve printed no sign-in link:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return decodeURIComponent(/#token=(\S+)/.exec(output())![1]!);
}
