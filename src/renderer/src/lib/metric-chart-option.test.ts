import { describe, expect, it } from 'vitest';
import { prepareSeries } from './metric-chart-option';

describe('prepareSeries', () => {
  it('drops non-finite values from the line and counts them', () => {
    const { finite, nonFinite } = prepareSeries([
      [1, 0.5, 10],
      [2, Number.POSITIVE_INFINITY, 20],
      [3, Number.NaN, 30],
      [4, Number.NaN, 40],
      [5, Number.NEGATIVE_INFINITY, 50],
      [6, 0.25, 60],
    ]);
    expect(finite).toEqual([
      [1, 0.5, 10],
      [6, 0.25, 60],
    ]);
    expect(nonFinite).toEqual({ nan: 2, posInf: 1, negInf: 1, firstStep: 2 });
  });
});
