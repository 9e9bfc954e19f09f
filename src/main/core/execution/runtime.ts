import type { RunSpec } from '../../../shared/api/run-spec';

export type RuntimeKind = 'docker' | 'process';

/** What a runtime needs to launch one run; built by the executor from a validated spec. */
export interface LaunchRequest {
  runId: string;
  spec: RunSpec;
  /** The complete environment for the run (unmasked); tracking variables included. */
  env: Record<string, string>;
  /** Folder holding the code snapshot (copied into the container's /workspace), or null. */
  snapshotDir: string | null;
  /** Host working directory (process runtime). */
  workdir: string;
  /** Append-only log file the runtime writes stdout and stderr to. */
  logPath: string;
  /** GPUs the GPU queue assigned (GPU-/MIG- UUIDs in slot order); used instead of spec.gpus when set. */
  gpus?: string[];
  /** Docker: dataset versions to bind read-only (built by Lathe from registered datasets, never from a client). */
  mounts?: Array<{ source: string; target: string; readOnly: true }>;
}

/** Identifies a launched run in its runtime; persisted in run_executions. */
export interface RuntimeHandle {
  containerId?: string;
  pid?: number;
  /** Process runtime: file the wrapper writes the exit code to. */
  exitFile?: string;
}

export interface LaunchResult extends RuntimeHandle {
  /** Docker: the image id (sha256:…) the container was created from. */
  imageDigest?: string;
  /** Docker: HostConfig.DeviceRequests as the engine recorded the container (read back, not what we sent). */
  deviceRequests?: unknown[] | null;
  /** Docker in `env-only` GPU request mode (tests/dev): the DeviceRequests Lathe would have sent but did not. */
  intendedDeviceRequests?: unknown[] | null;
}

/** A launch refused by the runtime after it created something (e.g. a container that would not start). */
export interface LaunchFailureDetails {
  containerId?: string;
  deviceRequests?: unknown[] | null;
}

export interface ExitResult {
  /** null when the exit code could not be known (e.g. the process ended while Lathe was down). */
  exitCode: number | null;
  message?: string;
}

/**
 * A place runs execute: a container on the local Docker engine or a child process on the
 * host. Launch failures are thrown as LatheError with a message meant for the user.
 */
export interface Runtime {
  readonly kind: RuntimeKind;
  /** Starts the run. @throws LatheError with a user-facing reason (image missing, no GPU runtime, …). */
  launch(req: LaunchRequest): Promise<LaunchResult>;
  /**
   * Resolves when the run has exited, after its output is fully in `logPath`.
   * `resume` is true when Lathe re-attaches after a restart: the runtime then rebuilds the
   * log file from its own record where it can (Docker keeps complete logs).
   */
  wait(handle: RuntimeHandle, logPath: string, resume: boolean): Promise<ExitResult>;
  /** SIGTERM, then SIGKILL after `graceSeconds`. Resolves once the run has been signalled. */
  stop(handle: RuntimeHandle, graceSeconds: number): Promise<void>;
  /** Removes what is left (the exited container); never throws. */
  cleanup(handle: RuntimeHandle): Promise<void>;
}
