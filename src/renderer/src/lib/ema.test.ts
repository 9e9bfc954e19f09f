import { describe, expect, it } from 'vitest';
import { emaSmooth } from './ema';

const pts = (ys: number[]) => ys.map((y, x) => ({ x, y }));

describe('emaSmooth', () => {
  it('is the identity at smoothing 0 and starts at the first value (debiased)', () => {
    expect(emaSmooth(pts([1, 5, 3]), 0)).toEqual([[0, 1], [1, 5], [2, 3]]);
    const s = emaSmooth(pts([10, 10, 10]), 0.9);
    for (const [, y] of s) expect(y).toBeCloseTo(10);
  });

  it('matches TensorBoard', () => {
    // TensorBoard: last = last*a + (1-a)*v; out = last / (1 - a^n)
    const a = 0.6;
    const ys = [1, 2, 4, 8];
    let last = 0;
    const expected = ys.map((v, i) => {
      last = last * a + (1 - a) * v;
      return last / (1 - a ** (i + 1));
    });
    emaSmooth(pts(ys), a).forEach(([, y], i) => expect(y).toBeCloseTo(expected[i]!));
  });

  it('skips non-finite values', () => {
    expect(emaSmooth(pts([1, Number.NaN, Number.POSITIVE_INFINITY, 1]), 0.5).map(([x]) => x)).toEqual([0, 3]);
  });
});
