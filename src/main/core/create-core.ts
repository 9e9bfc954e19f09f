import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, closeDatabase, type Db } from './store/database';
import { MIGRATIONS } from './store/migrations';
import { ChangeBus } from './events';
import { TrackingService } from './tracking/tracking-service';
import { RunTokenService } from './auth/run-tokens';
import { LogStore } from './execution/log-store';
import { DockerRuntime } from './execution/docker-runtime';
import { ProcessRuntime } from './execution/process-runtime';
import { RunExecutor } from './execution/run-executor';
import { SnapshotReader } from './execution/snapshot-reader';
import { findResourcesDir } from './resources';
import { ArtifactStore } from './artifacts/artifact-store';
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
}

export interface Core {
  home: string;
  paths: ReturnType<typeof homePaths>;
  db: Db;
  bus: ChangeBus;
  tracking: TrackingService;
  runTokens: RunTokenService;
  /** Artifact files under `<home>/artifacts` (MLflow's proxied layout). */
  artifacts: ArtifactStore;
  logs: LogStore;
  docker: DockerRuntime;
  executor: RunExecutor;
  snapshots: SnapshotReader;
  resourcesDir: string;
  info(): SystemInfo;
  /** Checkpoints the WAL and closes the store. Idempotent. */
  dispose(): void;
}

/**
 * The composition root: opens the store in the data directory (migrating it), and builds the
 * services with their dependencies passed in. The Electron shell, `lathe serve`, the CLI and
 * the tests all start Lathe through this one function.
 * @throws Error when the data directory cannot be created or the store cannot be opened.
 */
export function createCore(config: CoreConfig = {}): Core {
  const home = config.home ?? defaultHome();
  const paths = homePaths(home);
  fs.mkdirSync(home, { recursive: true });
  const db = openDatabase(paths.db, MIGRATIONS, { nativeBinding: config.nativeBinding });
  const bus = new ChangeBus();
  const tracking = new TrackingService(db, bus, config.now);
  const runTokens = new RunTokenService(db, config.now);
  const logs = new LogStore(paths.logs);
  const resourcesDir = config.resourcesDir ?? findResourcesDir();
  const pythonClientDir = path.join(resourcesDir, 'python');
  const docker = new DockerRuntime({ pythonClientDir, home });
  const processRuntime = new ProcessRuntime({ pythonClientDir });
  const executor = new RunExecutor({ db, bus, tracking, runTokens, logs, docker, process: processRuntime, snapshotsDir: paths.snapshots, now: config.now });
  let disposed = false;
  return {
    home,
    paths,
    db,
    bus,
    tracking,
    runTokens,
    artifacts: new ArtifactStore(paths.artifacts, tracking),
    logs,
    docker,
    executor,
    snapshots: new SnapshotReader(paths.snapshots),
    resourcesDir,
    info: () => ({ version: LATHE_VERSION, home, dbPath: paths.db, pid: process.pid }),
    dispose() {
      if (disposed) return;
      disposed = true;
      closeDatabase(db);
    },
  };
}
