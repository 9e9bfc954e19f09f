import { describe, expect, it } from 'vitest';
import { exactInteger, isoFromMicros, pythonJson, topValue } from './values';

describe('profile values', () => {
  it('keeps integers beyond 2^53 as exact strings', () => {
    expect(exactInteger('9007199254740991')).toBe(9007199254740991);
    expect(exactInteger('9007199254740992')).toBe('9007199254740992');
    expect(exactInteger('-208310224003697457')).toBe('-208310224003697457');
  });

  it('formats epoch microseconds as ISO 8601, years 1 to 9999', () => {
    expect(isoFromMicros('-62135596800000000')).toBe('0001-01-01T00:00:00');
    expect(isoFromMicros('16725225600000000')).toBe('2500-01-01T00:00:00');
    expect(isoFromMicros('1711837800000001', { tz: true })).toBe('2024-03-30T22:30:00.000001+00:00');
    expect(isoFromMicros('-1', {})).toBe('1969-12-31T23:59:59.999999');
    expect(isoFromMicros('1704067200000000', { date: true })).toBe('2024-01-01');
  });

  it('writes list values with the spacing of the fixtures (Python json.dumps)', () => {
    expect(pythonJson('["a","b, c"]')).toBe('["a", "b, c"]');
    expect(pythonJson('{"k":[1,2]}')).toBe('{"k": [1, 2]}');
  });

  it('reads top values back in their column kind', () => {
    expect(topValue('inf', 'float', 'DOUBLE')).toBe('Infinity');
    expect(topValue('2024-03-31 01:30:00+00', 'temporal', 'TIMESTAMP WITH TIME ZONE')).toBe('2024-03-31T01:30:00+00:00');
    expect(topValue('true', 'boolean', 'BOOLEAN')).toBe(true);
  });
});
