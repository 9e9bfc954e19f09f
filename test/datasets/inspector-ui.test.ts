import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempHome } from '../helpers/temp-home';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { httpClient } from '../helpers/api-client';
import { launchChromium, openPage } from '../helpers/browser';
import { waitForEnd } from '../helpers/lathe-test-server';
import { FIXTURES } from './fixture-compare';

const SHOTS = path.resolve(__dirname, '../../test-results');
let serve: ServeProcess;
let browser: Browser;
let cleanup: () => void;
let api: ReturnType<typeof httpClient>;
let work: string;
let runId: string;
let v1: string;
let v2: string;

async function add(p: string, name: string, mode: 'track' | 'import' = 'import') {
  let last: unknown;
  for await (const ev of await api.datasets.add({ path: p, name, mode })) last = ev;
  return last as { type: 'done'; version: { digest: string } };
}

beforeAll(async () => {
  const t = tempHome();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ds-ui-'));
  cleanup = () => {
    t.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  };
  serve = await startServe(t.home);
  api = httpClient(serve.url, serve.token);
  const shop = path.join(work, 'shop.csv');
  const rows = Array.from({ length: 400 }, (_, i) => `${i + 1},${(Math.sin(i) * 50 + 100).toFixed(2)},${['EUR', 'USD', 'GBP'][i % 3]},2024-0${(i % 9) + 1}-1${i % 10}T10:00:00,${i % 7 === 0 ? '' : i % 5}`);
  fs.writeFileSync(shop, `order_id,price,currency,ordered_at,qty\n${rows.join('\n')}\n`);
  v1 = (await add(shop, 'shop')).version.digest;
  fs.writeFileSync(shop, `order_id,price,currency,ordered_at,discount\n${rows.map((r) => r.replace(/,[^,]*$/, ',0.1')).join('\n')}\n999,5000,EUR,2024-12-31T23:00:00,0.5\n`);
  v2 = (await add(shop, 'shop')).version.digest;
  await add(path.join(FIXTURES, '09-missing-markers.csv'), 'markers', 'track');
  await api.datasets.setRules({ name: 'shop', rules: [{ kind: 'range', column: 'price', min: 0, max: 1000 }, { kind: 'allowed_values', column: 'currency', values: ['EUR', 'USD'] }] });
  const code = path.join(work, 'code');
  fs.mkdirSync(code);
  fs.writeFileSync(path.join(code, 'train.py'), 'import os\nprint(sorted(os.listdir(os.environ["LATHE_DATASET_SHOP"])))\n');
  const run = await api.runs.start({ runtime: 'process', command: ['python3', 'train.py'], workdir: code, datasets: ['shop'], name: 'uses-shop' });
  runId = run.runId;
  await waitForEnd(api, runId);
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  cleanup?.();
});

