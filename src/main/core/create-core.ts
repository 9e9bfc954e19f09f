import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, closeDatabase, type Db } from './store/database';
import { MIGRATIONS } from './store/migrations';
import { ChangeBus } from './events';
import { TrackingService } from './tracking/tracking-service';
import { TrackingQueries } from './search/tracking-queries';
import { RunInputsService } from './tracking/run-inputs';
import { LoggedModelService } from './tracking/logged-models';
import { RegistryService } from './registry/registry-service';
import { RunTokenService } from './auth/run-tokens';
import { LogStore } from './execution/log-store';
import { DockerRuntime } from './execution/docker-runtime';
import { ProcessRuntime } from './execution/process-runtime';
import { RunExecutor } from './execution/run-executor';
import { SnapshotReader } from './execution/snapshot-reader';
import { findResourcesDir } from './resources';
import { ArtifactStore } from './artifacts/artifact-store';
import { DatasetService } from './datasets/dataset-service';
import { createGpuStack, gpuConfigFromEnv, type GpuConfig, type GpuStack } from './gpu/gpu-stack';
import { defaultHome, homePaths } from './config';
import { LATHE_VERSION } from './version';
import type { SystemInfo } from '../../shared/api/types';

export interface CoreConfig {
  /** Data directory; default {@link defaultHome}. */
  home?: string;
  /** Clock in ms, replaceable in tests. */
  now?: () => number;
  /** A `better_sqlite3.node` for another runtime's ABI (the Electron shell's); see openDatabase. */
  nativeBinding?: string;
  /** Lathe's resources folder; default {@link findResourcesDir}. */
  resourcesDir?: string;
  /** GPU telemetry and queue settings; default {@link gpuConfigFromEnv}. */
  gpu?: GpuConfig;
}

export interface Core {
  home: string;
  paths: ReturnType<typeof homePaths>;
  db: Db;
  bus: ChangeBus;
  tracking: TrackingService;
  /** Run search, column keys, chart buckets, MLflow history paging (read side of tracking). */
  search: TrackingQueries;
  /** Dataset and model inputs of runs (MLflow runs/log-inputs). */
  runInputs: RunInputsService;
  /** MLflow 3 logged models and runs' model outputs. */
  loggedModels: LoggedModelService;
  /** The model registry: registered models, versions, aliases. */
  registry: RegistryService;
  runTokens: RunTokenService;
  /** Artifact files under `<home>/artifacts` (MLflow's proxied layout). */
  artifacts: ArtifactStore;
  logs: LogStore;
  docker: DockerRuntime;
  executor: RunExecutor;
  snapshots: SnapshotReader;
  resourcesDir: string;
  /** GPU telemetry, the GPU queue, host and per-run system metrics (started by servers, not CLI commands). */
  gpus: GpuStack;
  /** Datasets: versions, inspection (DuckDB), validation, run inputs (issue #6). */
  datasets: DatasetService;
  info(): SystemInfo;
  /** Checkpoints the WAL and closes the store. Idempotent. */
  dispose(): void;
}

/** Opens lathe.db, turning SQLite's terse errors into a diagnosis that names the file. */
function openStore(file: string, nativeBinding: string | undefined): Db {
  try {
    return openDatabase(file, MIGRATIONS, { nativeBinding });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new Error(
        `${file} is damaged or not a Lathe database (${(err as Error).message}). Move it aside to start a new store (artifacts, logs and snapshots stay where they are), or restore it from a backup.`,
      );
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
      throw new Error(`cannot open ${file} for writing (${(err as Error).message}): check that the folder exists and is writable by this user`);
    }
    throw err;
  }
}

/**
 * The composition root: opens the store in the data directory (migrating it), and builds the
 * services with their dependencies passed in. The Electron shell, `lathe serve`, the CLI and
 * the tests all start Lathe through this one function.
 * @throws Error when the data directory cannot be created or the store cannot be opened.
 */
export function createCore(config: CoreConfig = {}): Core {
  if (config.home !== undefined && config.home.trim() === '') throw new Error('the data directory (--home / LATHE_HOME) must not be empty');
  const home = path.resolve(config.home ?? defaultHome());
  const paths = homePaths(home);
  try {
    fs.mkdirSync(home, { recursive: true });
    fs.accessSync(home, fs.constants.W_OK);
  } catch (err) {
    throw new Error(`the data directory ${home} cannot be used: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'a file is in the way' : (err as Error).message}`);
  }
  const db = openStore(paths.db, config.nativeBinding);
  const bus = new ChangeBus();
  const tracking = new TrackingService(db, bus, config.now);
  const loggedModels = new LoggedModelService(db, tracking, bus, config.now);
  const runTokens = new RunTokenService(db, config.now);
  const logs = new LogStore(paths.logs);
  const resourcesDir = config.resourcesDir ?? findResourcesDir();
  const pythonClientDir = path.join(resourcesDir, 'python');
  const gpuConfig = config.gpu ?? gpuConfigFromEnv();
  const docker = new DockerRuntime({ pythonClientDir, home, gpuRequestMode: gpuConfig.requestMode });
  const processRuntime = new ProcessRuntime({ pythonClientDir });
  const gpus = createGpuStack({ db, bus, tracking, docker: docker.docker, config: gpuConfig, now: config.now });
  const runInputs = new RunInputsService(db, bus, config.now);
  const datasets = new DatasetService({ db, bus, root: paths.datasets, now: config.now, mlflowInputs: runInputs });
  const executor = new RunExecutor({ db, bus, tracking, runTokens, logs, docker, process: processRuntime, snapshotsDir: paths.snapshots, now: config.now, gpuQueue: gpus.queue, datasets: datasets.runs });
  gpus.queue.setLauncher(executor);
  let disposed = false;
  return {
    home,
    paths,
    db,
    bus,
    tracking,
    search: new TrackingQueries(db),
    runInputs,
    loggedModels,
    registry: new RegistryService(
      db,
      {
        findLoggedModel: (id) => loggedModels.find(id),
        findRunArtifactUri: (id) => db.prepare<[string], { artifact_uri: string }>('SELECT artifact_uri FROM runs WHERE run_id = ?').get(id)?.artifact_uri,
      },
      config.now,
    ),
    runTokens,
    artifacts: new ArtifactStore(paths.artifacts, tracking),
    logs,
    docker,
    executor,
    snapshots: new SnapshotReader(paths.snapshots),
    resourcesDir,
    gpus,
    datasets,
    info: () => ({ version: LATHE_VERSION, home, dbPath: paths.db, pid: process.pid }),
    dispose() {
      if (disposed) return;
      disposed = true;
      gpus.stop();
      closeDatabase(db);
    },
  };
}
