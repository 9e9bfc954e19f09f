import { REGISTRY_AND_INPUTS_SQL } from './migration-6-registry-and-inputs';
import { SEARCH_INDEXES_SQL } from './migration-5-search-indexes';
import { GPUS_SQL } from './migration-3-gpus';
import { DATASETS_SQL } from './migration-4-datasets';

/**
 * Numbered schema migrations, applied in order at start inside one transaction each.
 * Append new migrations; never edit one that has shipped.
 *
 * Layout choices (why):
 * - Runs have an integer primary key (`id`) used by the big tables; the public 32-hex
 *   `run_id` is unique beside it. Metric keys are interned in `metric_keys`. Both keep the
 *   metric history rows small when a store holds tens of millions of points.
 * - `metrics` is keyed (run, key, step, timestamp, is_nan, value) WITHOUT ROWID, so a point
 *   logged twice (MLflow clients retry POSTs) is stored once and history reads are a range
 *   scan. SQLite turns NaN into NULL, so NaN is a flag with value 0; ±Infinity is stored as is.
 * - `latest_metrics` is maintained in the same transaction as each append, so run lists never
 *   scan history (DESIGN.md, Storage).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'tracking',
    sql: `
CREATE TABLE experiments (
  experiment_id     INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE,
  artifact_location TEXT NOT NULL,
  lifecycle_stage   TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active','deleted')),
  creation_time     INTEGER NOT NULL,
  last_update_time  INTEGER NOT NULL
);
CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  run_id          TEXT NOT NULL UNIQUE,
  experiment_id   INTEGER NOT NULL REFERENCES experiments(experiment_id),
  name            TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('SCHEDULED','QUEUED','RUNNING','FINISHED','FAILED','KILLED')),
  user_id         TEXT NOT NULL DEFAULT '',
  start_time      INTEGER NOT NULL,
  end_time        INTEGER,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active','deleted')),
  artifact_uri    TEXT NOT NULL
);
CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time DESC);
CREATE TABLE params (
  run    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run, key)
) WITHOUT ROWID;
CREATE TABLE tags (
  run    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run, key)
) WITHOUT ROWID;
CREATE TABLE metric_keys (
  id  INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE metrics (
  run       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key_id    INTEGER NOT NULL REFERENCES metric_keys(id),
  step      INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  is_nan    INTEGER NOT NULL DEFAULT 0,
  value     REAL NOT NULL,
  PRIMARY KEY (run, key_id, step, timestamp, is_nan, value)
) WITHOUT ROWID;
CREATE TABLE latest_metrics (
  run       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key_id    INTEGER NOT NULL REFERENCES metric_keys(id),
  step      INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  is_nan    INTEGER NOT NULL DEFAULT 0,
  value     REAL NOT NULL,
  PRIMARY KEY (run, key_id)
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: 'execution',
    sql: `
-- How a run was launched and how it ended (runtime docker or process). One row per run that
-- Lathe executes; runs logged from outside (an mlflow script on the host) have none.
CREATE TABLE run_executions (
  run            INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  runtime        TEXT NOT NULL CHECK (runtime IN ('docker','process')),
  spec           TEXT NOT NULL,            -- the validated run spec, JSON, secrets masked
  image          TEXT,
  image_digest   TEXT,
  container_id   TEXT,
  device_requests TEXT,                    -- HostConfig.DeviceRequests as the engine recorded it, JSON
  pid            INTEGER,
  owner_pid      INTEGER,                  -- the Lathe process supervising it (reconcile skips live owners)
  exit_code      INTEGER,
  status_message TEXT,
  log_path       TEXT NOT NULL,
  snapshot_path  TEXT,
  created_at     INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER
);
CREATE INDEX run_executions_container ON run_executions (container_id);
-- Per-run API tokens handed to training code (MLFLOW_TRACKING_TOKEN); only a SHA-256 is kept.
CREATE TABLE run_tokens (
  token_sha256 TEXT PRIMARY KEY,
  run          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX run_tokens_run ON run_tokens (run);
`,
  },
  // Run inputs/outputs, logged models and the model registry (MLflow API, issue #4).
  { version: 6, name: 'registry-and-inputs', sql: REGISTRY_AND_INPUTS_SQL },
  // Search indexes and metric block summaries for charts (tracking at scale, issue #4).
  { version: 5, name: 'search-indexes', sql: SEARCH_INDEXES_SQL },
  // GPU leases, the GPU queue and GPU history rollups (issue #5).
  { version: 3, name: 'gpus', sql: GPUS_SQL },
  // Datasets: versions, profiles, validation reports, run lineage (issue #6).
  { version: 4, name: 'datasets', sql: DATASETS_SQL },
];

