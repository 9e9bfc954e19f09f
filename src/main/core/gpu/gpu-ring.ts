import { ROLLUP_METRICS, type GpuLiveSeries, type GpuReading, type RollupMetric } from '../../../shared/api/gpu-types';

interface Ring {
  t: Float64Array;
  values: Record<RollupMetric, Float64Array>;
  /** Next slot to write. */
  head: number;
  size: number;
}

/**
 * The in-memory history for live views: the last `capacity` samples of each GPU (default 900:
 * 15 minutes at 1 Hz), in typed arrays (NaN for "no reading"), keyed by GPU UUID.
 */
export class GpuRing {
  private readonly rings = new Map<string, Ring>();

  constructor(readonly capacity = 900) {}

  /** Appends one sample of each GPU at `at` (ms). */
  push(at: number, gpus: ReadonlyArray<Pick<GpuReading, 'uuid' | RollupMetric>>): void {
    for (const g of gpus) {
      let ring = this.rings.get(g.uuid);
      if (!ring) {
        ring = { t: new Float64Array(this.capacity), values: Object.fromEntries(ROLLUP_METRICS.map((m) => [m, new Float64Array(this.capacity)])) as Ring['values'], head: 0, size: 0 };
        this.rings.set(g.uuid, ring);
      }
      ring.t[ring.head] = at;
      for (const m of ROLLUP_METRICS) ring.values[m][ring.head] = g[m] ?? Number.NaN;
      ring.head = (ring.head + 1) % this.capacity;
      ring.size = Math.min(this.capacity, ring.size + 1);
    }
  }

  /** Samples of one GPU at or after `since` (ms), oldest first, as [t, value|null] per metric. */
  window(uuid: string, since: number): { t: number[]; values: Record<RollupMetric, Array<number | null>> } {
    const ring = this.rings.get(uuid);
    const out = { t: [] as number[], values: Object.fromEntries(ROLLUP_METRICS.map((m) => [m, [] as Array<number | null>])) as Record<RollupMetric, Array<number | null>> };
    if (!ring) return out;
    for (let i = 0; i < ring.size; i++) {
      const slot = (ring.head - ring.size + i + this.capacity) % this.capacity;
      if (ring.t[slot]! < since) continue;
      out.t.push(ring.t[slot]!);
      for (const m of ROLLUP_METRICS) {
        const v = ring.values[m][slot]!;
        out.values[m].push(Number.isNaN(v) ? null : v);
      }
    }
    return out;
  }

  /** Sparkline series for every GPU since `since`. */
  live(since: number): GpuLiveSeries[] {
    return [...this.rings.keys()].map((uuid) => {
      const w = this.window(uuid, since);
      return { uuid, t: w.t, utilization_gpu_pct: w.values.utilization_gpu_pct, memory_used_mib: w.values.memory_used_mib, power_draw_w: w.values.power_draw_w, temperature_c: w.values.temperature_c };
    });
  }

  /** Mean of the non-null values of `metric` for `uuid` since `since`; null when none. */
  mean(uuid: string, metric: RollupMetric, since: number): number | null {
    const vals = this.window(uuid, since).values[metric].filter((v): v is number => v !== null);
    return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
  }
}
