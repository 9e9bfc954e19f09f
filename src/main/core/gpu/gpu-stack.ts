import type Docker from 'dockerode';
import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import type { TrackingService } from '../tracking/tracking-service';
import { GpuService } from './gpu-service';
import { RunSystemMetrics } from './run-system-metrics';
import { GpuQueue } from '../queue/gpu-queue';
import { HostMetricsReader } from '../host/host-metrics';
import { ContainerStats } from '../host/container-stats';

/** GPU settings; each has an environment variable (read by {@link gpuConfigFromEnv}). */
export interface GpuConfig {
  /** nvidia-smi to run (LATHE_NVIDIA_SMI; default `nvidia-smi` on PATH). */
  nvidiaSmi?: string;
  /** Sampling interval in ms (LATHE_GPU_INTERVAL_MS; default 1000). */
  intervalMs?: number;
  /** MiB used outside Lathe above which a GPU is not assigned (LATHE_GPU_FOREIGN_MEMORY_MIB; default 1024). */
  foreignMemoryThresholdMib?: number;
  /** Days of 5-minute GPU history kept (LATHE_GPU_RETENTION_DAYS; default 30). */
  retentionDays?: number;
  /** How Docker is asked for GPUs (LATHE_GPU_REQUEST_MODE: `device-requests`, default, or `env-only` for tests). */
  requestMode?: 'device-requests' | 'env-only';
  /** ms between per-run system metric points (LATHE_SYSTEM_METRICS_INTERVAL_MS; default 10000). */
  runMetricsIntervalMs?: number;
  /** Environment for nvidia-smi (the replay script reads NVIDIA_SMI_REPLAY from it). */
  env?: NodeJS.ProcessEnv;
}

const positive = (v: string | undefined): number | undefined => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
};

/** GPU settings from the environment (documented in docs/gpus.md). */
export function gpuConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GpuConfig {
  const mode = env.LATHE_GPU_REQUEST_MODE;
  return {
    nvidiaSmi: env.LATHE_NVIDIA_SMI || undefined,
    intervalMs: positive(env.LATHE_GPU_INTERVAL_MS),
    foreignMemoryThresholdMib: env.LATHE_GPU_FOREIGN_MEMORY_MIB !== undefined && Number.isFinite(Number(env.LATHE_GPU_FOREIGN_MEMORY_MIB)) && env.LATHE_GPU_FOREIGN_MEMORY_MIB !== '' ? Number(env.LATHE_GPU_FOREIGN_MEMORY_MIB) : undefined,
    retentionDays: positive(env.LATHE_GPU_RETENTION_DAYS),
    requestMode: mode === 'env-only' ? 'env-only' : mode === 'device-requests' ? 'device-requests' : undefined,
    runMetricsIntervalMs: positive(env.LATHE_SYSTEM_METRICS_INTERVAL_MS),
  };
}

/** GPU telemetry, the GPU queue, host metrics and per-run system metrics, built together. */
export interface GpuStack {
  service: GpuService;
  queue: GpuQueue;
  host: HostMetricsReader;
  runMetrics: RunSystemMetrics;
  config: Required<Omit<GpuConfig, 'env'>>;
  /** Starts sampling and the per-run metrics (servers and the desktop app; not CLI commands). */
  start(): void;
  stop(): void;
}

/** Builds the GPU services over the store; nothing runs until {@link GpuStack.start}. */
export function createGpuStack(deps: { db: Db; bus: ChangeBus; tracking: TrackingService; docker: Docker; config?: GpuConfig; now?: () => number }): GpuStack {
  const c = deps.config ?? {};
  const config = {
    nvidiaSmi: c.nvidiaSmi ?? 'nvidia-smi',
    intervalMs: c.intervalMs ?? 1000,
    foreignMemoryThresholdMib: c.foreignMemoryThresholdMib ?? 1024,
    retentionDays: c.retentionDays ?? 30,
    requestMode: c.requestMode ?? 'device-requests',
    runMetricsIntervalMs: c.runMetricsIntervalMs ?? 10_000,
  } as const;
  const service = new GpuService({ db: deps.db, bus: deps.bus, nvidiaSmi: config.nvidiaSmi, intervalMs: config.intervalMs, env: c.env, retentionDays: config.retentionDays, now: deps.now });
  const queue = new GpuQueue({ db: deps.db, bus: deps.bus, foreignMemoryThresholdMib: config.foreignMemoryThresholdMib, now: deps.now, inventory: { mode: () => service.mode(), ready: (t) => service.ready(t), gpus: () => service.planGpus() } });
  const runMetrics = new RunSystemMetrics({
    db: deps.db,
    tracking: deps.tracking,
    ring: service.ring,
    stats: new ContainerStats(deps.docker),
    intervalMs: config.runMetricsIntervalMs,
    now: deps.now,
    parentOf: () => {
      const m = new Map<string, string>();
      for (const [gpu, migs] of service.sampler.migDevices) for (const d of migs) m.set(d.uuid, gpu);
      return m;
    },
  });
  const gpuOf = (uuid: string) => service.snapshot().gpus.find((g) => g.uuid === uuid);
  runMetrics.memoryTotal = (uuid) => gpuOf(uuid)?.memory_total_mib ?? null;
  runMetrics.powerLimit = (uuid) => gpuOf(uuid)?.power_limit_w ?? null;
  const pump = () => void queue.pump();
  let started = false;
  return {
    service,
    queue,
    host: new HostMetricsReader(),
    runMetrics,
    config,
    start() {
      if (started) return;
      started = true;
      service.on('snapshot', pump);
      service.on('state', pump);
      service.start();
      runMetrics.start();
    },
    stop() {
      if (!started) return;
      started = false;
      service.off('snapshot', pump);
      service.off('state', pump);
      runMetrics.stop();
      service.stop();
    },
  };
}
