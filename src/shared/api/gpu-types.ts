/**
 * GPU telemetry, attribution and queue shapes shared by the core, the API, the CLI and the UI.
 * Readings use nvidia-smi's units in their names (`_mib`, `_pct`, `_w`, `_c`, `_mhz`) and are
 * null where the driver gave no reading ([N/A], [Not Supported], ERR!, …) — never 0.
 * Times are ms since the Unix epoch.
 */

/**
 * Whether Lathe can read the GPUs. `ok`: readings flow. `starting`: before the first answer.
 * The others name why nvidia-smi gave no table (see docs/gpus.md for each one's hint).
 */
export const GPU_STATE_CODES = [
  'ok',
  'starting',
  'disabled',
  'not_installed',
  'driver_not_loaded',
  'driver_library_mismatch',
  'nvml_not_found',
  'no_devices',
  'gpu_lost',
  'device_error',
  'insufficient_permissions',
  'inforom_corrupted',
  'unknown_error',
] as const;
export type GpuStateCode = (typeof GPU_STATE_CODES)[number];

export interface GpuState {
  code: GpuStateCode;
  /** What nvidia-smi (the driver) said, verbatim; null when ok. */
  message: string | null;
  /** What to do about it, in plain language; null when ok. */
  hint: string | null;
  /** nvidia-smi's exit status, when it exited. */
  exitCode: number | null;
  /** ms since epoch the state began. */
  since: number;
}

/** A MIG slice of a GPU (from `nvidia-smi -L`). */
export interface MigDevice {
  /** MIG device index within its parent GPU. */
  index: number;
  /** `MIG-…` UUID (what DeviceIDs / NVIDIA_VISIBLE_DEVICES take). */
  uuid: string;
  /** Profile, e.g. "3g.40gb"; null when not printed. */
  profile: string | null;
}

/** Who a GPU process belongs to, and how Lathe knows. */
export type ProcessOwner = 'lathe' | 'foreign';
/**
 * `cgroup`: /proc/<pid>/cgroup names a Lathe container; `pid`: the process (group) of a
 * process-runtime run; `lease`: not visible in /proc (another PID namespace, or gone), on a GPU
 * leased to exactly that run.
 */
export type AttributionSource = 'cgroup' | 'pid' | 'lease';

export interface GpuProcess {
  pid: number;
  /** GPU the row was reported on (a process on several GPUs has one row per GPU). */
  gpu_uuid: string;
  /** Executable as nvidia-smi printed it; null when empty or [N/A]. */
  process_name: string | null;
  /** null where the driver does not report per-process memory (Windows WDDM, WSL2). */
  used_memory_mib: number | null;
  /** Full 64-hex container id when the process runs in a container; null on the host. */
  container_id: string | null;
  /** The Lathe run it belongs to; null for foreign processes. */
  run_id: string | null;
  run_name: string | null;
  owner: ProcessOwner;
  attributed_by: AttributionSource | null;
  /** Unix user name (or uid) from /proc; null when not visible. */
  user: string | null;
  /** Command line from /proc/<pid>/cmdline; null when not visible. */
  command: string | null;
}

/** One GPU's latest readings, attribution and lease. */
export interface GpuReading {
  index: number | null;
  uuid: string;
  name: string | null;
  pci_bus_id: string | null;
  utilization_gpu_pct: number | null;
  utilization_memory_pct: number | null;
  memory_total_mib: number | null;
  memory_used_mib: number | null;
  memory_free_mib: number | null;
  temperature_c: number | null;
  power_draw_w: number | null;
  power_limit_w: number | null;
  fan_pct: number | null;
  sm_clock_mhz: number | null;
  mem_clock_mhz: number | null;
  graphics_clock_mhz: number | null;
  pstate: string | null;
  /** true/false from mig.mode.current; null when not reported. */
  mig_mode: boolean | null;
  persistence_mode: boolean | null;
  mig_devices: MigDevice[];
  processes: GpuProcess[];
}

