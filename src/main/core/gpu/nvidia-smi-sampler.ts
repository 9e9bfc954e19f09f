import { EventEmitter } from 'node:events';
import type { GpuState, MigDevice } from '../../../shared/api/gpu-types';
import { COMPUTE_APPS_FIELDS, FALLBACK_GPU_FIELDS, WANTED_GPU_FIELDS, canonicalField } from './query-fields';
import { fitRow, isHeader, splitCsvLines } from './nvidia-csv';
import { gpuFromRow, type ParsedGpu, type ParsedProcess } from './gpu-rows';
import { int, num, text } from './nvidia-values';
import { parseHelpQuery, parseListGpus, parseVersion } from './nvidia-text';
import { classifyFailure, isDeviceWarning, notInstalled } from './nvidia-failure';
import { runOnce, spawnLoop, type LoopChild } from './nvidia-smi-runner';

/** One sample of every GPU, with the compute processes seen lately. */
export interface SamplerTick {
  /** ms since epoch when the tick's last GPU line arrived. */
  at: number;
  /** Every GPU, keyed by uuid (a row without a uuid gets `index:N`). */
  gpus: Array<ParsedGpu & { uuid: string }>;
  processes: Array<ParsedProcess & { gpu_uuid: string; pid: number }>;
  /** Lines about single devices the driver could not read (fx 31), this tick. */
  warnings: string[];
}

export interface SamplerOptions {
  /** nvidia-smi path (LATHE_NVIDIA_SMI). */
  bin: string;
  /** Loop interval in ms (-lms). */
  intervalMs: number;
  /** Environment for the children (tests pass NVIDIA_SMI_REPLAY). */
  env?: NodeJS.ProcessEnv;
  /** Backoff between restarts: first and longest wait, ms. */
  backoffMs?: { first: number; max: number };
  now?: () => number;
}

const STARTING: GpuState = { code: 'starting', message: null, hint: null, exitCode: null, since: 0 };

/**
 * Samples the GPUs with one long-lived `nvidia-smi --query-gpu=… --format=csv,nounits -lms N`
 * child (DESIGN.md, GPUs) plus one `--query-compute-apps` child in loop mode. Before looping it
 * runs `-L` (GPUs, MIG devices; the first call that needs the driver, so failures surface here),
 * `--help-query-gpu` (the fields this driver knows: asking for an unknown one fails the whole
 * query) and `--version` (driver and CUDA versions). Lines are parsed by header name; lines
 * that are not data (XID/ECC messages, a device that could not be read) are skipped. A child
 * that exits is restarted with exponential backoff; its output, when it printed no data, names
 * the state (driver not loaded, …). Emits `tick` (SamplerTick) and `state` (GpuState).
 */
export class NvidiaSmiSampler extends EventEmitter {
  state: GpuState = STARTING;
  driverVersion: string | null = null;
  cudaVersion: string | null = null;
  /** --query-gpu fields in use (canonical), after probing. */
  fields: string[] = [];
  readonly migDevices = new Map<string, MigDevice[]>();
  latest: SamplerTick | null = null;

  private readonly now: () => number;
  private running = false;
  private gpuLoop: LoopChild | null = null;
  private appsLoop: LoopChild | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private pending: Array<ParsedGpu & { uuid: string }> = [];
  private pendingWarnings: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private headerFields: string[] | null = null;
  private readonly procs = new Map<string, { p: ParsedProcess & { gpu_uuid: string; pid: number }; seen: number }>();
  private expectedGpus: number | null = null;
  private quiet = false;

  constructor(private readonly opts: SamplerOptions) {
    super();
    this.now = opts.now ?? Date.now;
  }

