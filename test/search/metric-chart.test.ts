import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/create-core';
import { blockBackfillSql } from '../../src/main/core/store/migration-5-search-indexes';
import type { ChartBucket, ChartXAxis, MetricChart } from '../../src/shared/api/search-types';
import type { MetricPoint } from '../../src/shared/api/types';
import { tempHome } from '../helpers/temp-home';

/**
 * Chart buckets computed in SQL from block summaries must equal buckets computed naively from
 * the whole history, on series built to be awkward: batches out of order, points logged twice,
 * NaN and ±Infinity, negative and sparse steps, timestamps that go backwards and pause.
 */

let core: Core;
let cleanup: () => void;
const runs: Record<string, string> = {};

/** A deterministic pseudo-random sequence (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function log(runId: string, points: Array<{ step: number; value: number | string; timestamp: number }>) {
  for (let i = 0; i < points.length; i += 1000) core.tracking.logBatch(runId, { metrics: points.slice(i, i + 1000).map((p) => ({ key: 'loss', ...p })) });
}

beforeAll(() => {
  const t = tempHome('lathe-chart-');
  cleanup = t.cleanup;
  core = createCore({ home: t.home });
  const exp = core.tracking.createExperiment('charts');
  const mk = (name: string, startTime = 1_000_000) => (runs[name] = core.tracking.createRun({ experimentId: exp.experimentId, name, startTime }).runId);
  const r = rng(7);
  // dense: 20,000 steps, batches sent in shuffled order, a spike, NaNs, ±Infinity, a repeat.
  mk('dense');
  const dense = Array.from({ length: 20_000 }, (_, step) => ({
    step,
    timestamp: 1_000_000 + step * 10 + (step % 997 === 0 ? 50_000 : 0),
    value: step === 12_345 ? 1e6 : step === 777 ? -1e6 : step % 1500 === 0 ? 'NaN' : step === 3001 ? 'Infinity' : step === 3002 ? '-Infinity' : Math.sin(step / 300) + r(),
  }));
  const chunks = Array.from({ length: 20 }, (_, i) => dense.slice(i * 1000, i * 1000 + 1000));
  for (const i of [5, 0, 19, 3, 1, 2, 4, 18, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]) log(runs.dense!, chunks[i]!);
  log(runs.dense!, chunks[5]!.slice(0, 100)); // logged again: stored once, counted once
  // two values at the same (step, timestamp), and one at the same step with another timestamp
  log(runs.dense!, [{ step: 100, timestamp: 1_000_000 + 1000, value: 42 }, { step: 100, timestamp: 5, value: -3 }]);
  // sparse: steps far apart, some negative, timestamps going backwards
  mk('sparse', 2_000_000);
  log(runs.sparse!, Array.from({ length: 300 }, (_, i) => ({ step: i * 997 - 5000, timestamp: 3_000_000 - i * 1000 + Math.floor(r() * 5000), value: r() * 10 })));
  // pauses: bursts of points with long gaps, so time blocks straddle buckets
  mk('pauses', 500);
  log(runs.pauses!, Array.from({ length: 5000 }, (_, step) => ({ step, timestamp: 1_000_000 + step + Math.floor(step / 700) * 400_000, value: step % 2 ? step : -step })));
  // all NaN, and an empty run
  mk('nans');
  log(runs.nans!, Array.from({ length: 300 }, (_, step) => ({ step, timestamp: 10 + step, value: 'NaN' })));
  mk('empty');
});
afterAll(() => {
  core?.dispose();
  cleanup?.();
});

const axisX = (p: MetricPoint, axis: ChartXAxis, origin: number) => (axis === 'step' ? p.step : p.timestamp - origin);
const order = (a: MetricPoint, b: MetricPoint) => a.step - b.step || a.timestamp - b.timestamp || Number(Number.isNaN(a.value)) - Number(Number.isNaN(b.value)) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/** The buckets, computed the slow way from the whole history, for the chart's own x0/width. */
function naive(chart: MetricChart, runId: string, hi: number): ChartBucket[] {
  const history = core.tracking.getMetricHistory(runId, chart.key);
  const origin = chart.xAxis === 'relative' ? Math.min(...history.map((p) => p.timestamp)) : 0;
  const byBucket = new Map<number, MetricPoint[]>();
  for (const p of history) {
    const x = axisX(p, chart.xAxis, origin);
    if (x < chart.x0 || x > hi) continue;
    const i = Math.floor((x - chart.x0) / chart.bucketWidth);
    if (i >= chart.bucketCount) continue;
    const list = byBucket.get(i);
    if (list) list.push(p);
    else byBucket.set(i, [p]);
  }
  return [...byBucket.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, ps]) => {
      const sorted = [...ps].sort(order);
      const finite = ps.filter((p) => !Number.isNaN(p.value)).map((p) => p.value);
      const first = sorted[0]!;
      const last = sorted[sorted.length - 1]!;
      return {
        i,
        n: ps.length,
        nans: ps.length - finite.length,
        firstX: axisX(first, chart.xAxis, origin),
        first: first.value,
        lastX: axisX(last, chart.xAxis, origin),
        last: last.value,
        min: finite.length ? Math.min(...finite) : Number.NaN,
        max: finite.length ? Math.max(...finite) : Number.NaN,
      };
    });
}

