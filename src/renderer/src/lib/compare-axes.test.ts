import { describe, expect, it } from 'vitest';
import { axisScale, parseAxisRef, placeOnAxis } from './compare-axes';

describe('compare axes', () => {
  it('draws numbers on value axes, wide positive ranges on log axes', () => {
    expect(axisScale(['0.1', '0.2', 3])).toEqual({ type: 'value' });
    expect(axisScale(['0.0001', '0.001', '0.1'])).toEqual({ type: 'log' });
    expect(axisScale(['-1', '1000'])).toEqual({ type: 'value' });
    expect(axisScale(['1', '20'])).toEqual({ type: 'value' });
  });

  it('draws text and partly missing values as categories, numbers in numeric order', () => {
    expect(axisScale(['sgd', 'adam', 'adam'])).toEqual({ type: 'category', categories: ['adam', 'sgd'] });
    expect(axisScale(['64', '128', '8', undefined])).toEqual({ type: 'category', categories: ['8', '64', '128', '(none)'] });
    expect(placeOnAxis(undefined, { type: 'category' })).toBe('(none)');
    expect(placeOnAxis('0.5', { type: 'value' })).toBe(0.5);
  });

  it('parses axis references', () => {
    expect(parseAxisRef('metric:val/loss:x')).toEqual({ kind: 'metric', key: 'val/loss:x' });
    expect(parseAxisRef('bogus')).toBeNull();
  });
});
