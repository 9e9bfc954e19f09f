import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempHome } from '../helpers/temp-home';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { launchChromium, openPage, type TrackedPage } from '../helpers/browser';

/**
 * The run UI end to end: the new-run form, live logs, stop, artifacts and the code tab, on
 * real runs (process runtime: python3 on the host; docker with the locally built training image).
 */
const SHOTS = path.resolve(__dirname, '../../test-results');
const IMAGE = 'lathe/python-sklearn:bookworm';
const EXAMPLE = path.resolve(__dirname, '../../examples/sklearn-breast-cancer');
let serve: ServeProcess;
let browser: Browser;
let cleanup: () => void;
let codeDir: string;


beforeAll(async () => {
  const t = tempHome();
  cleanup = t.cleanup;
  codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ui-code-'));
  fs.writeFileSync(
    path.join(codeDir, 'gen.py'),
    [
      'import os, sys, lathe',
      'n = int(sys.argv[1])',
      'for i in range(n):',
      '    print(f"\\x1b[32mline\\x1b[0m {i}")',
      'os.makedirs("out/reports", exist_ok=True)',
      'open("out/reports/summary.txt", "w").write("all good\\n")',
      'lathe.log_artifacts("out")',
    ].join('\n'),
  );
  serve = await startServe(t.home);
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  cleanup?.();
  fs.rmSync(codeDir, { recursive: true, force: true });
});

