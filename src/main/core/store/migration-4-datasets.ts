/**
 * Migration 4, 'datasets': registered datasets, their content-addressed versions, cached
 * profiles and validation reports, and which runs used which version (issue #6). Like every
 * migration it must not change once shipped.
 *
 * Layout choices (why):
 * - A version is identified by its content digest (SHA-256 of the manifest: relative paths,
 *   sizes, per-file SHA-256), unique per dataset: registering identical content again is a
 *   no-op, and the same content under two dataset names is two rows sharing the stored files.
 * - The manifest is kept as JSON on the version row: versions are read whole, never queried
 *   by file.
 * - Profiles are cached by the file's own SHA-256 (plus the profiler revision), not by
 *   version, so identical files in different datasets or versions are profiled once, and an
 *   ad-hoc `inspect PATH` of a registered file hits the same cache.
 * - `dataset_file_state` remembers (path, size, mtime, inode) → SHA-256 so inspecting an
 *   unchanged file again does not re-hash it (DVC's state database does the same); running a
 *   tracked version always re-hashes.
 * - Run lineage (`run_dataset_inputs`) points at the version row; deleting a run removes its
 *   lineage, a version used by runs cannot be deleted (no cascade from versions).
 */
export const DATASETS_SQL = `
CREATE TABLE datasets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  rules       TEXT NOT NULL DEFAULT '[]',   -- validation rules, JSON
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE dataset_versions (
  id          INTEGER PRIMARY KEY,
  dataset     INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  digest      TEXT NOT NULL,                 -- SHA-256 hex of the manifest
  mode        TEXT NOT NULL CHECK (mode IN ('track','import')),
  source_path TEXT NOT NULL,                 -- absolute path registered
  kind        TEXT NOT NULL CHECK (kind IN ('file','folder')),
  file_count  INTEGER NOT NULL,
  size_bytes  INTEGER NOT NULL,
  manifest    TEXT NOT NULL,                 -- JSON [{path, size, sha256}]
  created_at  INTEGER NOT NULL,
  UNIQUE (dataset, digest)
);
CREATE INDEX dataset_versions_created ON dataset_versions (dataset, created_at DESC);
CREATE TABLE dataset_profiles (
  sha256      TEXT NOT NULL,                 -- the profiled file's content
  profiler    TEXT NOT NULL,                 -- profiler revision
  profile     TEXT NOT NULL,                 -- JSON
  rows        INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (sha256, profiler)
) WITHOUT ROWID;
CREATE TABLE dataset_file_state (
  path        TEXT PRIMARY KEY,
  size        INTEGER NOT NULL,
  mtime_ns    TEXT NOT NULL,
  ino         TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  checked_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE dataset_validations (
  version     INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  rules_sha256 TEXT NOT NULL,
  report      TEXT NOT NULL,                 -- JSON ValidationReport
  passed      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (version, rules_sha256)
) WITHOUT ROWID;
CREATE TABLE run_dataset_inputs (
  run         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL REFERENCES dataset_versions(id),
  context     TEXT NOT NULL DEFAULT 'training',
  mount_path  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (run, version)
) WITHOUT ROWID;
CREATE INDEX run_dataset_inputs_version ON run_dataset_inputs (version);
`;
