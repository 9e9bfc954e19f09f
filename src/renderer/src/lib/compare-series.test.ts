import { describe, expect, it } from 'vitest';
import type { ChartBucket, ChartSeries } from '../../../shared/api/search-types';
import { groupBands, seriesCurve, smoothCurve } from './compare-series';

const bucket = (i: number, first: number, last: number, min: number, max: number, n = 10): ChartBucket => ({
  i, n, nans: 0, firstX: i * 10, first, lastX: i * 10 + 9, last, min, max,
});
const series = (runId: string, buckets: ChartBucket[]): ChartSeries => ({ runId, total: 100, min: 0, max: 1, xFirst: 0, xLast: 99, origin: 0, buckets });

describe('seriesCurve', () => {
  it('keeps every spike: first, extremes in the order the bucket moves, last', () => {
    const c = seriesCurve(series('a', [bucket(0, 1, 0.5, 0.2, 9), bucket(1, 0.5, 0.6, 0.4, 0.7)]));
    expect(c.raw).toEqual([[0, 1], [4.5, 9], [4.5, 0.2], [9, 0.5], [10, 0.5], [14.5, 0.4], [14.5, 0.7], [19, 0.6]]);
    expect(c.rep.map((p) => p.i)).toEqual([0, 1]);
  });

  it('drops NaN, ±Infinity and, on a log axis, values ≤ 0', () => {
    const c = seriesCurve(series('a', [bucket(0, Number.NaN, 2, 0, Number.POSITIVE_INFINITY)]), true);
    expect(c.raw).toEqual([[9, 2]]);
  });

  it('draws a one-point bucket once', () => {
    const c = seriesCurve(series('a', [{ i: 3, n: 1, nans: 0, firstX: 3, first: 7, lastX: 3, last: 7, min: 7, max: 7 }]));
    expect(c.raw).toEqual([[3, 7]]);
    expect(smoothCurve(c, 0)).toEqual([[3, 7]]);
  });
});

describe('groupBands', () => {
  it('averages runs bucket by bucket and spans their min and max', () => {
    const curves = [
      seriesCurve(series('a', [bucket(0, 1, 1, 1, 1), bucket(1, 2, 2, 2, 2)])),
      seriesCurve(series('b', [bucket(0, 3, 3, 3, 3)])),
      seriesCurve(series('c', [bucket(0, 10, 10, 10, 10)])),
    ];
    const bands = groupBands(curves, (id) => (id === 'c' ? 'lr=1' : 'lr=0.1'), 0);
    expect(bands.map((b) => b.group)).toEqual(['lr=0.1', 'lr=1']);
    expect(bands[0]).toMatchObject({ runIds: ['a', 'b'], mean: [[4.5, 2], [14.5, 2]], min: [[4.5, 1], [14.5, 2]], max: [[4.5, 3], [14.5, 2]] });
  });
});
