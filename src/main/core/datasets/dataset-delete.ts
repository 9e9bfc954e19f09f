import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database';
import type { DatasetDeleteResult, DatasetFileEntry } from '../../../shared/api/dataset-types';
import { LatheError } from '../../../shared/errors';
import { versionFolder, type DatasetRow, type VersionRow } from './dataset-store';
import type { ContentStore } from './content-store';

/** How many runs a refusal names; the count covers the rest. */
const NAMED_RUNS = 3;

interface UsingRun {
  run_id: string;
  name: string;
  lifecycle_stage: string;
}

/** What is left to remove from disk once the rows are gone. */
interface DiskPlan {
  /** Version trees, mounts and views: Lathe's own folders, never followed through links. */
  folders: string[];
  objects: string[];
  sharedFiles: number;
}

function filesOf(row: VersionRow): DatasetFileEntry[] {
  return JSON.parse(row.manifest) as DatasetFileEntry[];
}

/** The absolute paths of a tracked version's files (what `dataset_file_state` is keyed by). */
function trackedPaths(row: VersionRow): string[] {
  return row.kind === 'file' ? [row.source_path] : filesOf(row).map((e) => path.join(row.source_path, ...e.path.split('/')));
}

/**
 * Refuses when any run recorded one of the versions as an input, deleted runs included: a
 * deleted run can be restored, and its lineage must still name real data then.
 * @throws LatheError RESOURCE_CONFLICT (409) naming up to three runs and the count.
 */
function refuseIfUsed(db: Db, ids: number[], what: string, details: Record<string, unknown>): void {
  const marks = ids.map(() => '?').join(', ');
  const where = `FROM runs r WHERE r.id IN (SELECT run FROM run_dataset_inputs WHERE version IN (${marks}))`;
  const count = db.prepare<number[], { n: number }>(`SELECT count(*) AS n ${where}`).get(...ids)!.n;
  if (count === 0) return;
  const runs = db.prepare<number[], UsingRun>(`SELECT r.run_id, r.name, r.lifecycle_stage ${where} ORDER BY r.start_time DESC, r.id DESC LIMIT ${NAMED_RUNS}`).all(...ids);
  const named = runs.map((r) => `${r.name || '(unnamed)'} (${r.run_id.slice(0, 8)}${r.lifecycle_stage === 'deleted' ? ', deleted' : ''})`).join(', ');
  const more = count > runs.length ? ` and ${count - runs.length} more` : '';
  throw new LatheError(
    'RESOURCE_CONFLICT',
    `Cannot delete ${what}: ${count} run${count === 1 ? '' : 's'} used it as an input: ${named}${more}. Their lineage would point at nothing; delete those runs permanently first (lathe runs delete, then lathe runs purge).`,
    { ...details, runCount: count, runs: runs.map((r) => ({ runId: r.run_id, name: r.name, lifecycleStage: r.lifecycle_stage })) },
  );
}

/**
 * Deletes the rows (versions, their validation reports by cascade, the dataset when `whole`,
 * profiles and file-state entries no remaining version needs) and works out which of Lathe's
 * files nothing references any more. Objects are shared by content across versions and
 * datasets, and version trees, mounts and views by digest, so each is checked against what
 * remains after the delete, inside the same transaction.
 */
