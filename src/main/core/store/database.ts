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

/**
 * Applies every migration not yet recorded in `schema_migrations`, in version order, one
 * transaction each, and keeps `PRAGMA user_version` at the highest applied version. Recording
 * each version (rather than only the highest) means a migration numbered below one that was
 * applied earlier — features landing in parallel — still runs.
 * @returns the number of migrations applied.
 * @throws Error when the file holds a migration this build does not know (a newer Lathe wrote it).
 */
export function migrate(db: Db, migrations: Migration[]): number {
  const hadTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  if (!hadTable) {
    // Stores from before this table recorded only PRAGMA user_version: every known migration
    // up to it was applied.
    const legacy = db.pragma('user_version', { simple: true }) as number;
    const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) if (m.version <= legacy) record.run(m.version, m.name, Date.now());
  }
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length) {
    throw new Error(`lathe.db has schema migration(s) ${unknown.join(', ')} that this Lathe build does not know; it was written by a newer Lathe — upgrade Lathe`);
  }
  const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      const top = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
      db.pragma(`user_version = ${top}`);
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
