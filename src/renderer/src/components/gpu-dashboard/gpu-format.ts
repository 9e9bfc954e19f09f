import type { GpuCard, GpuHistoryRange, GpuLiveSeries } from '../../../../shared/api/gpu-types';

/** "—" for a missing reading (the driver gave none: never shown as 0). */
export const NO_READING = '—';

/** A reading with its unit, or "—". */
export function reading(v: number | null | undefined, unit: string, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NO_READING;
  const f = digits ? v.toFixed(digits) : String(Math.round(v));
  return unit ? `${f} ${unit}` : f;
}

/** Percent of a bar: v / max × 100, clamped; null when either is missing. */
export function fraction(v: number | null, max: number | null): number | null {
  if (v === null || max === null || max <= 0) return null;
  return Math.max(0, Math.min(100, (v / max) * 100));
}

/** "11125 / 81559 MiB" with either side "—". */
export function memoryText(g: Pick<GpuCard, 'memory_used_mib' | 'memory_total_mib'>): string {
  if (g.memory_used_mib === null && g.memory_total_mib === null) return NO_READING;
  return `${reading(g.memory_used_mib, '')} / ${reading(g.memory_total_mib, 'MiB')}`;
}

/** "433.8 / 700 W"; power can exceed its limit (fixture 22), which is shown as is. */
export function powerText(g: Pick<GpuCard, 'power_draw_w' | 'power_limit_w'>): string {
  if (g.power_draw_w === null && g.power_limit_w === null) return NO_READING;
  return `${reading(g.power_draw_w, '', 1)} / ${reading(g.power_limit_w, 'W')}`;
}

/** Bytes as GiB/MiB for host panels. */
export function bytes(n: number): string {
  if (n >= 1024 ** 4) return `${(n / 1024 ** 4).toFixed(1)} TiB`;
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(n / 1024 ** 2)} MiB`;
}

/** MIG slices summarised: "3g.40gb, 2g.20gb, 1g.10gb ×2". */
export function migSummary(devices: GpuCard['mig_devices']): string {
  const counts = new Map<string, number>();
  for (const d of devices) counts.set(d.profile ?? 'MIG', (counts.get(d.profile ?? 'MIG') ?? 0) + 1);
  return [...counts].map(([p, n]) => (n > 1 ? `${p} ×${n}` : p)).join(', ');
}

/** [t, v] pairs for a chart, dropping missing readings (a gap, not a 0). */
export function seriesPoints(s: GpuLiveSeries | undefined, key: 'utilization_gpu_pct' | 'memory_used_mib' | 'power_draw_w' | 'temperature_c'): Array<[number, number]> {
  if (!s) return [];
  const out: Array<[number, number]> = [];
  s[key].forEach((v, i) => v !== null && out.push([s.t[i]!, v]));
  return out;
}

export const RANGE_LABELS: Record<GpuHistoryRange, string> = { '15m': '15 min', '1h': '1 hour', '24h': '24 hours', '7d': '7 days' };
