import type { Db } from '../store/database';
import type { DatasetFileEntry, DatasetMode, ValidationRule } from '../../../shared/api/dataset-types';

export interface DatasetRow {
  id: number;
  name: string;
  description: string;
  rules: string;
  created_at: number;
  updated_at: number;
}

export interface VersionRow {
  id: number;
  dataset: number;
  digest: string;
  mode: DatasetMode;
  source_path: string;
  kind: 'file' | 'folder';
  file_count: number;
  size_bytes: number;
  manifest: string;
  created_at: number;
}

export interface RunUseRow {
  version: number;
  run_id: string;
  name: string;
  status: string;
  start_time: number;
}

export interface RunInputRow {
  name: string;
  digest: string;
  mode: DatasetMode;
  source_path: string;
  mount_path: string;
  context: string;
  version: number;
  manifest: string;
}

/** The Datasets tables (migration 4), as plain SQL: no logic beyond reading and writing rows. */
export class DatasetStore {
  constructor(private readonly db: Db) {}

  dataset(name: string): DatasetRow | undefined {
    return this.db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE name = ?').get(name);
  }

  datasets(): DatasetRow[] {
    return this.db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY name').all();
  }

  /** The dataset named `name`, created (with `description`) when missing. */
  ensureDataset(name: string, description: string, now: number): DatasetRow {
    this.db
      .prepare('INSERT INTO datasets (name, description, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
      .run(name, description, now, now);
    return this.dataset(name)!;
  }

  touch(id: number, now: number): void {
    this.db.prepare('UPDATE datasets SET updated_at = ? WHERE id = ?').run(now, id);
  }

  setRules(id: number, rules: ValidationRule[], now: number): void {
    this.db.prepare('UPDATE datasets SET rules = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(rules), now, id);
  }

  /** Inserts a version unless the dataset already has this digest; returns the row and whether it is new. */
  addVersion(v: Omit<VersionRow, 'id' | 'manifest'> & { manifest: DatasetFileEntry[] }): { row: VersionRow; created: boolean } {
    const info = this.db
      .prepare(
        `INSERT INTO dataset_versions (dataset, digest, mode, source_path, kind, file_count, size_bytes, manifest, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset, digest) DO NOTHING`,
      )
      .run(v.dataset, v.digest, v.mode, v.source_path, v.kind, v.file_count, v.size_bytes, JSON.stringify(v.manifest), v.created_at);
    const row = this.db.prepare<[number, string], VersionRow>('SELECT * FROM dataset_versions WHERE dataset = ? AND digest = ?').get(v.dataset, v.digest)!;
    return { row, created: info.changes > 0 };
  }

  /** Versions of a dataset, newest first. */
  versions(datasetId: number): VersionRow[] {
    return this.db.prepare<[number], VersionRow>('SELECT * FROM dataset_versions WHERE dataset = ? ORDER BY created_at DESC, id DESC').all(datasetId);
  }

  versionById(id: number): VersionRow | undefined {
    return this.db.prepare<[number], VersionRow>('SELECT * FROM dataset_versions WHERE id = ?').get(id);
  }

  /** Versions of a dataset whose digest starts with `prefix` (hex, lower case). */
  versionsByPrefix(datasetId: number, prefix: string): VersionRow[] {
    return this.db
      .prepare<[number, string], VersionRow>("SELECT * FROM dataset_versions WHERE dataset = ? AND digest LIKE ? || '%' ORDER BY created_at DESC")
      .all(datasetId, prefix);
  }

  /** Cached profile JSON of a file's content for a profiler revision. */
  profile(sha256: string, profiler: string): string | undefined {
    return this.db.prepare<[string, string], { profile: string }>('SELECT profile FROM dataset_profiles WHERE sha256 = ? AND profiler = ?').get(sha256, profiler)?.profile;
  }

  /** Rows of the cached profile (no JSON parsing), or undefined. */
  profileRows(sha256: string, profiler: string): number | undefined {
    return this.db.prepare<[string, string], { rows: number }>('SELECT rows FROM dataset_profiles WHERE sha256 = ? AND profiler = ?').get(sha256, profiler)?.rows;
  }

  putProfile(sha256: string, profiler: string, profile: string, rows: number, now: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO dataset_profiles (sha256, profiler, profile, rows, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(sha256, profiler, profile, rows, now);
  }

  fileState(file: string): { size: number; mtime_ns: string; ino: string; sha256: string } | undefined {
    return this.db.prepare<[string], { size: number; mtime_ns: string; ino: string; sha256: string }>('SELECT size, mtime_ns, ino, sha256 FROM dataset_file_state WHERE path = ?').get(file);
  }

  putFileState(file: string, size: number, mtimeNs: string, ino: string, sha256: string, now: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO dataset_file_state (path, size, mtime_ns, ino, sha256, checked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(file, size, mtimeNs, ino, sha256, now);
  }

  validation(versionId: number, rulesSha: string): string | undefined {
    return this.db.prepare<[number, string], { report: string }>('SELECT report FROM dataset_validations WHERE version = ? AND rules_sha256 = ?').get(versionId, rulesSha)?.report;
  }

  putValidation(versionId: number, rulesSha: string, report: string, passed: boolean, now: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO dataset_validations (version, rules_sha256, report, passed, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(versionId, rulesSha, report, passed ? 1 : 0, now);
  }

  /** Records that a run used a version (idempotent). */
  addRunInput(runId: string, versionId: number, mountPath: string, context: string, now: number): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO run_dataset_inputs (run, version, context, mount_path, created_at)
         VALUES ((SELECT id FROM runs WHERE run_id = ?), ?, ?, ?, ?)`,
      )
      .run(runId, versionId, context, mountPath, now);
  }

  /** Runs that used any of the given versions, newest first. */
  runsUsing(versionIds: number[]): RunUseRow[] {
    if (versionIds.length === 0) return [];
    return this.db
      .prepare<number[], RunUseRow>(
        `SELECT i.version, r.run_id, r.name, r.status, r.start_time FROM run_dataset_inputs i JOIN runs r ON r.id = i.run
         WHERE i.version IN (${versionIds.map(() => '?').join(', ')}) AND r.lifecycle_stage = 'active' ORDER BY r.start_time DESC`,
      )
      .all(...versionIds);
  }

  /** A run's dataset inputs, in the order they were recorded. */
  inputsOfRun(runId: string): RunInputRow[] {
    return this.db
      .prepare<[string], RunInputRow>(
        `SELECT d.name, v.digest, v.mode, v.source_path, i.mount_path, i.context, v.id AS version, v.manifest
         FROM run_dataset_inputs i JOIN runs r ON r.id = i.run JOIN dataset_versions v ON v.id = i.version JOIN datasets d ON d.id = v.dataset
         WHERE r.run_id = ? ORDER BY i.created_at, d.name`,
      )
      .all(runId);
  }
}

/** The folder name of a version's host view and container placeholder: its row id and digest. */
export function versionFolder(row: Pick<VersionRow, 'id' | 'digest'>): string {
  return `${row.id}-${row.digest.slice(0, 12)}`;
}