  /** Starts probing and sampling; idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.cycle();
  }

  /** Stops both children and every timer. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.timer = this.flushTimer = null;
    this.gpuLoop?.kill();
    this.appsLoop?.kill();
    this.gpuLoop = this.appsLoop = null;
  }

  /**
   * One reading without loop mode (the CLI when no server runs): probe, then each query once.
   * Returns null (with {@link state} saying why) when the driver gave no table.
   */
  async sampleOnce(): Promise<SamplerTick | null> {
    if (!(await this.probe())) return null;
    const env = this.opts.env;
    const [g, a] = await Promise.all([
      runOnce(this.opts.bin, [`--query-gpu=${this.fields.join(',')}`, '--format=csv,nounits'], { env }),
      runOnce(this.opts.bin, [`--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, '--format=csv,nounits'], { env }),
    ]);
    for (const line of a.stdout.split(/\r?\n/)) this.onAppsLine(line);
    const other: string[] = [];
    this.latest = null;
    // The caller takes the tick from the return value; no `tick` event.
    this.quiet = true;
    try {
      for (const line of g.stdout.split(/\r?\n/)) if (line && !this.onGpuLine(line)) other.push(line);
      this.flush();
    } finally {
      this.quiet = false;
    }
    if (!this.latest) this.setState(classifyFailure([...other, g.stderr].join('\n'), g.exitCode, this.now()));
    return this.latest;
  }

  /** Resolves with the state once it is no longer `starting` (or after `timeoutMs`). */
  ready(timeoutMs = 5000): Promise<GpuState> {
    if (this.state.code !== 'starting') return Promise.resolve(this.state);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.off('state', onState);
        resolve(this.state);
      };
      const onState = (s: GpuState) => s.code !== 'starting' && done();
      const t = setTimeout(done, timeoutMs);
      this.on('state', onState);
    });
  }

  private setState(state: GpuState): void {
    const changed = state.code !== this.state.code || state.message !== this.state.message;
    this.state = changed ? state : this.state;
    if (changed) this.emit('state', this.state);
  }

  private retryLater(): void {
    if (!this.running) return;
    const { first, max } = this.opts.backoffMs ?? { first: 1000, max: 60_000 };
    const delay = Math.min(max, first * 2 ** Math.min(16, this.failures));
    this.failures += 1;
    this.timer = setTimeout(() => void this.cycle(), delay);
  }

  /** Probe (once per start, again after an unknown-field failure), then run the loops until they end. */
  private async cycle(): Promise<void> {
    if (!this.running) return;
    const ok = await this.probe();
    if (!this.running) return;
    if (!ok) return this.retryLater();
    const interval = String(Math.max(50, Math.round(this.opts.intervalMs)));
    this.headerFields = null;
    this.gpuLoop = spawnLoop(this.opts.bin, [`--query-gpu=${this.fields.join(',')}`, '--format=csv,nounits', '-lms', interval], (l) => this.onGpuLine(l), this.opts.env);
    this.startAppsLoop(interval);
    const gpuLoop = this.gpuLoop;
    const res = await gpuLoop.exited;
    this.appsLoop?.kill();
    if (!this.running || this.gpuLoop !== gpuLoop) return;
    this.gpuLoop = this.appsLoop = null;
    if (res.notFound) this.setState(notInstalled(this.opts.bin, this.now()));
    else if (/is not a valid field to query/i.test(res.output)) this.fields = [];
    else this.setState(classifyFailure(res.output || `nvidia-smi stopped (exit status ${res.exitCode})`, res.exitCode, this.now()));
    this.retryLater();
  }

  /** The compute-apps child; restarted (after 5 s) if it ends while the GPU loop goes on. */
  private startAppsLoop(interval: string): void {
    const loop = spawnLoop(this.opts.bin, [`--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, '--format=csv,nounits', '-lms', interval], (l) => this.onAppsLine(l), this.opts.env);
    this.appsLoop = loop;
    void loop.exited.then(() => {
      if (!this.running || this.appsLoop !== loop || !this.gpuLoop) return;
      const gpuLoop = this.gpuLoop;
      setTimeout(() => {
        if (this.running && this.gpuLoop === gpuLoop && this.appsLoop === loop) this.startAppsLoop(interval);
      }, 5000).unref();
    });
  }

  /** Runs `-L`, `--help-query-gpu` and `--version`. False (and a failure state) when the driver cannot answer. */
  private async probe(): Promise<boolean> {
    const env = this.opts.env;
    const list = await runOnce(this.opts.bin, ['-L'], { env });
    if (list.notFound) {
      this.setState(notInstalled(this.opts.bin, this.now()));
      return false;
    }
    const gpus = parseListGpus(list.stdout);
    if (gpus.length === 0) {
      this.setState(classifyFailure(`${list.stdout}${list.stderr}`, list.exitCode, this.now()));
      return false;
    }
    this.expectedGpus = gpus.length;
    this.migDevices.clear();
    for (const g of gpus) this.migDevices.set(g.uuid, g.migDevices);
    if (this.fields.length === 0) {
      const help = await runOnce(this.opts.bin, ['--help-query-gpu'], { env });
      const known = parseHelpQuery(help.stdout);
      const canonical = new Set([...known].map((f) => canonicalField(f)));
      this.fields = known.size ? WANTED_GPU_FIELDS.filter((f) => canonical.has(f)) : [...FALLBACK_GPU_FIELDS];
    }
    const version = await runOnce(this.opts.bin, ['--version'], { env });
    const v = parseVersion(version.stdout);
    this.cudaVersion = v.cudaVersion;
    this.driverVersion = v.driverVersion ?? this.driverVersion;
    return true;
  }

  /** One line of the GPU loop; true when it was a header or a data row. */
  private onGpuLine(line: string): boolean {
    const cells = splitCsvLines(line)[0];
    if (!cells) return false;
    if (isHeader(cells, this.fields)) {
      this.headerFields = [...this.fields];
      return true;
    }
    const fields = this.headerFields ?? this.fields;
    const row = fitRow(cells, fields);
    if (!row) {
      if (isDeviceWarning(line)) this.pendingWarnings.push(line.trim());
      return false;
    }
    const parsed = gpuFromRow(Object.fromEntries(fields.map((f, i) => [f, row[i]!])));
    const uuid = parsed.uuid ?? `index:${parsed.index ?? this.pending.length}`;
    if (this.pending.some((g) => g.uuid === uuid)) this.flush();
    this.pending.push({ ...parsed, uuid });
    if (parsed.driver_version) this.driverVersion = parsed.driver_version;
    const expected = parsed.count ?? this.expectedGpus;
    if (expected !== null && this.pending.length >= expected) this.flush();
    else {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = setTimeout(() => this.flush(), Math.max(20, this.opts.intervalMs / 2));
    }
    return true;
  }

  /** One line of the compute-apps loop; true when it was a header or a data row. */
  private onAppsLine(line: string): boolean {
    const cells = splitCsvLines(line)[0];
    if (!cells) return false;
    const fields = COMPUTE_APPS_FIELDS as readonly string[];
    if (isHeader(cells, fields, 'apps')) return true;
    const row = fitRow(cells, [...fields]);
    if (!row) return false;
    const r = Object.fromEntries(fields.map((f, i) => [f, row[i]!]));
    const gpu_uuid = text(r.gpu_uuid);
    const pid = int(r.pid);
    if (!gpu_uuid || pid === null) return false;
    const p = { gpu_uuid, pid, process_name: text(r.process_name), used_memory_mib: num(r.used_gpu_memory), timestamp: text(r.timestamp) };
    this.procs.set(`${gpu_uuid}:${pid}`, { p, seen: this.now() });
    return true;
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const at = this.now();
    // The apps loop prints nothing in a tick without processes: a process not seen for 2.5
    // intervals has ended.
    const horizon = at - this.opts.intervalMs * 2.5 - 250;
    for (const [k, v] of this.procs) if (v.seen < horizon) this.procs.delete(k);
    const tick: SamplerTick = { at, gpus: this.pending, processes: [...this.procs.values()].map((v) => v.p), warnings: this.pendingWarnings };
    this.pending = [];
    this.pendingWarnings = [];
    this.latest = tick;
    this.failures = 0;
    this.setState({ code: 'ok', message: null, hint: null, exitCode: null, since: this.state.code === 'ok' ? this.state.since : at });
    if (!this.quiet) this.emit('tick', tick);
  }
}
