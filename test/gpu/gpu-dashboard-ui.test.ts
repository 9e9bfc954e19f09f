import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { tempHome } from '../helpers/temp-home';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { httpClient } from '../helpers/api-client';
import { launchChromium, openPage, type TrackedPage } from '../helpers/browser';
import { REPLAY, readFixture } from './fixture-paths';

// The GPU dashboard in Chromium against `lathe serve` whose nvidia-smi is the replay of recorded
// outputs. Screenshots go to test-results/ (and the good ones were copied to docs/screenshots/).

const SHOTS = path.resolve(__dirname, '../../test-results');
const SCENARIOS = path.resolve(__dirname, 'replay');
const IMAGE = process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm';
const saved = { ...process.env };
const homes: Array<() => void> = [];
const servers: ServeProcess[] = [];
let browser: Browser;
let code: { home: string; cleanup: () => void };

async function serveWith(scenario: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  process.env = { ...saved, LATHE_NVIDIA_SMI: REPLAY, NVIDIA_SMI_REPLAY: path.join(SCENARIOS, scenario), LATHE_GPU_REQUEST_MODE: 'env-only', LATHE_SYSTEM_METRICS_INTERVAL_MS: '1000', ...env };
  const t = tempHome();
  homes.push(t.cleanup);
  const s = await startServe(t.home);
  servers.push(s);
  return s;
}

function open(serve: ServeProcess, hash: string, colorScheme: 'light' | 'dark' = 'light'): Promise<TrackedPage> {
  return openPage(browser, serve, { viewport: { width: 1400, height: 900 }, colorScheme, hash });
}

beforeAll(async () => {
  code = tempHome('lathe-code-');
  fs.writeFileSync(path.join(code.home, 'train.py'), 'import time\nfor i in range(120):\n    print("step", i, flush=True)\n    time.sleep(0.5)\n');
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
  process.env = saved;
  for (const c of homes) c();
  code?.cleanup();
});

