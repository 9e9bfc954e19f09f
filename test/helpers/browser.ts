import fs from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LATHE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches the system Chromium headless with the flags that work as root on our machines
 * (ENVIRONMENT.md). Fails loudly when Chromium is missing: .ci/run installs it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set LATHE_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page whose uncaught errors (`pageerror`) collect in `errors`. */
export type TrackedPage = Page & { errors: string[] };

export interface OpenPageOptions extends BrowserContextOptions {
  /** Appended to the URL that loads the app, e.g. `#/compare?runs=…`. */
  route?: string;
  /** Set as `location.hash` once the app has loaded (an in-app navigation). */
  hash?: string;
}

/**
 * Opens the app of `serve` (URL with its token) in a new context of `browser`; the page's
 * uncaught errors collect in `page.errors`.
 */
export async function openPage(browser: Browser, serve: { url: string; token: string }, options: OpenPageOptions): Promise<TrackedPage> {
  const { route = '', hash, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  const page = (await context.newPage()) as TrackedPage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${serve.url}?token=${serve.token}${route}`);
  if (hash !== undefined) await page.evaluate((h) => (window.location.hash = h), hash);
  return page;
}