async function open(hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await openPage(browser, serve, { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', hash });
  return { page, errors: page.errors };
}

describe('datasets UI (lathe serve + Chromium)', () => {
  it('lists datasets from the sidebar', async () => {
    const { page, errors } = await open('#/');
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('datasets-table').waitFor();
    await expect.poll(() => page.getByTestId('dataset-row').count()).toBe(2);
    expect(await page.locator('[data-testid=dataset-row][data-name=shop]').textContent()).toContain(v2.slice(0, 12));
    await page.screenshot({ path: path.join(SHOTS, 'datasets-list.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('inspects a version: a card per column with histograms, findings, validation, a virtualized preview', async () => {
    const { page, errors } = await open(`#/datasets/shop/versions/${v1.slice(0, 12)}`);
    await page.getByTestId('column-card').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('column-card').count()).toBe(5);
    expect(await page.getByTestId('profile-meta').textContent()).toMatch(/400\s*rows × 5\s*columns/);
    const price = page.locator('[data-testid=column-card][data-column=price]');
    expect(await price.textContent()).toContain('float');
    const canvas = price.getByTestId('column-histogram').locator('canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
    expect(await page.getByTestId('column-histogram').count()).toBe(4); // order_id, price, ordered_at, qty
    expect(await page.locator('[data-testid=column-card][data-column=currency]').getByTestId('column-top-values').count()).toBe(1);
    expect(await page.locator('[data-testid=column-card][data-column=qty]').getByTestId('column-missing').textContent()).toContain('58 missing');
    const report = page.getByTestId('validation-report');
    await report.waitFor();
    expect(await report.getAttribute('data-passed')).toBe('false');
    expect(await report.textContent()).toMatch(/currency in \{EUR, USD\}: 133 rows fail/);
    // The preview renders only what is on screen of the 200 rows it fetched.
    await expect.poll(() => page.getByTestId('preview-row').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('preview-row').count()).toBeLessThan(60);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-inspector.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows the findings of a broken file', async () => {
    const { page } = await open('#/datasets/markers');
    await page.getByTestId('inspect-latest').click();
    await page.getByTestId('findings').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-kind=missing_markers]').textContent()).toMatch(/score: 7 cells hold a missing-value marker/);
    await page.getByTestId('column-card').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-findings.png'), fullPage: true });
  });

  it('lists versions with the runs that used them, and the run page lists its inputs', async () => {
    const { page } = await open('#/datasets/shop');
    await page.getByTestId('versions-table').waitFor();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    const used = page.locator(`[data-testid=version-row][data-digest="${v2}"]`).getByTestId('used-by-run');
    await expect.poll(() => used.count()).toBe(1);
    expect(await used.textContent()).toContain('uses-shop');
    await page.screenshot({ path: path.join(SHOTS, 'datasets-versions.png'), fullPage: true });
    await used.click();
    await page.getByTestId('run-inputs').waitFor();
    expect(await page.getByTestId('run-input').textContent()).toContain(v2.slice(0, 12));
    await page.getByTestId('run-inputs').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'datasets-run-inputs.png'), fullPage: true });
  });

  it('compares two versions side by side', async () => {
    const { page, errors } = await open('#/datasets/shop');
    await page.getByTestId('versions-table').waitFor();
    for (const d of [v1, v2]) await page.locator(`[data-testid=version-row][data-digest="${d}"] input[type=checkbox]`).check();
    await page.getByTestId('compare-versions').click();
    await page.getByTestId('diff-schema').waitFor();
    const statuses = await page.getByTestId('diff-column').evaluateAll((els) => els.map((e) => `${e.textContent?.split(/added|removed|changed|unchanged/)[0]}:${e.getAttribute('data-status')}`));
    expect(statuses).toEqual(['order_id:changed', 'price:changed', 'currency:unchanged', 'ordered_at:changed', 'qty:removed', 'discount:added']);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-diff.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('registers a file from the form, with progress, and lands on its page', async () => {
    const { page } = await open('#/datasets');
    await page.getByTestId('add-path').fill(path.join(FIXTURES, '01-utf8-bom-quoted-header.csv'));
    expect(await page.getByTestId('add-name').inputValue()).toBe('01-utf8-bom-quoted-header');
    await page.getByTestId('add-name').fill('players');
    await page.getByTestId('add-submit').click();
    await page.getByTestId('dataset-page').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('players');
  });

  it('deletes a version through its confirmation, and refuses one a run used', async () => {
    const { page, errors } = await open('#/datasets/shop');
    await page.getByTestId('versions-table').waitFor();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    const row = (d: string) => page.locator(`[data-testid=version-row][data-digest="${d}"]`);

    // v2 is the input of 'uses-shop': the confirmation says so instead of offering to delete.
    await row(v2).getByTestId('delete-version').click();
    const refusal = page.getByTestId('delete-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      `Cannot delete shop@${v2.slice(0, 12)}: 1 run used it as an input: uses-shop (${runId.slice(0, 8)}). Their lineage would point at nothing; delete those runs permanently first (lathe runs delete, then lathe runs purge).`,
    );
    expect(await page.getByTestId('delete-confirm-button').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-delete-refused.png'), fullPage: true });
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByTestId('delete-confirm').count()).toBe(0);

    // v1: the confirmation says what leaves the store; confirming removes the row.
    await row(v1).getByTestId('delete-version').click();
    const confirm = page.getByTestId('delete-confirm');
    await expect.poll(() => confirm.textContent()).toMatch(/^Delete version [0-9a-f]{12}\? Removes 1 file \([\d.]+ KiB\) from Lathe's store\. This cannot be undone\./);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-delete-confirm.png'), fullPage: true });
    await page.getByTestId('delete-confirm-button').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(1);
    expect(await row(v2).count()).toBe(1);
    expect(await page.getByTestId('delete-message').textContent()).toMatch(new RegExp(`^Deleted shop@${v1.slice(0, 12)}; freed [\\d.]+ KiB$`));
    await page.screenshot({ path: path.join(SHOTS, 'datasets-delete-version.png'), fullPage: true });
    expect((await api.datasets.versions({ name: 'shop' })).map((v) => v.digest)).toEqual([v2]);
    expect(errors).toEqual([]);
  });

  it('deletes a whole tracked dataset and leaves its file on disk', async () => {
    const file = path.join(work, 'keep-me.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    await add(file, 'doomed', 'track');
    const { page, errors } = await open('#/datasets/doomed');
    await page.getByTestId('delete-dataset').click();
    await expect.poll(() => page.getByTestId('delete-confirm').textContent()).toContain(`The tracked data at ${file} stays on disk.`);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-delete-dataset.png'), fullPage: true });
    await page.getByTestId('delete-confirm-button').click();
    await page.getByTestId('datasets-page').waitFor();
    expect(await page.getByTestId('delete-message').textContent()).toBe("Deleted dataset 'doomed' and its 1 version; freed 0 B");
    await expect.poll(() => page.locator('[data-testid=dataset-row][data-name=doomed]').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'datasets-deleted.png'), fullPage: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    expect(errors).toEqual([]);
  });
});
