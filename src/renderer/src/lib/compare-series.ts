import type { ChartSeries } from '../../../shared/api/search-types';
import { emaSmooth, type XY } from './ema';

/**
 * Chart buckets (metrics.chart) turned into what the compare charts draw: per run a raw curve
 * that keeps every spike (each bucket's first, min, max and last, M4-style) and a
 * representative point per bucket for smoothing and for group statistics.
 */

export interface RunCurve {
  runId: string;
  /** [x, y] in x order: first, min/max, last of each bucket (finite values only). */
  raw: Array<[number, number]>;
  /** One point per bucket (at the middle of its points), for EMA and group means. */
  rep: Array<XY & { i: number }>;
}

const finite = (v: number, logY: boolean) => Number.isFinite(v) && (!logY || v > 0);

/** @param logY drop values a log axis cannot place (≤ 0). */
export function seriesCurve(s: ChartSeries, logY = false): RunCurve {
  const raw: Array<[number, number]> = [];
  const rep: RunCurve['rep'] = [];
  for (const b of s.buckets) {
    const ok = (v: number) => finite(v, logY);
    if (ok(b.first)) raw.push([b.firstX, b.first]);
    if (b.n > 2) {
      // Where in the bucket the extremes fell is not sent; a falling bucket drew its max first.
      const mid = (b.firstX + b.lastX) / 2;
      const [p, q] = b.first > b.last ? [b.max, b.min] : [b.min, b.max];
      if (ok(p)) raw.push([mid, p]);
      if (ok(q)) raw.push([mid, q]);
    }
    if (b.n > 1 && ok(b.last) && (b.lastX !== b.firstX || !ok(b.first))) raw.push([b.lastX, b.last]);
    // First and last are ordinary samples of the bucket; min and max are not (a lone spike
    // would lift the whole smoothed curve), so they stay out of the representative value.
    const vals = (b.n === 1 ? [b.first] : [b.first, b.last]).filter(ok);
    if (vals.length) rep.push({ i: b.i, x: (b.firstX + b.lastX) / 2, y: vals.reduce((a, v) => a + v, 0) / vals.length });
  }
  return { runId: s.runId, raw, rep };
}

/** The run's smoothed curve (its raw curve when smoothing is 0). */
export function smoothCurve(c: RunCurve, smoothing: number): Array<[number, number]> {
  return smoothing > 0 ? emaSmooth(c.rep, smoothing) : c.rep.map((p) => [p.x, p.y]);
}

export interface GroupBand {
  group: string;
  runIds: string[];
  /** [x, mean] per bucket that at least one run of the group has. */
  mean: Array<[number, number]>;
  min: Array<[number, number]>;
  max: Array<[number, number]>;
}

/**
 * Mean and min–max band per group, bucket by bucket: a chart's buckets are the same for every
 * run (same x0 and width), so bucket i of one run lines up with bucket i of another.
 * Each run is smoothed first, then aggregated, so the band shows the spread between runs, not the noise.
 */
export function groupBands(curves: readonly RunCurve[], groupOf: (runId: string) => string, smoothing: number): GroupBand[] {
  const groups = new Map<string, { runIds: string[]; byBucket: Map<number, number[]>; xs: Map<number, number[]> }>();
  for (const c of curves) {
    const name = groupOf(c.runId);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { runIds: [], byBucket: new Map(), xs: new Map() }));
    g.runIds.push(c.runId);
    const ys = smoothing > 0 ? emaSmooth(c.rep, smoothing).map(([, y]) => y) : c.rep.map((p) => p.y);
    c.rep.forEach((p, k) => {
      const list = g.byBucket.get(p.i);
      if (list) list.push(ys[k]!);
      else g.byBucket.set(p.i, [ys[k]!]);
      const xs = g.xs.get(p.i);
      if (xs) xs.push(p.x);
      else g.xs.set(p.i, [p.x]);
    });
  }
  // x of a bucket: the mean of its runs' points, so the group line spans what the runs span.
  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  return [...groups.entries()].map(([group, g]) => {
    const buckets = [...g.byBucket.entries()].sort((a, b) => a[0] - b[0]);
    const x = (i: number) => mean(g.xs.get(i)!);
    return {
      group,
      runIds: g.runIds,
      mean: buckets.map(([i, ys]) => [x(i), mean(ys)]),
      min: buckets.map(([i, ys]) => [x(i), Math.min(...ys)]),
      max: buckets.map(([i, ys]) => [x(i), Math.max(...ys)]),
    };
  });
}