function deleteRows(db: Db, content: ContentStore, dataset: DatasetRow, rows: VersionRow[], whole: boolean, now: number): DiskPlan {
  const ids = rows.map((r) => r.id);
  const marks = ids.map(() => '?').join(', ');
  db.prepare(`DELETE FROM dataset_versions WHERE id IN (${marks})`).run(...ids);
  if (whole) db.prepare('DELETE FROM datasets WHERE id = ?').run(dataset.id);
  else db.prepare('UPDATE datasets SET updated_at = ? WHERE id = ?').run(now, dataset.id);

  const shas = [...new Set(rows.flatMap((r) => filesOf(r).map((e) => e.sha256)))];
  const stillUsed = db
    .prepare<[string], { sha256: string; mode: string }>(
      `SELECT DISTINCT json_extract(j.value, '$.sha256') AS sha256, v.mode FROM dataset_versions v, json_each(v.manifest) j
       WHERE json_extract(j.value, '$.sha256') IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(shas));
  const usedAnywhere = new Set(stillUsed.map((u) => u.sha256));
  const storedElsewhere = new Set(stillUsed.filter((u) => u.mode === 'import').map((u) => u.sha256));
  const gone = shas.filter((s) => !usedAnywhere.has(s));
  // Profiles are keyed by content: another version with the same bytes keeps using them.
  if (gone.length) db.prepare('DELETE FROM dataset_profiles WHERE sha256 IN (SELECT value FROM json_each(?))').run(JSON.stringify(gone));

  const tracked = rows.filter((r) => r.mode === 'track');
  if (tracked.length) {
    const sources = [...new Set(tracked.map((r) => r.source_path))];
    const kept = new Set(
      db
        .prepare<[string], VersionRow>("SELECT * FROM dataset_versions WHERE mode = 'track' AND source_path IN (SELECT value FROM json_each(?))")
        .all(JSON.stringify(sources))
        .flatMap(trackedPaths),
    );
    const forget = [...new Set(tracked.flatMap(trackedPaths))].filter((p) => !kept.has(p));
    if (forget.length) db.prepare('DELETE FROM dataset_file_state WHERE path IN (SELECT value FROM json_each(?))').run(JSON.stringify(forget));
  }

  const remaining = db.prepare<[string], { digest: string; mode: string }>('SELECT DISTINCT digest, mode FROM dataset_versions WHERE digest = ?');
  const folders: string[] = [];
  for (const digest of new Set(rows.map((r) => r.digest))) {
    // Digests come from the database; checked anyway, as they become paths that are removed.
    if (!/^[0-9a-f]{64}$/.test(digest)) continue;
    const modes = new Set(remaining.all(digest).map((r) => r.mode));
    if (!modes.has('import')) folders.push(path.join(content.versions, digest));
    // Folders named by digest alone were made before views became per version.
    if (!modes.has('track')) folders.push(path.join(content.root, 'mounts', digest), path.join(content.root, 'views', digest));
  }
  for (const r of rows.filter((x) => x.mode === 'track')) {
    folders.push(path.join(content.root, 'mounts', versionFolder(r)), path.join(content.root, 'views', versionFolder(r)));
  }
  const imported = [...new Set(rows.filter((r) => r.mode === 'import').flatMap((r) => filesOf(r).map((e) => e.sha256)))];
  const objects = imported.filter((s) => !storedElsewhere.has(s) && /^[0-9a-f]{64}$/.test(s)).map((s) => content.objectPath(s));
  return { folders, objects, sharedFiles: imported.length - objects.length };
}

/**
 * Removes a file or folder without following symbolic links (a view of a tracked file links
 * to the user's file, which must stay). Counts the bytes of files whose last link goes, so a
 * version tree of hard links frees nothing until its objects go.
 */
function removeNoFollow(p: string, failed: string[]): number {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return 0;
  }
  try {
    if (st.isDirectory()) {
      let bytes = 0;
      for (const e of fs.readdirSync(p)) bytes += removeNoFollow(path.join(p, e), failed);
      fs.rmdirSync(p);
      return bytes;
    }
    fs.unlinkSync(p);
    return st.isFile() && st.nlink === 1 ? st.size : 0;
  } catch {
    failed.push(p);
    return 0;
  }
}

/** Thrown inside the transaction of a dry run to roll it back once the plan is known. */
const DRY_RUN = Symbol('dry run');

/**
 * Deletes versions of a dataset (or the whole dataset when `whole`): rows in one SQLite
 * transaction, then Lathe's files once it has committed, so a crash in between leaves at most
 * an orphan file, never a row naming a missing one. Tracked data is never touched.
 * `dryRun` makes the same checks and plan, rolls the rows back and removes nothing; its
 * `freedBytes` is the size of the stored files that would go.
 * @throws LatheError RESOURCE_CONFLICT (409) when a run used one of the versions (nothing changes then).
 */
export function deleteDatasetVersions(db: Db, content: ContentStore, dataset: DatasetRow, rows: VersionRow[], opts: { whole: boolean; now: number; dryRun?: boolean }): DatasetDeleteResult {
  let plan: DiskPlan = { folders: [], objects: [], sharedFiles: 0 };
  try {
    db.transaction(() => {
      // Inside the write transaction: a run recording one of these versions meanwhile is either
      // seen here or fails on the foreign key, never left pointing at a deleted version.
      const what = opts.whole ? `dataset '${dataset.name}'` : `${dataset.name}@${rows[0]!.digest.slice(0, 12)}`;
      refuseIfUsed(db, rows.map((r) => r.id), what, { name: dataset.name, version: opts.whole ? null : rows[0]!.digest });
      plan = deleteRows(db, content, dataset, rows, opts.whole, opts.now);
      if (opts.dryRun) throw DRY_RUN;
    }).immediate();
  } catch (err) {
    if (err !== DRY_RUN) throw err;
  }

  const leftOnDisk: string[] = [];
  let freedBytes = 0;
  let removedFiles = 0;
  if (opts.dryRun) {
    for (const o of plan.objects.filter((f) => fs.existsSync(f))) {
      freedBytes += fs.lstatSync(o).size;
      removedFiles += 1;
    }
  } else {
    // Trees first: they hold hard links to the objects, whose space goes with the last link.
    for (const f of plan.folders) freedBytes += removeNoFollow(f, leftOnDisk);
    for (const o of plan.objects) {
      const failures = leftOnDisk.length;
      if (!fs.existsSync(o)) continue;
      freedBytes += removeNoFollow(o, leftOnDisk);
      if (leftOnDisk.length === failures) removedFiles += 1;
    }
  }
  return {
    name: dataset.name,
    dryRun: opts.dryRun === true,
    datasetDeleted: opts.whole,
    versions: rows.map((r) => ({ digest: r.digest, mode: r.mode, kind: r.kind, fileCount: r.file_count, sizeBytes: r.size_bytes, sourcePath: r.source_path })),
    freedBytes,
    removedFiles,
    sharedFiles: plan.sharedFiles,
    trackedPaths: [...new Set(rows.filter((r) => r.mode === 'track').map((r) => r.source_path))],
    leftOnDisk,
  };
}