describe('block summaries', () => {
  it('kept at each append equal the ones rebuilt from the history', () => {
    const cols = 'run, key_id, level, block, n, nan_n, min_value, max_value, min_ts, max_ts, first_step, first_ts, first_nan, first_value, last_step, last_ts, last_nan, last_value';
    const kept = core.db.prepare(`SELECT ${cols} FROM metric_blocks ORDER BY run, key_id, level, block`).raw().all();
    expect(kept.length).toBeGreaterThan(500);
    core.db.transaction(() => {
      core.db.exec('DELETE FROM metric_blocks');
      core.db.exec(blockBackfillSql());
    })();
    expect(core.db.prepare(`SELECT ${cols} FROM metric_blocks ORDER BY run, key_id, level, block`).raw().all()).toEqual(kept);
    expect(core.db.prepare('SELECT SUM(n) AS n FROM metric_blocks WHERE level = 2').get()).toEqual(core.db.prepare('SELECT COUNT(*) AS n FROM metrics').get());
  });
});

describe('metrics chart', () => {
  const cases: Array<[string, ChartXAxis, number, { xMin?: number; xMax?: number }]> = [];
  for (const axis of ['step', 'wall', 'relative'] as const) {
    for (const buckets of [1, 7, 37, 100, 1000, 5000]) cases.push([`${axis} × ${buckets}`, axis, buckets, {}]);
  }
  cases.push(['step zoom on 512-step blocks', 'step', 10, { xMin: 1024, xMax: 10 * 512 - 1 }]);
  cases.push(['step zoom on 64-step blocks', 'step', 30, { xMin: 640, xMax: 64 * 50 - 1 }]);
  cases.push(['step zoom, raw history', 'step', 100, { xMin: 12_300, xMax: 12_400 }]);
  cases.push(['wall zoom', 'wall', 50, { xMin: 1_050_000, xMax: 1_150_000 }]);
  cases.push(['relative zoom', 'relative', 64, { xMin: 100_000, xMax: 2_000_000 }]);

  it.each(cases)('%s: every bucket equals the naive computation', (_name, xAxis, buckets, range) => {
    const runIds = ['dense', 'sparse', 'pauses', 'nans', 'empty'].map((n) => runs[n]!);
    const chart = core.search.charts.chart({ runIds, key: 'loss', xAxis, buckets, ...range });
    expect(chart.bucketCount).toBeLessThanOrEqual(buckets);
    expect(chart.bucketCount).toBeGreaterThan(0);
    const hiExtent = Math.max(...chart.series.flatMap((s) => (s.xLast === null ? [] : [s.xLast])));
    const blockAligned = xAxis === 'step' && chart.bucketWidth % 64 === 0 && chart.x0 % 64 === 0 && chart.bucketWidth >= 64;
    const hi = range.xMax === undefined ? hiExtent : blockAligned ? Math.floor(range.xMax / 64) * 64 + 63 : range.xMax;
    for (const s of chart.series) {
      expect(s.buckets, `${s.runId} ${xAxis}`).toEqual(naive(chart, s.runId, hi));
    }
  });

  it('keeps each series’ global min, max, count and extent, and every spike', () => {
    const chart = core.search.charts.chart({ runIds: [runs.dense!, runs.nans!, runs.empty!], key: 'loss', xAxis: 'step', buckets: 20 });
    const [dense, nans, empty] = chart.series;
    expect(dense).toMatchObject({ total: 20_002, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, xFirst: 0, xLast: 19_999, origin: 0 });
    expect(Math.max(...dense!.buckets.filter((b) => b.max !== Number.POSITIVE_INFINITY).map((b) => b.max))).toBe(1e6);
    expect(dense!.buckets.reduce((n, b) => n + b.n, 0)).toBe(20_002);
    expect(nans).toMatchObject({ total: 300, min: null, max: null });
    expect(nans!.buckets.every((b) => Number.isNaN(b.min) && Number.isNaN(b.first) && b.nans === b.n)).toBe(true);
    expect(empty).toMatchObject({ total: 0, min: null, xFirst: null, buckets: [] });
    expect(chart).toMatchObject({ x0: 0, bucketWidth: 1024, bucketCount: 20 });
    const rel = core.search.charts.chart({ runIds: [runs.pauses!], key: 'loss', xAxis: 'relative', buckets: 10 });
    expect(rel.series[0]).toMatchObject({ origin: 1_000_000, xFirst: 0 });
  });

  it('answers an unknown key with empty series and an unknown run with RESOURCE_DOES_NOT_EXIST', () => {
    const chart = core.search.charts.chart({ runIds: [runs.dense!], key: 'nope', xAxis: 'step', buckets: 10 });
    expect(chart.series).toEqual([{ runId: runs.dense, total: 0, min: null, max: null, xFirst: null, xLast: null, origin: 0, buckets: [] }]);
    expect(() => core.search.charts.chart({ runIds: ['0'.repeat(32)], key: 'loss', xAxis: 'step', buckets: 10 })).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
    expect(() => core.search.charts.chart({ runIds: [runs.dense!], key: 'loss', xAxis: 'step', buckets: 10, xMin: 5, xMax: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
  });
});
