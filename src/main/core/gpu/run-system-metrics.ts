import type { Db } from '../store/database';
import type { TrackingService } from '../tracking/tracking-service';
import type { ContainerStats } from '../host/container-stats';
import type { GpuRing } from './gpu-ring';
import type { RollupMetric } from '../../../shared/api/gpu-types';

export interface RunSystemMetricsOptions {
  db: Db;
  tracking: TrackingService;
  ring: GpuRing;
  stats: ContainerStats | null;
  /** MIG device UUID → parent GPU UUID (readings exist per parent only). */
  parentOf: () => Map<string, string>;
  /** How often a point is logged per run, ms (MLflow's default sampling interval is 10 s). */
  intervalMs?: number;
  now?: () => number;
}

const MIB_TO_MB = 1.048576;
const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Logs each running run's system metrics into its own metric history, under MLflow's system
 * metric names so the run page and run comparison chart them like any metric:
 * `system/gpu_<n>_utilization_percentage`, `system/gpu_<n>_memory_usage_megabytes` (MB = 10^6
 * bytes, as MLflow), `system/gpu_<n>_memory_usage_percentage`, `system/gpu_<n>_power_usage_watts`,
 * `system/gpu_<n>_power_usage_percentage`, `system/gpu_<n>_temperature_celsius` (Lathe's), where n
 * is the GPU's place in the run's assignment (what the run sees as cuda:n); and, for containers,
 * `system/cpu_utilization_percentage` (of one core), `system/system_memory_usage_megabytes` and
 * `system/system_memory_usage_percentage` (of the container's limit, or of the host without one).
 * Each point is the mean of the samples since the previous one; step is seconds since the run started.
 */
export class RunSystemMetrics {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private readonly now: () => number;

  constructor(private readonly opts: RunSystemMetricsOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.last = this.now();
    this.timer = setInterval(() => void this.collect(), this.opts.intervalMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Logs one point per metric for every running run; returns how many runs got points. */
  async collect(): Promise<number> {
    const db = this.opts.db;
    if (!db.open) return 0;
    const since = this.last;
    const t = this.now();
    this.last = t;
    const runs = db
      .prepare<[], { run_id: string; start_time: number; container_id: string | null; runtime: string }>(
        `SELECT r.run_id, r.start_time, e.container_id, e.runtime FROM run_executions e JOIN runs r ON r.id = e.run
         WHERE e.finished_at IS NULL AND r.status = 'RUNNING'`,
      )
      .all();
    const leases = db
      .prepare<[], { run_id: string; slot: number; gpu_uuid: string }>(`SELECT r.run_id, l.slot, l.gpu_uuid FROM gpu_leases l JOIN runs r ON r.id = l.run WHERE l.released_at IS NULL ORDER BY l.slot`)
      .all();
    const parents = this.opts.parentOf();
    let logged = 0;
    for (const run of runs) {
      const metrics: Array<{ key: string; value: number; timestamp: number; step: number }> = [];
      const step = Math.max(0, Math.floor((t - run.start_time) / 1000));
      const add = (key: string, v: number | null) => v !== null && Number.isFinite(v) && metrics.push({ key: `system/${key}`, value: round(v), timestamp: t, step });
      for (const l of leases.filter((x) => x.run_id === run.run_id)) {
        if (parents.has(l.gpu_uuid)) continue; // MIG slice: no per-slice readings from nvidia-smi
        const mean = (m: RollupMetric) => this.opts.ring.mean(l.gpu_uuid, m, since);
        const used = mean('memory_used_mib');
        const power = mean('power_draw_w');
        add(`gpu_${l.slot}_utilization_percentage`, mean('utilization_gpu_pct'));
        add(`gpu_${l.slot}_memory_usage_megabytes`, used === null ? null : used * MIB_TO_MB);
        add(`gpu_${l.slot}_power_usage_watts`, power);
        add(`gpu_${l.slot}_temperature_celsius`, mean('temperature_c'));
        const total = this.memoryTotal?.(l.gpu_uuid) ?? null;
        add(`gpu_${l.slot}_memory_usage_percentage`, used !== null && total ? (used / total) * 100 : null);
        const limit = this.powerLimit?.(l.gpu_uuid) ?? null;
        add(`gpu_${l.slot}_power_usage_percentage`, power !== null && limit ? (power / limit) * 100 : null);
      }
      if (run.runtime === 'docker' && run.container_id && this.opts.stats) {
        const u = await this.opts.stats.read(run.container_id);
        if (u) {
          add('cpu_utilization_percentage', u.cpu_pct);
          add('system_memory_usage_megabytes', u.memory_used_bytes / 1e6);
          add('system_memory_usage_percentage', u.memory_limit_bytes ? (u.memory_used_bytes / u.memory_limit_bytes) * 100 : null);
        }
      }
      if (metrics.length && db.open) {
        try {
          this.opts.tracking.logBatch(run.run_id, { metrics });
          logged += 1;
        } catch {
          // The run ended between the query and the write: nothing to log.
        }
      }
    }
    return logged;
  }

  /** Latest memory.total / power.limit of a GPU (set by the GPU service). */
  memoryTotal?: (uuid: string) => number | null;
  powerLimit?: (uuid: string) => number | null;
}
