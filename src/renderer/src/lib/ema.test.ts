import { describe, expect, it } from 'vitest';
import { emaSmooth } from './ema';

const pts = (ys: number[]) => ys.map((y, x) => ({ x, y, w: 1 }));

describe('emaSmooth', () => {
  it('is the identity at smoothing 0 and starts at the first value (debiased)', () => {
    expect(emaSmooth(pts([1, 5, 3]), 0)).toEqual([[0, 1], [1, 5], [2, 3]]);
    const s = emaSmooth(pts([10, 10, 10]), 0.9);
    for (const [, y] of s) expect(y).toBeCloseTo(10);
  });

  it('matches TensorBoard on single points', () => {
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

  it('weights a bucket of w points like w single points of that value', () => {
    const one = emaSmooth([{ x: 0, y: 0, w: 1 }, { x: 1, y: 1, w: 4 }], 0.8);
    const many = emaSmooth([{ x: 0, y: 0, w: 1 }, ...[1, 2, 3, 4].map((x) => ({ x, y: 1, w: 1 }))], 0.8);
    expect(one[1]![1]).toBeCloseTo(many[4]![1]);
  });

  it('skips non-finite values', () => {
    expect(emaSmooth(pts([1, Number.NaN, Number.POSITIVE_INFINITY, 1]), 0.5).map(([x]) => x)).toEqual([0, 3]);
  });
});
