import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import type { TrackingService } from '../tracking/tracking-service';
import type { RunTokenService } from '../auth/run-tokens';
import type { ExecutionInfo, RunInfo } from '../../../shared/api/types';
import { runSpecSchema, type RunSpec, type RunSpecInput } from '../../../shared/api/run-spec';
import { LatheError } from '../../../shared/errors';
import type { LogStore } from './log-store';
import type { DockerRuntime } from './docker-runtime';
import type { ProcessRuntime } from './process-runtime';
import type { LaunchFailureDetails, Runtime, RuntimeHandle, RuntimeKind } from './runtime';
import { maskEnv } from './env';
import { validateKey } from '../tracking/validation';
import { prepareSource } from './run-preparation';
import { readExitCode } from './process-runtime';
import { handleOf, readExecutionRow, toExecutionInfo, type ExecutionRow } from './execution-row';
import type { GpuQueue } from '../queue/gpu-queue';
import type { AssignedGpu } from '../queue/gpu-plan';
import type { DatasetRunInputs } from '../datasets/run-inputs';

/** Where training code reaches the tracking API: from host processes and from containers. */
export interface TrackingUrls {
  host: string;
  /** null when no listener is reachable from containers (no Docker bridge). */
  container: string | null;
}

export interface ExecutorDeps {
  db: Db;
  bus: ChangeBus;
  tracking: TrackingService;
  runTokens: RunTokenService;
  logs: LogStore;
  docker: DockerRuntime;
  process: ProcessRuntime;
  snapshotsDir: string;
  now?: () => number;
  /** The GPU queue (issue #5); without it a run's GPU request goes to the runtime as given. */
  gpuQueue?: GpuQueue;
  /** Datasets as run inputs (issue #6): checked before a run exists, mounted at launch. */
  datasets?: DatasetRunInputs;
}

/** Where and how one run is launched (from a new spec, or from a queued run's execution row). */
interface LaunchPlan {
  runId: string;
  kind: RuntimeKind;
  spec: RunSpec;
  workdir: string;
  snapshotDir: string | null;
  logPath: string;
  experimentId: string;
}

const DEFAULT_GRACE_SECONDS = 10;

/**
 * Starts, supervises and stops runs: creates the tracked run first, snapshots the code,
 * hands the runtime a per-run tracking token, records how it ran, and finalises the status
 * (FINISHED on exit 0, FAILED with the exit code otherwise, KILLED when stopped).
 * Reconciliation after a restart lives in run-reconciler.ts.
 */
export class RunExecutor {
  private trackingUrls: TrackingUrls | null = null;
  /** Runs supervised by this process, with their wait promise. */
  private readonly supervised = new Map<string, Promise<void>>();
  private readonly stopRequested = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly deps: ExecutorDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Set by the server shell once it listens; runs cannot start before. */
  setTrackingUrls(urls: TrackingUrls): void {
    this.trackingUrls = urls;
  }

  runtime(kind: RuntimeKind): Runtime {
    return kind === 'docker' ? this.deps.docker : this.deps.process;
  }

  /** Chooses the runtime: the spec's, else docker when an image is given, else process. */
  private async chooseRuntime(spec: RunSpec): Promise<RuntimeKind> {
    const kind = spec.runtime ?? (spec.image ? 'docker' : 'process');
    if (kind === 'docker') {
      if (!spec.image) {
        throw new LatheError('INVALID_PARAMETER_VALUE', 'The docker runtime needs an image: --image lathe/python-sklearn:bookworm (build it with scripts/build-image.sh), or use --runtime process.', { field: 'image' });
      }
      await this.deps.docker.ping();
    }
    return kind;
  }

