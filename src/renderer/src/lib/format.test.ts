import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMetricValue, formatShortDateTime, runDuration } from './format';

describe('formatMetricValue', () => {
  it('names non-finite values instead of hiding them', () => {
    expect(formatMetricValue(Number.NaN)).toBe('NaN');
    expect(formatMetricValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatMetricValue(Number.NEGATIVE_INFINITY)).toBe('−Inf');
  });
  it('keeps integers, rounds to 5 significant digits, and uses exponents at the extremes', () => {
    expect(formatMetricValue(0)).toBe('0');
    expect(formatMetricValue(42)).toBe('42');
    expect(formatMetricValue(0.123456789)).toBe('0.12346');
    expect(formatMetricValue(0.00001)).toBe('1e-5');
    expect(formatMetricValue(12345678.9)).toBe('1.235e+7');
  });
});

describe('formatDuration', () => {
  it('scales its units', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(450)).toBe('450 ms');
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
    expect(formatDuration(90_000_000)).toBe('1d 01h 00m');
  });
});

describe('runDuration', () => {
  it('runs to the end time, or to now only while RUNNING', () => {
    expect(runDuration({ status: 'FINISHED', startTime: 1000, endTime: 4000 }, 9000)).toBe(3000);
    expect(runDuration({ status: 'RUNNING', startTime: 1000, endTime: null }, 9000)).toBe(8000);
    expect(runDuration({ status: 'SCHEDULED', startTime: 1000, endTime: null }, 9000)).toBeNull();
    expect(runDuration({ status: 'KILLED', startTime: 1000, endTime: null }, 9000)).toBeNull();
  });
});

describe('formatShortDateTime', () => {
  it('omits the year only for this year', () => {
    const now = new Date(2026, 5, 1).getTime();
    expect(formatShortDateTime(new Date(2026, 10, 29, 8, 5).getTime(), now)).toBe('Nov 29 08:05');
    expect(formatShortDateTime(new Date(2025, 0, 2, 13, 0).getTime(), now)).toBe('2025 Jan 2 13:00');
    expect(formatShortDateTime(0, now)).toBe('—');
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 * 1024 * 1024)).toBe('2 MiB');
    expect(formatBytes(1.02e9)).toBe('973 MiB');
    expect(formatBytes(null)).toBe('—');
  });
});
