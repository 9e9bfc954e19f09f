/**
 * Exponential moving average for metric curves, as TensorBoard draws it: debiased, so the
 * curve starts at the first value instead of rising from zero, and applied per drawn point.
 * Like TensorBoard (which smooths the ~1,000 points it samples per series), the compare view
 * smooths the server's per-bucket points, so the slider means "how many drawn points the
 * average spans" (about 1 / (1 − smoothing)) at any zoom.
 */

export interface XY {
  x: number;
  y: number;
}

/**
 * @param smoothing 0 (none) to <1 (heavy): the weight kept from the past at each point.
 * @returns [x, smoothed y] per finite input point; NaN and ±Infinity are skipped (they would poison the average).
 */
export function emaSmooth(points: readonly XY[], smoothing: number): Array<[number, number]> {
  const s = Math.min(Math.max(smoothing, 0), 0.999);
  const out: Array<[number, number]> = [];
  let acc = 0;
  let n = 0;
  for (const p of points) {
    if (!Number.isFinite(p.y)) continue;
    acc = acc * s + (1 - s) * p.y;
    n += 1;
    out.push([p.x, acc / (1 - s ** n)]);
  }
  return out;
}
