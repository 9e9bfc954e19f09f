import { describe, expect, it } from 'vitest';
import { bytes, fraction, memoryText, migSummary, powerText, reading, seriesPoints } from './gpu-format';

describe('GPU dashboard formatting', () => {
  it('shows a missing reading as —, never 0, and a real 0 as 0', () => {
    expect(reading(null, '%')).toBe('—');
    expect(reading(0, '%')).toBe('0 %');
    expect(reading(433.78, 'W', 1)).toBe('433.8 W');
    expect(memoryText({ memory_used_mib: null, memory_total_mib: null })).toBe('—');
    expect(memoryText({ memory_used_mib: 11125, memory_total_mib: 81559 })).toBe('11125 / 81559 MiB');
    expect(powerText({ power_draw_w: 228.82, power_limit_w: 210 })).toBe('228.8 / 210 W');
    expect(powerText({ power_draw_w: null, power_limit_w: 180 })).toBe('— / 180 W');
  });
  it('bars, MIG summaries, bytes and chart points', () => {
    expect(fraction(50, 200)).toBe(25);
    expect(fraction(250, 200)).toBe(100);
    expect(fraction(null, 200)).toBeNull();
    expect(migSummary([{ index: 0, uuid: 'a', profile: '3g.40gb' }, { index: 2, uuid: 'c', profile: '1g.10gb' }, { index: 3, uuid: 'd', profile: '1g.10gb' }])).toBe('3g.40gb, 1g.10gb ×2');
    expect(bytes(25276059648)).toBe('23.5 GiB');
    expect(seriesPoints({ uuid: 'g', t: [1, 2, 3], utilization_gpu_pct: [5, null, 7], memory_used_mib: [], power_draw_w: [], temperature_c: [] }, 'utilization_gpu_pct')).toEqual([[1, 5], [3, 7]]);
  });
});