function open(): Promise<TrackedPage> {
  return openPage(browser, serve, { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
}

async function fillForm(page: Page, o: { runtime: 'docker' | 'process'; workdir: string; command: string; image?: string; name: string; params?: Record<string, string> }) {
  await page.evaluate(() => (location.hash = '#/'));
  await page.getByTestId('new-run-button').click();
  await page.getByTestId('new-run-form').waitFor();
  await page.getByTestId('field-runtime').selectOption(o.runtime);
  await page.getByTestId('field-workdir').fill(o.workdir);
  if (o.image) await page.getByTestId('field-image').fill(o.image);
  await page.getByTestId('field-command').fill(o.command);
  await page.getByTestId('field-experiment').fill('ui-e2e');
  await page.getByTestId('field-name').fill(o.name);
  const entries = Object.entries(o.params ?? {});
  for (const [i, [k, v]] of entries.entries()) {
    if (i > 0 || (await page.getByTestId('param-row').count()) === 0) await page.getByTestId('add-param').click();
    await page.getByTestId('param-key').nth(i).fill(k);
    await page.getByTestId('param-value').nth(i).fill(v);
  }
}

const status = (page: Page) => page.getByTestId('run-status').first().getAttribute('data-status');

describe('run UI (lathe serve + Chromium)', () => {
  it('shows form mistakes next to their fields', async () => {
    const page = await open();
    await fillForm(page, { runtime: 'process', workdir: '/no/such/folder', command: 'python3 "unclosed', name: 'bad' });
    await page.getByTestId('submit-run').click();
    await expect.poll(() => page.locator('[data-testid="field-error"][data-field="command"]').textContent()).toMatch(/Unclosed double quote/);
    await page.getByTestId('field-command').fill('python3 gen.py');
    await expect.poll(() => page.getByTestId('argv-item').allTextContents()).toEqual(['python3', 'gen.py']);
    await page.getByTestId('submit-run').click();
    await expect.poll(() => page.locator('[data-testid="field-error"][data-field="workdir"]').textContent()).toMatch(/does not exist/);
    expect(page.url()).toMatch(/#\/runs\/new$/);
  });

  it('starts a run from the form and streams, searches, and browses what it left', async () => {
    const page = await open();
    await fillForm(page, { runtime: 'process', workdir: codeDir, command: 'python3 gen.py 20000', name: 'gen-20k' });
    await page.getByTestId('submit-run').click();
    await page.waitForURL(/#\/runs\/[0-9a-f]{32}\?tab=logs/);
    const log = page.getByTestId('log-view');
    await expect.poll(() => log.getAttribute('data-lines'), { timeout: 30_000 }).toBe('20000');
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('FINISHED');
    expect(await page.getByTestId('run-exit-code').textContent()).toBe('0');
    // ANSI stripped; the view follows the end (scrolled there once the lines are drawn).
    await expect.poll(() => page.locator('.log-row').last().textContent()).toContain('line 19999');
    await page.getByTestId('log-search').fill('line 1999');
    await expect.poll(() => page.getByTestId('log-match-count').textContent()).toMatch(/\/ 11$/);
    await page.getByTestId('log-search-next').click();
    await expect.poll(() => log.getAttribute('data-following')).toBe('false');
    await page.screenshot({ path: path.join(SHOTS, 'run-logs-e2e.png') });

    await page.getByTestId('tab-artifacts').click();
    await page.locator('[data-testid="artifact-row"][data-path="reports"]').click();
    await page.locator('[data-testid="artifact-row"][data-path="reports/summary.txt"]').click();
    await expect.poll(() => page.getByTestId('artifact-text').textContent()).toContain('all good');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('artifact-download').first().click()]);
    expect(download.suggestedFilename()).toBe('summary.txt');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toBe('all good\n');

    await page.getByTestId('tab-code').click();
    await page.locator('[data-testid="code-view"] .monaco-editor').waitFor();
    await expect.poll(() => page.getByTestId('code-path').textContent()).toBe('gen.py');
    await expect.poll(() => page.locator('.monaco-editor .view-lines').textContent()).toContain('log_artifacts');
    await page.screenshot({ path: path.join(SHOTS, 'run-code-e2e.png') });
    expect(page.errors).toEqual([]);
  }, 90_000);

  it('stops a running run after confirmation', async () => {
    const page = await open();
    await fillForm(page, { runtime: 'process', workdir: codeDir, command: `python3 -u -c "import time; [(print(i), time.sleep(0.1)) for i in range(600)]"`, name: 'long' });
    await page.getByTestId('submit-run').click();
    await page.getByTestId('stop-run').click();
    await page.getByTestId('stop-run-confirm').click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('KILLED');
    expect(await page.getByTestId('stop-run').count()).toBe(0);
  }, 60_000);

  it('trains the example in Docker from the New run form and draws its charts', async () => {
    const page = await open();
    await fillForm(page, { runtime: 'docker', workdir: EXAMPLE, image: IMAGE, command: 'python3 train.py', name: 'form-example', params: { epochs: '8' } });
    await page.getByTestId('submit-run').click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toBe('FINISHED');
    expect(await page.getByTestId('run-exit-code').textContent()).toBe('0');
    await page.getByTestId('tab-overview').click();
    const charts = page.getByTestId('metric-chart');
    await expect.poll(() => charts.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(9);
    const keys = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-metric-key')));
    expect(keys).toEqual(expect.arrayContaining(['val_accuracy', 'train_loss', 'accuracy', 'roc_auc']));
    const canvas = page.locator('[data-testid="metric-chart"][data-metric-key="val_accuracy"] canvas').first();
    await canvas.waitFor();
    expect((await canvas.boundingBox())!.width).toBeGreaterThan(200);
    await page.screenshot({ path: path.join(SHOTS, 'run-from-form-charts.png'), fullPage: true });
    expect(page.errors).toEqual([]);
  });

  it('records a crashing training script (docker): FAILED with exit code 1', async () => {
    const page = await open();
    await fillForm(page, { runtime: 'docker', workdir: EXAMPLE, image: IMAGE, command: 'python3 train.py', name: 'fail-at-3', params: { fail_at_epoch: '3' } });
    await page.getByTestId('submit-run').click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toBe('FAILED');
    await expect.poll(() => page.getByTestId('run-exit-code').textContent()).toBe('1');
    expect(await page.getByTestId('run-image').textContent()).toBe(IMAGE);
    await expect.poll(() => page.getByTestId('log-view').textContent()).toContain('failing on purpose at epoch 3');
  });
});
