import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempHome } from '../helpers/temp-home';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { httpClient } from '../helpers/api-client';
import { launchChromium, openPage, type TrackedPage } from '../helpers/browser';
import { createCore } from '../../src/main/core/create-core';
import { seedCompare, type SeededCompare } from './seed-tracking';

/**
 * The compare view in Chromium against `lathe serve`: 10 charts × 10 runs × 10,000 steps
 * with smoothing and zoom (finer buckets fetched), live refresh keeping the zoom, params
 * "only differences", parallel coordinates, scatter, grouping, and 120 runs at once.
 */
const SHOTS = path.resolve(__dirname, '../../test-results');
let serve: ServeProcess;
let browser: Browser;
let cleanup: () => void;
let api: ReturnType<typeof httpClient>;
let seeded: SeededCompare;
let many: string[] = [];

beforeAll(async () => {
  const t = tempHome();
  cleanup = t.cleanup;
  seeded = seedCompare(t.home, 10, 10, 10_000);
  // 120 short runs: more than one metrics.chart request takes (100).
  const core = createCore({ home: t.home });
  core.db.pragma('synchronous = OFF');
  const exp = core.tracking.createExperiment('many-runs');
  many = Array.from({ length: 120 }, (_, r) => {
    const { runId } = core.tracking.createRun({ experimentId: exp.experimentId, name: `m-${r}` });
    core.tracking.logBatch(runId, { params: [{ key: 'seed', value: String(r) }], metrics: Array.from({ length: 200 }, (_, s) => ({ key: 'loss', value: 1 / (1 + s) + r / 1000, step: s, timestamp: 1000 + s })) });
    core.tracking.updateRun({ runId, status: 'FINISHED' });
    return runId;
  });
  core.dispose();
  serve = await startServe(t.home);
  api = httpClient(serve.url, serve.token);
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  cleanup?.();
});

function open(runIds: string[], colorScheme: 'light' | 'dark' = 'light', size = { width: 1600, height: 1500 }): Promise<TrackedPage> {
  return openPage(browser, serve, { viewport: size, colorScheme, route: `#/compare?runs=${runIds.join(',')}` });
}

const chart = (page: Page, key: string) => page.locator(`[data-testid="compare-chart"][data-metric-key="${key}"]`);
const readyCharts = (page: Page) => page.locator('[data-testid="compare-chart"][data-state="ready"] canvas').count();

