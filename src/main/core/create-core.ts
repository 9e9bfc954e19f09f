import fs from 'node:fs';
import { openDatabase, closeDatabase, type Db } from './store/database';
import { MIGRATIONS } from './store/migrations';
import { ChangeBus } from './events';
import { TrackingService } from './tracking/tracking-service';
import { RunTokenService } from './auth/run-tokens';
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
}

export interface Core {
  home: string;
  paths: ReturnType<typeof homePaths>;
  db: Db;
  bus: ChangeBus;
  tracking: TrackingService;
  runTokens: RunTokenService;
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
  let disposed = false;
  return {
    home,
    paths,
    db,
    bus,
    tracking,
    runTokens,
    info: () => ({ version: LATHE_VERSION, home, dbPath: paths.db, pid: process.pid }),
    dispose() {
      if (disposed) return;
      disposed = true;
      closeDatabase(db);
    },
  };
}
