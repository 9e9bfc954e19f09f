import { EventEmitter } from 'node:events';
import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import type { GpuCard, GpuHistory, GpuHistoryRange, RollupMetric, GpuLiveSeries, GpuSnapshot, GpuState, QueueStatus } from '../../../shared/api/gpu-types';
import type { PlanGpu } from '../queue/gpu-plan';
import { NvidiaSmiSampler, type SamplerTick } from './nvidia-smi-sampler';
import { GpuRing } from './gpu-ring';
import { GpuRollups } from './gpu-rollups';
import { ProcReader, attributeProcesses, type AttributionContext } from './attribution';
import type { Statement } from 'better-sqlite3';

export interface GpuServiceOptions {
  db: Db;
  bus: ChangeBus;
  /** nvidia-smi path; default `LATHE_NVIDIA_SMI` or `nvidia-smi` on PATH. */
  nvidiaSmi: string;
  /** Sampling interval, ms (default 1000). */
  intervalMs?: number;
  /** Environment for nvidia-smi (tests point NVIDIA_SMI_REPLAY at a scenario). */
  env?: NodeJS.ProcessEnv;
  retentionDays?: number;
  /** Root of the proc filesystem (tests). */
  procRoot?: string;
  now?: () => number;
}

interface RunRef {
  runId: string;
  runName: string;
}

/**
 * GPU telemetry for the whole app: runs the nvidia-smi sampler, attributes each GPU process to
 * a Lathe run (container via /proc/<pid>/cgroup, process group, or lease), keeps the 15-minute
 * ring for live views and the SQLite rollups for history, and publishes a `gpu` change event per
 * sample. Emits `snapshot` (GpuSnapshot) after each sample and `state` (GpuState) on changes.
 */
export class GpuService extends EventEmitter {
  readonly sampler: NvidiaSmiSampler;
  readonly ring: GpuRing;
  readonly rollups: GpuRollups;
  readonly intervalMs: number;
  private readonly proc: ProcReader;
  private readonly now: () => number;
  private current: GpuSnapshot;
  private started = false;
  private processing = false;

  constructor(private readonly opts: GpuServiceOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.sampler = new NvidiaSmiSampler({ bin: opts.nvidiaSmi, intervalMs: this.intervalMs, env: opts.env, now: this.now });
    this.ring = new GpuRing(Math.max(60, Math.round((15 * 60_000) / this.intervalMs)));
    this.rollups = new GpuRollups(opts.db, { retentionDays: opts.retentionDays, now: this.now });
    this.proc = new ProcReader(opts.procRoot);
    this.current = this.emptySnapshot(this.sampler.state);
    this.sampler.on('tick', (tick: SamplerTick) => void this.onTick(tick));
    this.sampler.on('state', (state: GpuState) => {
      if (state.code !== 'ok') this.current = { ...this.emptySnapshot(state), sampled_at: this.current.sampled_at };
      this.opts.bus.publish({ kind: 'gpu' });
      this.emit('state', state);
    });
  }

