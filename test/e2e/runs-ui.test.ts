import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { tempHome } from '../helpers/temp-home';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { httpClient } from '../helpers/api-client';
import { launchChromium, openPage, type TrackedPage } from '../helpers/browser';

const SHOTS = path.resolve(__dirname, '../../test-results');
let serve: ServeProcess;
let browser: Browser;
let cleanup: () => void;
let api: ReturnType<typeof httpClient>;
let runIds: string[] = [];

beforeAll(async () => {
  const t = tempHome();
  cleanup = t.cleanup;
  serve = await startServe(t.home);
  api = httpClient(serve.url, serve.token);
  const exp = await api.experiments.create({ name: 'cifar10' });
  runIds = [];
  for (const [i, lr] of ['0.1', '0.01', '0.001'].entries()) {
    const run = await api.runs.create({ experimentId: exp.experimentId, name: `resnet-lr-${lr}` });
    runIds.push(run.runId);
    await api.runs.logBatch({
      runId: run.runId,
      params: [{ key: 'lr', value: lr }, { key: 'batch_size', value: '128' }],
      tags: [{ key: 'model', value: 'resnet18' }],
      metrics: Array.from({ length: 50 }, (_, step) => [
        { key: 'train/loss', value: 2.3 * Math.exp(-step / (10 + i * 5)), step, timestamp: 1_700_000_000_000 + step * 1000 },
        { key: 'val/accuracy', value: 0.1 + 0.8 * (1 - Math.exp(-step / (8 + i * 4))), step, timestamp: 1_700_000_000_000 + step * 1000 },
      ]).flat(),
    });
    if (i < 2) await api.runs.update({ runId: run.runId, status: i === 0 ? 'FINISHED' : 'FAILED' });
  }
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  cleanup?.();
});

function open(colorScheme: 'light' | 'dark'): Promise<TrackedPage> {
  return openPage(browser, serve, { viewport: { width: 1400, height: 900 }, colorScheme });
}

describe('browser mode UI (lathe serve + Chromium)', () => {
  it('lists the runs, opens a run and draws its metric charts', async () => {
    const page = await open('light');
    await page.getByTestId('runs-table').waitFor();
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => page.getByTestId('connection-state').textContent()).toMatch(/connected/i);
    expect(await page.getByTestId('runs-table').textContent()).toContain('resnet-lr-0.01');
    await page.screenshot({ path: path.join(SHOTS, 'runs-list.png'), fullPage: true });

    await page.locator(`[data-testid="run-row"][data-run-id="${runIds[1]}"]`).click();
    await page.getByTestId('params-table').waitFor();
    expect(await page.getByTestId('params-table').textContent()).toContain('0.01');
    expect(await page.getByTestId('run-status').first().textContent()).toMatch(/failed/i);
    const charts = page.getByTestId('metric-chart');
    await expect.poll(() => charts.count()).toBe(2);
    const keys = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-metric-key')));
    expect(keys.sort()).toEqual(['train/loss', 'val/accuracy']);
    // ECharts draws on a canvas: it must exist and have a real size.
    const canvas = charts.first().locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
    await page.screenshot({ path: path.join(SHOTS, 'run-detail.png'), fullPage: true });
    expect(page.errors).toEqual([]);
  });

  it('refreshes live when a new run is logged (pushed change events, no reload)', async () => {
    const page = await open('dark');
    await page.getByTestId('runs-table').waitFor();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3);
    const exp = await api.experiments.getByName({ name: 'cifar10' });
    const run = await api.runs.create({ experimentId: exp.experimentId, name: 'late-arrival' });
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 10_000 }).toBe(4);
    expect(await page.locator(`[data-testid="run-row"][data-run-id="${run.runId}"]`).textContent()).toContain('late-arrival');
    await page.screenshot({ path: path.join(SHOTS, 'runs-list-dark.png'), fullPage: true });
  });

  it('without the token the UI says how to get in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(serve.url);
    await expect.poll(() => page.textContent('body'), { timeout: 10_000 }).toMatch(/lathe serve/);
  });
});
