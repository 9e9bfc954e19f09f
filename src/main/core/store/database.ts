import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * Absolute path of a `better_sqlite3.node` to load instead of the one in node_modules. The
   * Electron shell passes a copy built for Electron's ABI (scripts/prepare-electron.mjs), so
   * the Node build that tests, the CLI and `lathe serve` load stays untouched.
   */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the SQLite store at `file`, sets WAL journaling, foreign keys
 * and a busy timeout, then applies pending migrations.
 *
 * `synchronous=FULL` (not WAL's usual NORMAL): a write acknowledged to a client must survive
 * a power cut as well as a process kill ("never lose a result"), at ~1 fsync per transaction.
 *
 * @param file path of `lathe.db`; its folder is created.
 * @throws Error from better-sqlite3 when the file is not a database or is locked longer
 *   than the 5 s busy timeout; Error when the file's schema is newer than this build;
 *   Error from the loader when `options.nativeBinding` is missing or built for another ABI.
 */
export function openDatabase(file: string, migrations: Migration[] = MIGRATIONS, options: OpenDatabaseOptions = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = options.nativeBinding ? new Database(file, { nativeBinding: options.nativeBinding }) : new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Applies each migration newer than `PRAGMA user_version`, one transaction per migration. */
export function migrate(db: Db, migrations: Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(`lathe.db has schema version ${current}, newer than this Lathe build (${latest}); upgrade Lathe`);
  }
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return pending.length;
}

/** Checkpoints the WAL into the main file and closes the handle (clean shutdown). */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