  /**
   * Starts a run from a spec and returns its info right after launch (RUNNING), or FAILED
   * when the runtime refused it (the reason is the execution's statusMessage and the first
   * line of the log), or QUEUED when it asked for GPUs that are not free (the GPU queue starts
   * it later). The run is supervised in the background until it ends.
   * @throws LatheError INVALID_PARAMETER_VALUE (bad spec, missing folder, snapshot too large,
   *   unknown experiment id), TEMPORARILY_UNAVAILABLE (Docker engine not reachable),
   *   INVALID_STATE (not running inside a Lathe server).
   */
  async start(input: RunSpecInput, opts: { snapshotLimitBytes?: number; defaultWorkdir?: string } = {}): Promise<RunInfo> {
    const parsed = runSpecSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid run spec: ${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.') });
    }
    const spec = parsed.data;
    const urls = this.trackingUrls;
    if (!urls) throw new LatheError('INVALID_STATE', 'Runs can only be started by a running Lathe server (lathe serve or the desktop app).');
    const kind = await this.chooseRuntime(spec);
    if (kind === 'docker' && !urls.container) {
      throw new LatheError('INVALID_STATE', 'The tracking API is not reachable from containers (no Docker bridge address to listen on); use --runtime process.');
    }
    const workdir = path.resolve(spec.workdir ?? opts.defaultWorkdir ?? process.cwd());
    if (spec.experimentId) this.deps.tracking.getExperiment(spec.experimentId); // 404 before any work
    const limitBytes = opts.snapshotLimitBytes ?? (spec.snapshotLimitMb ? spec.snapshotLimitMb * 1024 * 1024 : undefined);
    const source = await prepareSource(spec, kind, workdir, path.join(this.deps.snapshotsDir, '.tmp'), limitBytes);
    // Only now, with the snapshot taken, may a new experiment be created for the run.
    let experimentId: string;
    try {
      experimentId = this.resolveExperiment(spec);
    } catch (err) {
      if (source.snapshot) fs.rmSync(path.dirname(source.snapshot.dir), { recursive: true, force: true });
      throw err;
    }

    // Everything that can refuse the spec is checked before the run exists: no orphan runs.
    for (const key of Object.keys(spec.params)) validateKey('param', key);
    if (spec.datasets?.length && !this.deps.datasets) throw new LatheError('INVALID_STATE', 'This Lathe has no datasets service to resolve --dataset.');
    const datasetInputs = spec.datasets?.length ? await this.deps.datasets!.prepare(spec.datasets, { requireValid: spec.requireValid }) : [];
    const info = this.deps.tracking.createRun({
      experimentId,
      userId: source.tags['mlflow.user'],
      name: spec.name,
      status: 'SCHEDULED',
      tags: Object.entries(source.tags).map(([key, value]) => ({ key, value })),
    });
    const runId = info.runId;
    if (datasetInputs.length) this.deps.datasets!.record(runId, datasetInputs, kind);
    const snapshotRoot = path.join(this.deps.snapshotsDir, runId);
    let snapshotDir: string | null = null;
    if (source.snapshot) {
      fs.mkdirSync(snapshotRoot, { recursive: true });
      fs.renameSync(source.snapshot.dir, path.join(snapshotRoot, 'files'));
      fs.rmSync(path.dirname(source.snapshot.dir), { recursive: true, force: true });
      snapshotDir = path.join(snapshotRoot, 'files');
      if (source.gitDiff) fs.writeFileSync(path.join(snapshotRoot, 'git.diff'), source.gitDiff);
    }
    const paramEntries = Object.entries(spec.params);
    if (paramEntries.length) {
      for (let i = 0; i < paramEntries.length; i += 100) {
        this.deps.tracking.logBatch(runId, { params: paramEntries.slice(i, i + 100).map(([key, value]) => ({ key, value })) });
      }
    }
    const logPath = this.deps.logs.pathFor(runId);
    fs.writeFileSync(logPath, '');
    const recordedSpec = { ...spec, env: maskEnv(spec.env), workdir };
    this.deps.db
      .prepare(
        `INSERT INTO run_executions (run, runtime, spec, image, log_path, snapshot_path, owner_pid, created_at)
         VALUES ((SELECT id FROM runs WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, kind, JSON.stringify(recordedSpec), spec.image ?? null, logPath, snapshotDir, process.pid, this.now());

    const plan: LaunchPlan = { runId, kind, spec, workdir, snapshotDir, logPath, experimentId };
    const gpus = spec.gpus;
    if (this.deps.gpuQueue && gpus !== undefined && gpus !== 0) {
      // GPU runs go through the queue: GPUs now (leases already written), or QUEUED with a reason.
      const admission = await this.deps.gpuQueue.admit(runId, gpus, spec.env, spec.priority ?? 0);
      if (admission.kind === 'refused') {
        fs.appendFileSync(logPath, `lathe: ${admission.message}\n`);
        this.finalize(runId, { exitCode: null, message: admission.message, status: 'FAILED' });
        return this.deps.tracking.getRunInfo(runId);
      }
      if (admission.kind === 'queued') {
        fs.appendFileSync(logPath, `lathe: queued at position ${admission.position}: ${admission.reason}\n`);
        this.deps.tracking.updateRun({ runId, status: 'QUEUED' });
        return this.deps.tracking.getRunInfo(runId);
      }
      await this.launch(plan, spec.env, admission.kind === 'assigned' ? admission.assigned : null);
      return this.deps.tracking.getRunInfo(runId);
    }
    await this.launch(plan, spec.env, null);
    return this.deps.tracking.getRunInfo(runId);
  }

  /**
   * Starts a queued run once the queue assigned it GPUs (the leases are already written); the
   * tracking variables and token are made now, so a server restart in between does not matter.
   */
  async launchQueued(runId: string, assigned: AssignedGpu[], env: Record<string, string>): Promise<void> {
    const row = this.getRow(runId);
    if (!row || row.finished_at !== null) {
      this.deps.gpuQueue?.release(runId);
      return;
    }
    const spec = JSON.parse(row.spec) as RunSpec;
    await this.launch({ runId, kind: row.runtime, spec, workdir: spec.workdir ?? process.cwd(), snapshotDir: row.snapshot_path, logPath: row.log_path, experimentId: String(row.experiment_id) }, env, assigned);
  }

  /** Ends a queued run whose request this machine can no longer meet. */
  refuseQueued(runId: string, message: string): void {
    const row = this.getRow(runId);
    if (!row) return;
    fs.appendFileSync(row.log_path, `lathe: ${message}\n`);
    this.finalize(runId, { exitCode: null, message, status: 'FAILED' });
  }

  /** Issues the run's token, hands it to the runtime (with the assigned GPUs) and supervises it. */
  private async launch(plan: LaunchPlan, userEnv: Record<string, string>, assigned: AssignedGpu[] | null): Promise<void> {
    const { runId, kind, spec, workdir, snapshotDir, logPath, experimentId } = plan;
    const urls = this.trackingUrls;
    if (!urls || (kind === 'docker' && !urls.container)) {
      this.finalize(runId, { exitCode: null, status: 'FAILED', message: 'The tracking API was not reachable when the run was due to start.' });
      return;
    }
    const token = this.deps.runTokens.issue(runId);
    const data = this.deps.datasets?.launchInputs(runId, kind) ?? { mounts: [], env: {} };
    const env: Record<string, string> = {
      ...userEnv,
      ...data.env,
      MLFLOW_TRACKING_URI: kind === 'docker' ? urls.container! : urls.host,
      MLFLOW_TRACKING_TOKEN: token,
      MLFLOW_RUN_ID: runId,
      MLFLOW_EXPERIMENT_ID: experimentId,
      LATHE_RUN_ID: runId,
      LATHE_PARAMS: JSON.stringify(spec.params),
    };
    const runtime = this.runtime(kind);
    if (assigned) {
      const list = assigned.map((a) => a.uuid).join(',');
      this.deps.tracking.logBatch(runId, { tags: [{ key: 'lathe.gpus.assigned', value: list }] });
      fs.appendFileSync(logPath, `lathe: GPUs assigned: ${assigned.map((a) => `${a.index ?? '?'} (${a.uuid})`).join(', ')}\n`);
    }
    try {
      const launched = await runtime.launch({ runId, spec, env, snapshotDir, workdir, logPath, gpus: assigned?.map((a) => a.uuid), mounts: data.mounts });
      this.deps.db
        .prepare('UPDATE run_executions SET container_id = ?, device_requests = ?, pid = ?, image_digest = ?, started_at = ? WHERE run = (SELECT id FROM runs WHERE run_id = ?)')
        .run(launched.containerId ?? null, launched.deviceRequests ? JSON.stringify(launched.deviceRequests) : null, launched.pid ?? null, launched.imageDigest ?? null, this.now(), runId);
      const tags = [];
      if (launched.imageDigest) tags.push({ key: 'lathe.image.digest', value: launched.imageDigest });
      if (launched.intendedDeviceRequests) {
        tags.push({ key: 'lathe.gpu.request_mode', value: 'env-only' }, { key: 'lathe.gpu.intended_device_requests', value: JSON.stringify(launched.intendedDeviceRequests) });
      }
      if (tags.length) this.deps.tracking.logBatch(runId, { tags });
      if (this.getRow(runId)?.finished_at !== null) {
        // Stopped while it was being launched.
        await runtime.stop(launched, 0).catch(() => {});
        void runtime.cleanup(launched);
        return;
      }
      this.deps.tracking.updateRun({ runId, status: 'RUNNING' });
      this.supervise(runId, runtime, launched, false);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const details = (err instanceof LatheError ? err.details : undefined) as LaunchFailureDetails | undefined;
      const containerId = details?.containerId;
      if (containerId) {
        this.deps.db
          .prepare('UPDATE run_executions SET container_id = ?, device_requests = ? WHERE run = (SELECT id FROM runs WHERE run_id = ?)')
          .run(containerId, details.deviceRequests ? JSON.stringify(details.deviceRequests) : null, runId);
      }
      fs.appendFileSync(logPath, `lathe: ${message}\n`);
      this.finalize(runId, { exitCode: null, message, status: 'FAILED' });
      if (containerId) void runtime.cleanup({ containerId });
    }
  }

  private resolveExperiment(spec: RunSpec): string {
    if (spec.experimentId) return this.deps.tracking.getExperiment(spec.experimentId).experimentId;
    if (spec.experimentName) {
      try {
        return this.deps.tracking.getExperimentByName(spec.experimentName).experimentId;
      } catch (err) {
        if (err instanceof LatheError && err.code === 'RESOURCE_DOES_NOT_EXIST') return this.deps.tracking.createExperiment(spec.experimentName).experimentId;
        throw err;
      }
    }
    return '0';
  }

  /** Waits for the run in the background and finalises it. `resume`: re-attached after a restart. */
  supervise(runId: string, runtime: Runtime, handle: RuntimeHandle, resume: boolean): void {
    const logPath = this.deps.logs.pathFor(runId);
    const done = runtime
      .wait(handle, logPath, resume)
      .then((exit) => this.finalize(runId, { exitCode: exit.exitCode, message: exit.message }))
      .catch((err: unknown) => this.finalize(runId, { exitCode: null, message: `Lost track of the run: ${err instanceof Error ? err.message : String(err)}` }))
      .finally(() => {
        this.supervised.delete(runId);
        void runtime.cleanup(handle);
      });
    this.supervised.set(runId, done);
  }

  /**
   * Records the end of a run: FINISHED on exit code 0, KILLED when a stop was requested,
   * FAILED otherwise (exit code kept). Revokes the run's token. Idempotent.
   */
  finalize(runId: string, end: { exitCode: number | null; message?: string; status?: 'FINISHED' | 'FAILED' | 'KILLED' }): void {
    const row = this.getRow(runId);
    if (!row || row.finished_at !== null) return;
    const stopped = this.stopRequested.delete(runId);
    const status = end.status ?? (stopped ? 'KILLED' : end.exitCode === 0 ? 'FINISHED' : 'FAILED');
    const message = stopped && !end.status ? 'Stopped by request.' : end.message ?? (end.exitCode !== 0 && end.exitCode !== null ? `Exited with code ${end.exitCode}.` : null);
    const t = this.now();
    this.deps.db
      .prepare('UPDATE run_executions SET exit_code = ?, status_message = ?, finished_at = ? WHERE run = ?')
      .run(end.exitCode, message, t, row.run);
    this.deps.runTokens.revoke(runId);
    this.deps.tracking.updateRun({ runId, status, endTime: t });
    // Frees its GPUs (or its place in the queue) and serves the queue.
    this.deps.gpuQueue?.release(runId);
  }

  /**
   * Stops a run: SIGTERM, then SIGKILL after the spec's grace period (default 10 s). The run
   * ends KILLED. A run that already ended is left as it is.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST when the run has no execution record.
   */
  async stop(runId: string): Promise<RunInfo> {
    this.deps.tracking.getRunInfo(runId); // RESOURCE_DOES_NOT_EXIST for an unknown run
    const row = this.getRow(runId);
    if (!row) throw new LatheError('INVALID_PARAMETER_VALUE', `Run ${runId} was logged from outside Lathe (not launched by it), so Lathe cannot stop it`, { runId });
    if (row.finished_at !== null) return this.deps.tracking.getRunInfo(runId);
    const spec = JSON.parse(row.spec) as RunSpec;
    const handle = handleOf(row);
    // A process that already ended on its own keeps its real outcome, not KILLED.
    const recorded = handle.exitFile ? readExitCode(handle.exitFile) : null;
    if (recorded !== null && !this.supervised.has(runId)) {
      this.finalize(runId, { exitCode: recorded });
      return this.deps.tracking.getRunInfo(runId);
    }
    this.stopRequested.add(runId);
    if (!handle.containerId && !handle.pid) {
      const queued = this.deps.gpuQueue?.isQueued(runId) ?? false;
      this.finalize(runId, { exitCode: null, status: 'KILLED', message: queued ? 'Cancelled while waiting for GPUs.' : 'Stopped before it started.' });
      return this.deps.tracking.getRunInfo(runId);
    }
    const runtime = this.runtime(row.runtime);
    await runtime.stop(handle, spec.stopGraceSeconds ?? DEFAULT_GRACE_SECONDS);
    const waiting = this.supervised.get(runId);
    if (waiting) await waiting;
    else {
      // Nobody in this process supervises it (stopped from the CLI with no server running).
      this.finalize(runId, { exitCode: null, status: 'KILLED', message: 'Stopped by request.' });
      await runtime.cleanup(handle);
    }
    return this.deps.tracking.getRunInfo(runId);
  }

  /** Resolves when every run this process supervises has ended (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.supervised.values()]);
  }

  isSupervising(runId: string): boolean {
    return this.supervised.has(runId);
  }

  /** The run's execution row; undefined for runs Lathe did not launch. */
  getRow(runId: string): ExecutionRow | undefined {
    return readExecutionRow(this.deps.db, runId);
  }

  /** How a run was executed; null for runs Lathe did not launch. */
  getExecution(runId: string): ExecutionInfo | null {
    const row = this.getRow(runId);
    return row ? toExecutionInfo(row, this.deps.tracking.getRun(runId).tags, this.deps.logs.size(runId)) : null;
  }
}
