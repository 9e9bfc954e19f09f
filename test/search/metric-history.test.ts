import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/create-core';
import type { MetricPoint } from '../../src/shared/api/types';
import { tempHome } from '../helpers/temp-home';

/**
 * metrics/get-history paging (keyset cursor bounded by block summaries) against the history
 * sorted the slow way, on timestamps in every order, and with points logged between pages.
 */

let core: Core;
let cleanup: () => void;
let experimentId = '';

beforeAll(() => {
  const t = tempHome('lathe-history-');
  cleanup = t.cleanup;
  core = createCore({ home: t.home });
  experimentId = core.tracking.createExperiment('history').experimentId;
});
afterAll(() => {
  core?.dispose();
  cleanup?.();
});

/** MLflow's history order: timestamp, step, NaN first, value. */
function mlflowOrder(points: MetricPoint[]): MetricPoint[] {
  return [...points].sort((a, b) => a.timestamp - b.timestamp || a.step - b.step || Number(Number.isNaN(b.value)) - Number(Number.isNaN(a.value)) || a.value - b.value);
}

function pageAll(runId: string, max: number, between?: (page: number) => void): { points: MetricPoint[]; pages: number } {
  const points: MetricPoint[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = core.search.history.page(runId, 'm', { maxResults: max, pageToken: token });
    points.push(...page.points);
    token = page.nextPageToken ?? undefined;
    between?.(pages);
    pages++;
  } while (token);
  return { points, pages };
}

function logAll(runId: string, points: Array<{ step: number; timestamp: number; value: number | string }>) {
  for (let i = 0; i < points.length; i += 1000) core.tracking.logBatch(runId, { metrics: points.slice(i, i + 1000).map((p) => ({ key: 'm', ...p })) });
}

describe('get-history pages', () => {
  it.each([
    ['growing timestamps', (s: number) => 1000 + s * 3],
    ['shrinking timestamps', (s: number) => 10_000_000 - s * 7],
    ['shuffled timestamps', (s: number) => (s * 7919) % 10_007],
    ['bursts with pauses and ties', (s: number) => Math.floor(s / 100) * 1_000_000 + (s % 7)],
  ])('%s: every point once, in MLflow order, for several page sizes', (_name, ts) => {
    const { runId } = core.tracking.createRun({ experimentId });
    logAll(runId, Array.from({ length: 6000 }, (_, s) => ({ step: s - 300, timestamp: ts(s), value: s % 97 === 0 ? 'NaN' : Math.cos(s) })));
    const expected = mlflowOrder(core.tracking.getMetricHistory(runId, 'm'));
    for (const max of [1, 999, 1000, 2500, 6000, 25_000]) {
      if (max === 1 && expected.length > 2000) {
        expect(pageAll(runId, 1).points.slice(0, 5)).toEqual(expected.slice(0, 5).map((p) => expect.objectContaining({ step: p.step, timestamp: p.timestamp })));
        continue;
      }
      const { points, pages } = pageAll(runId, max);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / max)));
      expect(points.map((p) => [p.step, p.timestamp])).toEqual(expected.map((p) => [p.step, p.timestamp]));
    }
  });

  it('keeps paging when points arrive between pages, old timestamps included', () => {
    const { runId } = core.tracking.createRun({ experimentId });
    logAll(runId, Array.from({ length: 5000 }, (_, s) => ({ step: s, timestamp: 100_000 + s, value: s })));
    const { points } = pageAll(runId, 700, (page) => {
      if (page === 2) logAll(runId, Array.from({ length: 50 }, (_, i) => ({ step: 10_000 + i, timestamp: 10 + i, value: -1 }))); // before the cursor: not on later pages
      if (page === 3) logAll(runId, [{ step: 20_000, timestamp: 999_999, value: 7 }]); // after it: on the last page
    });
    const steps = points.map((p) => p.step);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.filter((s) => s < 5000)).toEqual(Array.from({ length: 5000 }, (_, s) => s));
    expect(steps.at(-1)).toBe(20_000);
  });
});
