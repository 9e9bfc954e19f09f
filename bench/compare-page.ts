/**
 * Compare-page benchmark (issue #4): 10 runs × 10 metric keys × 10,000 steps, opened in
 * Chromium through `lathe serve`. For each navigation it prints, in ms since navigation start:
 *   - first chart: the first chart drawn;
 *   - all charts: all 10 charts drawn (the viewport is tall enough that all are in view);
 *   - interactive: the later of "all charts" and the end of the last long task (> 50 ms) —
 *     the page answers input from then on (a TTI in the Lighthouse sense);
 *   - input → redraw: ticking "Log scale" until all 10 charts are drawn again.
 * The first navigation hits a cold server (statements not yet prepared, pages not cached).
 *
 *   npm run build && node bench/run.mjs bench/compare-page.ts [--runs 5] [--width 1600] [--height 1500]
 *
 * Target: interactive within 2,000 ms of navigation.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser';
import { tempHome } from '../test/helpers/temp-home';
import { seedCompare } from '../test/e2e/seed-tracking';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `lathe serve` (the built CLI) on a free port; test/helpers/serve-process.ts needs CommonJS' __dirname, which the bench runner lacks. */
async function startServe(home: string) {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/lathe.js'), 'serve', '--home', home, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const m = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lathe serve printed no URL: ${out}`)), 20_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const found = out.match(/Open (http:\/\/\S+\/)\?token=(\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  return {
    url: m[1]!,
    token: m[2]!,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Collects long tasks from the first byte of the page on. */
const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
`;

async function chartsReady(page: Page, n: number): Promise<number> {
  await page.waitForFunction(
    (count) => {
      const ready = document.querySelectorAll('[data-testid="compare-chart"][data-state="ready"] canvas');
      return ready.length >= count;
    },
    n,
    { timeout: 30_000, polling: 'raf' },
  );
  return page.evaluate(() => performance.now());
}

export default async function main(args: string[]): Promise<void> {
  const runs = arg(args, '--runs', 5);
  const width = arg(args, '--width', 1600);
  const height = arg(args, '--height', 1500);
  const t = tempHome('lathe-bench-compare-');
  const s0 = performance.now();
  const seeded = seedCompare(t.home, 10, 10, 10_000);
  console.log(`seeded 10 runs × 10 keys × 10,000 steps (${(10 * 10 * 10_000).toLocaleString()} points + system series) in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  console.log(`host: ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; viewport ${width}×${height}`);
  const serve = await startServe(t.home);
  const browser = await launchChromium();
  const rows: Array<{ first: number; all: number; interactive: number; redraw: number; longest: number }> = [];
  try {
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width, height } });
      await context.addInitScript(LONG_TASKS);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${serve.url}?token=${serve.token}#/compare?runs=${seeded.runIds.join(',')}`);
      const first = await chartsReady(page, 1);
      const all = await chartsReady(page, seeded.keys.length);
      // Give late long tasks (chart drawing after the last fetch) a moment to be recorded.
      await page.waitForTimeout(300);
      const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: Array<[number, number]> }).__longTasks);
      const lastLongEnd = longTasks.reduce((m, [start, d]) => Math.max(m, start + d), 0);
      const longest = longTasks.reduce((m, [, d]) => Math.max(m, d), 0);
      const interactive = Math.max(all, lastLongEnd);
      const before = await page.evaluate(() => performance.now());
      await page.getByTestId('log-scale').click();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="compare-chart"]')].every((c) => c.getAttribute('data-state') === 'ready'), undefined, { polling: 'raf' });
      await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
      const redraw = (await page.evaluate(() => performance.now())) - before;
      if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
      rows.push({ first, all, interactive, redraw, longest });
      console.log(
        `${r === 0 ? 'cold' : 'warm'} #${r + 1}: first chart ${first.toFixed(0)} ms · all 10 charts ${all.toFixed(0)} ms · interactive ${interactive.toFixed(0)} ms · longest task ${longest.toFixed(0)} ms · log-scale toggle → redrawn ${redraw.toFixed(0)} ms`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await serve.stop();
    t.cleanup();
  }
  const warm = rows.slice(1);
  if (warm.length) {
    console.log(
      `\nmedian of ${warm.length} warm navigations: first chart ${median(warm.map((x) => x.first)).toFixed(0)} ms · all charts ${median(warm.map((x) => x.all)).toFixed(0)} ms · interactive ${median(warm.map((x) => x.interactive)).toFixed(0)} ms (target ≤ 2000 ms)`,
    );
  }
  console.log(`cold navigation: interactive ${rows[0]!.interactive.toFixed(0)} ms`);
}