  /** Starts sampling (the server and the desktop app call this; CLI commands do not). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.sampler.start();
  }

  /** Stops sampling and writes the open rollup buckets. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.sampler.stop();
    this.rollups.flush();
  }

  get running(): boolean {
    return this.started;
  }

  /** Resolves once the first readings are processed or the driver failed, or after `timeoutMs`. */
  ready(timeoutMs = 5000): Promise<GpuState> {
    const settled = () => this.current.sampled_at !== null || (this.sampler.state.code !== 'starting' && this.sampler.state.code !== 'ok');
    if (!this.started || settled()) return Promise.resolve(this.sampler.state);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off('snapshot', check);
        this.off('state', check);
        resolve(this.sampler.state);
      };
      const check = () => settled() && done();
      const timer = setTimeout(done, timeoutMs);
      this.on('snapshot', check);
      this.on('state', check);
    });
  }

  /**
   * One reading without starting the loop (CLI commands when no server runs): the snapshot
   * with processes attributed, or the failure state. Writes no history.
   */
  async sampleOnce(): Promise<GpuSnapshot> {
    const tick = await this.sampler.sampleOnce();
    if (!tick) return this.emptySnapshot(this.sampler.state);
    await this.onTick(tick, false);
    return this.current;
  }

  /** The latest readings with attribution and leases. */
  snapshot(): GpuSnapshot {
    return this.current;
  }

  /** Sparkline series of the last `windowSec` seconds (from the in-memory ring). */
  live(windowSec = 300): GpuLiveSeries[] {
    return this.ring.live(this.now() - windowSec * 1000);
  }

  /** History from the SQLite rollups (all metrics, or the ones named). */
  history(range: GpuHistoryRange, metrics?: readonly RollupMetric[]): GpuHistory {
    return this.rollups.history(range, this.now(), metrics);
  }

  /** How the queue may use the readings: scheduled, starting, or passthrough (GPUs unreadable). */
  mode(): QueueStatus['mode'] {
    const code = this.sampler.state.code;
    if (!this.started) return 'passthrough';
    // Readings flow only once the first sample has been attributed.
    if (code === 'starting' || (code === 'ok' && this.current.sampled_at === null)) return 'starting';
    return code === 'ok' ? 'scheduled' : 'passthrough';
  }

  /** The GPUs for the scheduler, with memory used outside Lathe. */
  planGpus(): PlanGpu[] {
    return this.current.gpus.map((g) => ({ uuid: g.uuid, index: g.index, mig: g.mig_devices.map((m) => m.uuid), foreignMemoryMib: g.foreign_memory_mib }));
  }

  private emptySnapshot(state: GpuState): GpuSnapshot {
    return {
      state,
      driver_version: this.sampler?.driverVersion ?? null,
      cuda_version: this.sampler?.cudaVersion ?? null,
      sampled_at: null,
      interval_ms: this.intervalMs,
      nvidia_smi: this.opts.nvidiaSmi,
      fields: this.sampler?.fields ?? [],
      warnings: [],
      gpus: [],
    };
  }

  private contextStmts?: {
    execs: Statement<[], { run_id: string; name: string; container_id: string | null; pid: number | null; runtime: string }>;
    leases: Statement<[], { run_id: string; name: string; gpu_uuid: string; acquired_at: number }>;
  };

  /** Lathe's side of attribution: containers and process groups of unfinished runs, and leases. */
  private context(): { ctx: AttributionContext; leaseByGpu: Map<string, RunRef & { since: number }> } {
    // Prepared once: this runs on every sampler tick.
    this.contextStmts ??= {
      execs: this.opts.db.prepare<[], { run_id: string; name: string; container_id: string | null; pid: number | null; runtime: string }>(
        `SELECT r.run_id, r.name, e.container_id, e.pid, e.runtime FROM run_executions e JOIN runs r ON r.id = e.run WHERE e.finished_at IS NULL`,
      ),
      leases: this.opts.db.prepare<[], { run_id: string; name: string; gpu_uuid: string; acquired_at: number }>(
        `SELECT r.run_id, r.name, l.gpu_uuid, l.acquired_at FROM gpu_leases l JOIN runs r ON r.id = l.run WHERE l.released_at IS NULL`,
      ),
    };
    const execs = this.contextStmts.execs.all();
    const leases = this.contextStmts.leases.all();
    const ctx: AttributionContext = { containers: new Map(), processGroups: new Map(), leases: new Map() };
    for (const e of execs) {
      if (e.container_id) ctx.containers.set(e.container_id, { runId: e.run_id, runName: e.name });
      if (e.pid && e.runtime === 'process') ctx.processGroups.set(e.pid, { runId: e.run_id, runName: e.name });
    }
    const parentOf = new Map<string, string>();
    for (const [gpu, migs] of this.sampler.migDevices) for (const m of migs) parentOf.set(m.uuid, gpu);
    const leaseByGpu = new Map<string, RunRef & { since: number }>();
    for (const l of leases) {
      const gpu = parentOf.get(l.gpu_uuid) ?? l.gpu_uuid;
      const ref = { runId: l.run_id, runName: l.name };
      ctx.leases.set(gpu, [...(ctx.leases.get(gpu) ?? []), ref]);
      if (!leaseByGpu.has(gpu)) leaseByGpu.set(gpu, { ...ref, since: l.acquired_at });
    }
    return { ctx, leaseByGpu };
  }

  private async onTick(tick: SamplerTick, record = true): Promise<void> {
    // A slow /proc read must not pile up work: skip a tick rather than queue them. A tick that
    // arrives after the store closed (shutdown) has nowhere to go.
    if (this.processing || !this.opts.db.open) return;
    this.processing = true;
    try {
      const { ctx, leaseByGpu } = this.context();
      const processes = await attributeProcesses(tick.processes, ctx, this.proc, tick.at);
      const gpus: GpuCard[] = tick.gpus.map((g) => {
        const procs = processes.filter((p) => p.gpu_uuid === g.uuid);
        const lathe = procs.filter((p) => p.owner === 'lathe').reduce((s, p) => s + (p.used_memory_mib ?? 0), 0);
        const foreignProcs = procs.filter((p) => p.owner === 'foreign' && p.used_memory_mib !== null);
        const foreign = g.memory_used_mib !== null ? Math.max(0, g.memory_used_mib - lathe) : foreignProcs.length ? foreignProcs.reduce((s, p) => s + p.used_memory_mib!, 0) : null;
        const lease = leaseByGpu.get(g.uuid);
        const { driver_version: _d, timestamp: _t, count: _c, ...reading } = g;
        return {
          ...reading,
          mig_devices: this.sampler.migDevices.get(g.uuid) ?? [],
          processes: procs,
          lease: lease ? { run_id: lease.runId, run_name: lease.runName, since: lease.since } : null,
          foreign_memory_mib: foreign,
        };
      });
      gpus.sort((a, b) => (a.index ?? 1e9) - (b.index ?? 1e9));
      this.current = {
        state: this.sampler.state,
        driver_version: this.sampler.driverVersion,
        cuda_version: this.sampler.cudaVersion,
        sampled_at: tick.at,
        interval_ms: this.intervalMs,
        nvidia_smi: this.opts.nvidiaSmi,
        fields: this.sampler.fields,
        warnings: tick.warnings,
        gpus,
      };
      if (!record) return;
      this.ring.push(tick.at, gpus);
      if (this.opts.db.open) this.rollups.add(tick.at, gpus);
      this.opts.bus.publish({ kind: 'gpu' });
      this.emit('snapshot', this.current);
    } finally {
      this.processing = false;
    }
  }
}
