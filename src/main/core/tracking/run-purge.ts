import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database';
import { LatheError } from '../../../shared/errors';
import { artifactUriToRelPath, isInside } from '../artifacts/artifact-paths';

/** The folders of a data directory that hold per-run files (config.ts homePaths). */
export interface RunFileRoots {
  artifacts: string;
  logs: string;
  snapshots: string;
}

export interface PurgeResult {
  /** Run ids removed, in the order asked. */
  purged: string[];
  /** Bytes of artifact, log and snapshot files removed. */
  fileBytes: number;
  /** Size of lathe.db (+ its WAL) before and after, in bytes: what the vacuum gave back. */
  dbBytesBefore: number;
  dbBytesAfter: number;
}

interface PurgeRow {
  id: number;
  run_id: string;
  experiment_id: number;
  lifecycle_stage: string;
  status: string;
  artifact_uri: string;
  log_path: string | null;
  snapshot_path: string | null;
  finished_at: number | null;
  has_execution: number;
}

const LIVE_STATUSES = new Set(['RUNNING', 'SCHEDULED', 'QUEUED']);

function sizeOf(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of fs.readdirSync(p)) n += sizeOf(path.join(p, e));
  return n;
}

function dbBytes(db: Db): number {
  return [db.name, `${db.name}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

/** Removes `target` when it lies strictly inside `root` (never the root, never outside it). */
function removeInside(root: string, target: string): number {
  const r = path.resolve(root);
  const t = path.resolve(target);
  if (t === r || !isInside(r, t)) return 0;
  const bytes = sizeOf(t);
  fs.rmSync(t, { recursive: true, force: true });
  return bytes;
}

/**
 * Permanently removes soft-deleted runs (MLflow's `mlflow gc`): their rows in every table
 * (params, tags, latest metrics and the experiment key index first, so the key triggers still
 * see the run's experiment; the metric history, chart blocks, executions, tokens, inputs and
 * leases through ON DELETE CASCADE), then their artifact, log and snapshot folders, then gives
 * the freed pages back to the file system.
 *
 * Space: a plain DELETE only puts pages on SQLite's free list, so the file would not shrink.
 * The first purge of a store switches it to `auto_vacuum = INCREMENTAL`, which needs one full
 * `VACUUM` (a rewrite of the file); later purges run `PRAGMA incremental_vacuum`, whose cost
 * is the pages freed, not the size of the store. A `wal_checkpoint(TRUNCATE)` then shrinks the WAL
 * the vacuum wrote through.
 *
 * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), RESOURCE_CONFLICT (a run not
 *   deleted first, or one Lathe is still executing). Nothing is removed then.
 */
export function purgeRuns(db: Db, runIds: string[], roots: RunFileRoots): PurgeResult {
  const rowOf = db.prepare<[string], PurgeRow>(
    `SELECT r.id, r.run_id, r.experiment_id, r.lifecycle_stage, r.status, r.artifact_uri,
            e.log_path, e.snapshot_path, e.finished_at, e.run IS NOT NULL AS has_execution
     FROM runs r LEFT JOIN run_executions e ON e.run = r.id WHERE r.run_id = ?`,
  );
  const unique = [...new Set(runIds)];
  const rows = unique.map((runId) => {
    const row = rowOf.get(runId);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { runId });
    if (row.lifecycle_stage !== 'deleted') {
      throw new LatheError('RESOURCE_CONFLICT', `Run ${runId} is not deleted: delete it first, then delete it permanently`, { runId });
    }
    if (row.has_execution && row.finished_at === null && LIVE_STATUSES.has(row.status)) {
      throw new LatheError('RESOURCE_CONFLICT', `Run ${runId} is still ${row.status.toLowerCase()}: stop it before deleting it permanently`, { runId });
    }
    return row;
  });
  const dbBytesBefore = dbBytes(db);

  db.transaction(() => {
    for (const row of rows) {
      // Children with key-index triggers go first, while the runs row still names the experiment.
      for (const table of ['latest_metrics', 'params', 'tags']) db.prepare(`DELETE FROM ${table} WHERE run = ?`).run(row.id);
      db.prepare('DELETE FROM metrics WHERE run = ?').run(row.id);
      db.prepare('DELETE FROM runs WHERE id = ?').run(row.id);
    }
  })();

  let fileBytes = 0;
  for (const row of rows) {
    try {
      // `<artifacts>/<exp>/<run_id>/artifacts` → remove `<artifacts>/<exp>/<run_id>`.
      const rel = artifactUriToRelPath(row.artifact_uri).replace(/\/artifacts$/, '');
      if (rel.split('/').pop() === row.run_id) fileBytes += removeInside(roots.artifacts, path.join(roots.artifacts, ...rel.split('/')));
    } catch {
      // An artifact URI outside Lathe's store (an external location) has nothing here to remove.
    }
    const log = row.log_path ?? path.join(roots.logs, `${row.run_id}.log`);
    fileBytes += removeInside(roots.logs, log) + removeInside(roots.logs, `${log}.exit`);
    // The snapshot root holds `files/` (snapshot_path) and `git.diff`.
    const snapshotRoot = path.join(roots.snapshots, row.run_id);
    if (row.snapshot_path && !isInside(path.resolve(snapshotRoot), path.resolve(row.snapshot_path))) fileBytes += removeInside(roots.snapshots, row.snapshot_path);
    fileBytes += removeInside(roots.snapshots, snapshotRoot);
  }

  if (Number(db.pragma('auto_vacuum', { simple: true })) === 2) {
    db.pragma('incremental_vacuum');
  } else {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { purged: rows.map((r) => r.run_id), fileBytes, dbBytesBefore, dbBytesAfter: dbBytes(db) };
}