/** A GPU as the dashboard shows it: readings plus who holds it. */
export interface GpuCard extends GpuReading {
  /** The Lathe run holding a lease on it (or on one of its MIG devices), if any. */
  lease: { run_id: string; run_name: string; since: number } | null;
  /** memory.used minus memory of Lathe's own processes on it, MiB; null without a reading. */
  foreign_memory_mib: number | null;
}

/** The whole GPU picture at one moment (`lathe gpus --json`, the dashboard). */
export interface GpuSnapshot {
  state: GpuState;
  driver_version: string | null;
  cuda_version: string | null;
  /** ms since epoch of the readings; null before the first. */
  sampled_at: number | null;
  interval_ms: number;
  /** The nvidia-smi path Lathe runs. */
  nvidia_smi: string;
  /** Fields asked of --query-gpu (after probing the driver). */
  fields: string[];
  /** Lines nvidia-smi printed for single devices it could not read (others still report). */
  warnings: string[];
  gpus: GpuCard[];
}

/** Live series for sparklines: aligned arrays, null for a missing reading. */
export interface GpuLiveSeries {
  uuid: string;
  t: number[];
  utilization_gpu_pct: Array<number | null>;
  memory_used_mib: Array<number | null>;
  power_draw_w: Array<number | null>;
  temperature_c: Array<number | null>;
}

export const GPU_HISTORY_RANGES = ['15m', '1h', '24h', '7d'] as const;
export type GpuHistoryRange = (typeof GPU_HISTORY_RANGES)[number];
export const ROLLUP_METRICS = ['utilization_gpu_pct', 'utilization_memory_pct', 'memory_used_mib', 'temperature_c', 'power_draw_w', 'fan_pct', 'sm_clock_mhz'] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

/** Rolled-up history of one GPU: bucket starts and, per metric, min/mean/max per bucket (null: no reading). */
export interface GpuHistorySeries {
  uuid: string;
  name: string | null;
  index: number | null;
  /** Bucket width in seconds. */
  resolution_s: number;
  /** Bucket starts, ms since epoch. */
  t: number[];
  /** The metrics asked for (all when none were named). */
  metrics: Partial<Record<RollupMetric, { min: Array<number | null>; mean: Array<number | null>; max: Array<number | null> }>>;
}

export interface GpuHistory {
  range: GpuHistoryRange;
  from: number;
  to: number;
  gpus: GpuHistorySeries[];
}

/** Host load for the dashboard (systeminformation). */
export interface HostMetrics {
  sampled_at: number;
  cpu: { model: string; cores: number; load_pct: number | null };
  memory: { total_bytes: number; used_bytes: number; available_bytes: number };
  disks: Array<{ mount: string; fs: string; size_bytes: number; used_bytes: number }>;
  network: Array<{ iface: string; rx_bytes_per_s: number | null; tx_bytes_per_s: number | null }>;
  os: string;
}

/** A run waiting in the GPU queue. */
export interface QueueEntry {
  run_id: string;
  run_name: string;
  experiment_id: string;
  /** 1-based place in the order the scheduler serves (priority, then arrival). */
  position: number;
  priority: number;
  enqueued_at: number;
  /** What it asked for: a count, devices (index or UUID), or "all". */
  request: number | string[] | 'all';
  /** Why it waits, for people ("waiting for 2 GPUs; GPU 1 held by run …"). */
  reason: string;
}

/** A GPU held by a run. */
export interface GpuLease {
  run_id: string;
  run_name: string;
  /** Position in the run's assignment: the GPU the run sees as cuda:slot. */
  slot: number;
  gpu_uuid: string;
  gpu_index: number | null;
  acquired_at: number;
}

export interface QueueStatus {
  entries: QueueEntry[];
  leases: GpuLease[];
  /** MiB of memory used outside Lathe above which a GPU is not assigned. */
  foreign_memory_threshold_mib: number;
  /** `scheduled`: Lathe assigns GPUs; `passthrough`: GPUs unreadable, requests go to Docker as asked. */
  mode: 'scheduled' | 'passthrough' | 'starting';
}
