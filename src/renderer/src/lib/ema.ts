/**
 * Exponential moving average for metric curves, as TensorBoard draws it (debiased, so the
 * curve starts at the first value instead of rising from zero), extended to weighted points:
 * a chart bucket that stands for `w` logged points decays the average as `w` single points
 * would (factor `smoothing^w`). The smoothed curve therefore looks the same whether the
 * server sent one point a step or one bucket per hundred steps, that is at any zoom.
 */

export interface WeightedPoint {
  x: number;
  y: number;
  /** How many logged points this one stands for (≥ 1). */
  w: number;
}

/**
 * @param smoothing 0 (none) to <1 (heavy); TensorBoard's slider, the weight kept from the past per point.
 * @returns [x, smoothed y] per finite input point; NaN and ±Infinity are skipped (they would poison the average).
 */
export function emaSmooth(points: readonly WeightedPoint[], smoothing: number): Array<[number, number]> {
  const s = Math.min(Math.max(smoothing, 0), 0.999);
  const out: Array<[number, number]> = [];
  let acc = 0;
  let norm = 0;
  for (const p of points) {
    if (!Number.isFinite(p.y)) continue;
    const keep = s ** Math.max(1, p.w);
    acc = acc * keep + (1 - keep) * p.y;
    norm = norm * keep + (1 - keep);
    out.push([p.x, norm > 0 ? acc / norm : p.y]);
  }
  return out;
}