describe('compare view', () => {
  it('draws 10 charts × 10 runs × 10,000 steps, smooths, zooms into finer buckets and keeps the zoom on live updates', async () => {
    const t0 = Date.now();
    const page = await open(seeded.runIds);
    await expect.poll(() => readyCharts(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
    console.log(`compare view: 10 charts × 10 runs × 10,000 steps drawn ${Date.now() - t0} ms after navigation (Playwright wall clock; see bench/compare-page.ts)`);
    for (const key of seeded.keys) {
      const c = chart(page, key);
      expect(await c.getAttribute('data-runs')).toBe('10');
      expect(await c.getAttribute('data-total')).toBe('100000');
      // Reduced on the server: about a point a pixel, not 100,000 points.
      expect(Number(await c.getAttribute('data-buckets'))).toBeLessThan(400);
    }
    await page.screenshot({ path: path.join(SHOTS, 'compare.png') });

    // Heavier smoothing: the option changes, the charts redraw without refetching.
    await page.getByTestId('smoothing').fill('0.95');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'compare-smoothing.png') });

    // Zoom with the wheel on train/loss: the x range narrows and finer buckets arrive.
    const loss = chart(page, 'train/loss');
    const before = Number(await loss.getAttribute('data-bucket-width'));
    const box = (await loss.locator('canvas').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
    await expect.poll(() => loss.getAttribute('data-zoomed')).toBe('true');
    await expect.poll(async () => Number(await loss.getAttribute('data-bucket-width'))).toBeLessThan(before);
    await expect.poll(() => loss.getAttribute('data-state')).toBe('ready');
    const zoomedWidth = Number(await loss.getAttribute('data-bucket-width'));
    // Sync zoom (on by default): the other charts follow to the same x range.
    const other = chart(page, seeded.keys.find((k) => k !== 'train/loss')!);
    await expect.poll(() => other.getAttribute('data-zoomed')).toBe('true');
    const range = await loss.getByTestId('chart-zoom-reset').textContent();
    expect(range).toMatch(/^\d+ – \d+ ✕$/);
    await expect.poll(() => other.getByTestId('chart-zoom-reset').textContent()).toBe(range);
    await expect.poll(() => page.locator('[data-testid="compare-chart"][data-zoomed="true"][data-state="ready"]').count()).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: path.join(SHOTS, 'compare-zoom-synced.png') });
    await loss.scrollIntoViewIfNeeded();
    await loss.screenshot({ path: path.join(SHOTS, 'compare-zoomed.png') });

    // Live: one run is RUNNING again and logs 500 more steps; the chart refreshes in place, zoom kept.
    const runId = seeded.runIds[0]!;
    await api.runs.update({ runId, status: 'RUNNING' });
    await expect.poll(() => page.locator('.live-badge').count()).toBe(1);
    await api.runs.logBatch({ runId, metrics: Array.from({ length: 500 }, (_, s) => ({ key: 'train/loss', value: 0.2, step: 10_000 + s, timestamp: 1_900_000_000_000 + s })) });
    await expect.poll(() => loss.getAttribute('data-total'), { timeout: 10_000 }).toBe('100500');
    expect(await loss.getAttribute('data-zoomed')).toBe('true');
    expect(Number(await loss.getAttribute('data-bucket-width'))).toBe(zoomedWidth);
    await api.runs.update({ runId, status: 'FINISHED' });

    // Double-click resets the zoom to the whole range, on every chart while in sync.
    await loss.locator('canvas').first().dblclick();
    await expect.poll(() => loss.getAttribute('data-zoomed')).toBe('false');
    await expect.poll(() => other.getAttribute('data-zoomed')).toBe('false');

    // Out of sync, a zoom stays on its chart.
    await page.getByTestId('sync-zoom').uncheck();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
    await expect.poll(() => loss.getAttribute('data-zoomed')).toBe('true');
    // In sync the store zooms every chart in the same render as this one: nothing to wait for.
    expect(await other.getAttribute('data-zoomed')).toBe('false');
    await page.getByTestId('reset-zoom').click();
    await expect.poll(() => loss.getAttribute('data-zoomed')).toBe('false');
    await page.getByTestId('sync-zoom').check();

    // Wall-clock and relative x axes refetch every chart. A chart keeps showing (and stays
    // "ready" with) its step data until the new answer arrives: wait for buckets in
    // milliseconds, far wider than any in steps, not just for ready charts.
    const bucketWidths = () => page.locator('[data-testid="compare-chart"][data-state="ready"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-bucket-width'))));
    const widestStep = Math.max(...(await bucketWidths()));
    await page.getByTestId('x-axis-relative').click();
    await expect.poll(async () => (await bucketWidths()).filter((w) => w > widestStep * 10).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    await page.getByTestId('x-axis-step').click();
    expect(page.errors).toEqual([]);
  }, 120_000);

  it('shows params that differ, parallel coordinates, a scatter and system metrics, in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await open(seeded.runIds, scheme, { width: 1500, height: 950 });
      await expect.poll(() => readyCharts(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
      if (scheme === 'dark') await page.screenshot({ path: path.join(SHOTS, 'compare-dark.png') });
      // Charts below the fold are not fetched until they scroll into view.
      expect(await page.locator('[data-testid="compare-chart"][data-state="idle"]').count()).toBeGreaterThan(0);
      const system = page.getByTestId('compare-system-charts');
      await system.scrollIntoViewIfNeeded();
      await expect.poll(() => system.locator('[data-state="ready"] canvas').count(), { timeout: 10_000 }).toBe(2);

      await page.getByTestId('parallel-coords').scrollIntoViewIfNeeded();
      await page.getByTestId('params-diff').scrollIntoViewIfNeeded();
      // The params come with the runs, not with the charts waited for above.
      await expect.poll(() => page.getByTestId('params-diff-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(['lr', 'optimizer', 'warmup_steps']);
      await page.getByTestId('only-differences').uncheck();
      await expect.poll(() => page.getByTestId('params-diff-row').count()).toBe(5);
      await page.getByTestId('only-differences').check();
      await page.getByTestId('parallel-metric').selectOption('val/accuracy');
      await page.getByTestId('scatter-x').selectOption('param:lr');
      await page.getByTestId('scatter-y').selectOption('metric:val/loss');
      await expect.poll(() => page.locator('[data-testid="parallel-coords"] canvas').count()).toBeGreaterThan(0);
      await expect.poll(() => page.locator('[data-testid="scatter-plot"] canvas').count()).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      await page.getByTestId('parallel-coords').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `compare-panels-${scheme}.png`) });
      expect(page.errors).toEqual([]);
    }
  }, 90_000);

  it('groups runs by a param into mean lines with min–max bands', async () => {
    const page = await open(seeded.runIds);
    await expect.poll(() => readyCharts(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
    await page.getByTestId('compare-group-by').selectOption('optimizer');
    await expect.poll(() => page.locator('[data-testid="run-legend"] .legend-item').allTextContents()).toEqual(['optimizer=adam5', 'optimizer=sgd5']);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'compare-grouped.png') });
    expect(page.errors).toEqual([]);
  }, 120_000);

  it('compares 120 runs (more than one chart request holds)', async () => {
    const page = await open(many, 'light', { width: 1400, height: 900 });
    const c = chart(page, 'loss');
    await expect.poll(() => c.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    expect(await c.getAttribute('data-runs')).toBe('120');
    expect(await c.getAttribute('data-total')).toBe(String(120 * 200));
    expect(page.errors).toEqual([]);
  }, 120_000);
});