describe('GPU dashboard (browser mode, replayed nvidia-smi)', () => {
  it('shows the replayed H100 with its readings and MIG slices, and its processes linked to the run holding the GPU', async () => {
    // fixture 04's processes use 11 GB of the GPU before any run exists: raise the threshold so the run gets it.
    const serve = await serveWith('h100-mig.json', { LATHE_GPU_FOREIGN_MEMORY_MIB: '100000' });
    const api = httpClient(serve.url, serve.token);
    await expect.poll(async () => (await api.gpus.snapshot()).gpus.length, { timeout: 15_000 }).toBe(1);
    const run = await api.runs.start({ image: IMAGE, command: ['python3', 'train.py'], workdir: code.home, gpus: 1, name: 'resnet-finetune', stopGraceSeconds: 1 });
    expect(run.status).toBe('RUNNING');

    const page = await open(serve, '#/gpus');
    const card = page.getByTestId('gpu-card');
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    expect(await card.getByTestId('gpu-name').textContent()).toBe('NVIDIA H100 80GB HBM3');
    expect(await card.getByTestId('gpu-util').textContent()).toBe('n/a in MIG mode');
    expect(await card.getByTestId('gpu-memory').textContent()).toBe('11125 / 81559 MiB');
    expect(await card.getByTestId('gpu-temp').textContent()).toBe('53 °C');
    expect(await card.getByTestId('gpu-power').textContent()).toBe('433.8 / 700 W');
    expect(await card.getByTestId('gpu-fan').textContent()).toBe('—');
    expect(await card.getByTestId('gpu-clock').textContent()).toBe('1980 MHz');
    expect(await card.getByTestId('gpu-mig').textContent()).toBe('MIG: 4 devices (3g.40gb, 2g.20gb, 1g.10gb ×2)');
    await expect.poll(() => card.getByTestId('gpu-lease').textContent(), { timeout: 10_000 }).toBe('held by resnet-finetune');
    const rows = card.getByTestId('gpu-process');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))).toEqual([
      ['21180', '2296 MiB', 'resnet-finetune', '/root/tools/memhog'],
      ['21181', '1272 MiB', 'resnet-finetune', '/root/tools/memhog'],
      ['21198', '7484 MiB', 'resnet-finetune', './gpu_burn'],
    ]);
    await expect.poll(() => page.getByTestId('host-memory').count(), { timeout: 15_000 }).toBe(1);
    await page.waitForTimeout(2500); // a few samples for the sparklines
    await page.screenshot({ path: path.join(SHOTS, 'gpu-dashboard-light.png'), fullPage: true });

    // The process links to its run; the run's System tab charts its GPU and container series.
    await rows.first().getByTestId('gpu-process-run').click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#/runs/${run.runId}`);
    await expect.poll(() => page.getByTestId('tab-system').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('tab-system').click();
    await expect.poll(() => page.getByTestId('run-system-gpus').textContent(), { timeout: 10_000 }).toContain('cuda:0 = GPU-00000000-0000-0000-0000-000000000000');
    const chart = page.locator('[data-testid="metric-chart"][data-metric-key="system/gpu_0_memory_usage_megabytes"]');
    await expect.poll(() => chart.count(), { timeout: 20_000 }).toBe(1);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: path.join(SHOTS, 'gpu-run-system-tab.png'), fullPage: true });
    expect(page.errors).toEqual([]);

    const dark = await open(serve, '#/gpus', 'dark');
    await expect.poll(() => dark.getByTestId('gpu-process').count(), { timeout: 15_000 }).toBe(3);
    await dark.waitForTimeout(2000);
    await dark.screenshot({ path: path.join(SHOTS, 'gpu-dashboard-dark.png'), fullPage: true });
    await api.runs.stop({ runId: run.runId });
  }, 120_000);

  it('eight replayed TITAN X: a card each, with the readings the recording has and — for the rest', async () => {
    const serve = await serveWith('titanx-8.json');
    const page = await open(serve, '#/gpus');
    const cards = page.getByTestId('gpu-card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(8);
    expect(await cards.getByTestId('gpu-util').allTextContents()).toEqual(['0 %', '86 %', '85 %', '60 %', '84 %', '83 %', '83 %', '82 %']);
    expect(await cards.getByTestId('gpu-memory').allTextContents()).toEqual(['802 / 12206 MiB', '10032 / 12206 MiB', '6442 / 12206 MiB', '6442 / 12206 MiB', '6459 / 12206 MiB', '6440 / 12206 MiB', '6451 / 12206 MiB', '6442 / 12206 MiB']);
    expect(new Set(await cards.getByTestId('gpu-power').allTextContents())).toEqual(new Set(['—']));
    await expect.poll(() => page.getByTestId('host-memory').count(), { timeout: 10_000 }).toBe(1);
    // Over the 1024 MiB default, memory used outside Lathe marks a GPU busy (the queue skips it).
    await expect.poll(() => cards.locator('.gpu-lease').allTextContents(), { timeout: 10_000 }).toEqual(['free', ...Array(7).fill('in use outside Lathe')]);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(SHOTS, 'gpu-dashboard-8gpu.png'), fullPage: true });
    expect(page.errors).toEqual([]);
  }, 60_000);

  it('driver not loaded: a clear "no NVIDIA driver" panel with the driver\'s message and what to do', async () => {
    const serve = await serveWith('driver-not-loaded.json');
    const page = await open(serve, '#/gpus');
    const panel = page.getByTestId('no-gpu-panel');
    await expect.poll(() => panel.count(), { timeout: 15_000 }).toBe(1);
    expect(await panel.getAttribute('data-state')).toBe('driver_not_loaded');
    expect(await panel.locator('.panel-title').textContent()).toBe('The NVIDIA driver is not loaded');
    expect(await page.getByTestId('no-gpu-message').textContent()).toBe(readFixture('26').trim());
    expect(await panel.textContent()).toContain('exit status 9');
    expect(await page.getByTestId('gpu-card').count()).toBe(0);
    expect(await page.getByTestId('queue-panel').textContent()).toContain('GPUs cannot be read, so Lathe does not queue');
    await expect.poll(() => page.getByTestId('host-memory').count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'gpu-no-driver.png'), fullPage: true });
    expect(page.errors).toEqual([]);
  }, 60_000);
});
