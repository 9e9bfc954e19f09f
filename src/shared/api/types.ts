/**
 * Entity shapes shared by the core, the API, the CLI and the UI. Times are integer
 * milliseconds since the Unix epoch; metric values are IEEE doubles (NaN and ±Infinity
 * included). Names follow MLflow's tracking entities (mlflow/protos/service.proto).
 */

export const RUN_STATUSES = ['SCHEDULED', 'QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

export type LifecycleStage = 'active' | 'deleted';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  /** ms since epoch */
  creationTime: number;
  /** ms since epoch */
  lastUpdateTime: number;
  tags: Record<string, string>;
  /** Active runs in this experiment. */
  runCount: number;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  name: string;
  status: RunStatus;
  userId: string;
  /** ms since epoch */
  startTime: number;
  /** ms since epoch; null while the run has not ended */
  endTime: number | null;
  lifecycleStage: LifecycleStage;
  artifactUri: string;
}

/** One metric observation. `value` may be NaN, Infinity or -Infinity. */
export interface MetricPoint {
  key: string;
  value: number;
  /** ms since epoch */
  timestamp: number;
  step: number;
}

export interface Run {
  info: RunInfo;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** The latest value of each metric key: highest (step, timestamp, value), as MLflow defines it. */
  metrics: MetricPoint[];
}

export interface RunPage {
  runs: Run[];
  /** Number of runs matching the query, for paging. */
  total: number;
}

/**
 * A metric series reduced for drawing. When the series has more points than `4 × buckets`,
 * each bucket of the step range contributes its first, min, max and last points (in step
 * order), so every spike survives; otherwise all points are returned.
 */
export interface MetricSeries {
  runId: string;
  key: string;
  /** Points in the stored history. */
  total: number;
  /** True when `points` is a per-bucket reduction rather than the whole history. */
  reduced: boolean;
  /** [step, value, timestamp] triples ordered by step then timestamp. */
  points: Array<[number, number, number]>;
}

/** Pushed to subscribers whenever stored tracking data changes. */
export interface ChangeEvent {
  /** gpu: new GPU readings (about once a second); queue: the GPU queue or its leases changed. */
  kind: 'experiment' | 'run' | 'metrics' | 'gpu' | 'queue' | 'dataset';
  experimentId?: string;
  runId?: string;
  /** kind 'dataset': the dataset that changed (a version, rules or a profile). */
  datasetName?: string;
  /** ms since epoch */
  at: number;
}

export interface SystemInfo {
  version: string;
  home: string;
  dbPath: string;
  pid: number;
}

/** How a run Lathe executed was launched and how it ended. */
export interface ExecutionInfo {
  runId: string;
  runtime: 'docker' | 'process';
  image: string | null;
  /** Docker image id (sha256:…) the container ran. */
  imageDigest: string | null;
  containerId: string | null;
  /** Docker's HostConfig.DeviceRequests as the engine recorded the container (GPU request). */
  deviceRequests: unknown[] | null;
  pid: number | null;
  exitCode: number | null;
  /** Why the run failed or was stopped, for people. */
  statusMessage: string | null;
  command: string[];
  /** Host code folder. */
  workdir: string;
  /** Environment as given, secrets masked. */
  env: Record<string, string>;
  gpus: number | string[] | 'all' | null;
  cpus: number | null;
  memoryMb: number | null;
  /** ms since epoch */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Size of the log file in bytes. */
  logBytes: number;
  snapshot: { files: number; bytes: number } | null;
}

/** A tagged image on the local Docker engine. */
export interface LocalImage {
  ref: string;
  id: string;
  sizeBytes: number;
  /** ms since epoch */
  created: number;
}

/** Which runtimes can start runs here. */
export interface RuntimeStatus {
  docker: { available: boolean; version?: string; error?: string };
  process: { available: true };
  /** The runtime `runs.start` uses when the spec names none. */
  defaultRuntime: 'docker' | 'process';
}
