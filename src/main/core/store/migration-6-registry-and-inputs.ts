/**
 * Migration 6, 'registry-and-inputs': run inputs and outputs, MLflow 3 logged models, and the
 * model registry (../shared/notes/mlflow-rest.md §2, §3.3, §3.6, §3.7). Kept in its own file
 * so the migration list stays short; like every migration it must not change once shipped.
 *
 * Layout choices (why):
 * - `run_inputs` holds dataset inputs inline (name, digest, source…) rather than in a shared
 *   datasets table: Lathe's own datasets feature has its tables, and MLflow dataset inputs are
 *   only ever read per run. One row per (run, name, digest); logging it again is a no-op, as
 *   on the real server. Model inputs (3.x) sit in the same table with `kind = 'model'`.
 * - Logged models are keyed by their public id (`m-<32 hex>`); their metrics are a separate
 *   history (the run's own metrics stay in `metrics`), deduplicated like run metrics, NaN a flag.
 * - Registered models have an integer key so a rename touches one row. Model versions are
 *   soft-deleted (`deleted_time`), so a version number is never handed out twice.
 */
export const REGISTRY_AND_INPUTS_SQL = `
CREATE TABLE run_inputs (
  id          INTEGER PRIMARY KEY,
  run         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('dataset','model')),
  name        TEXT NOT NULL DEFAULT '',     -- dataset name, or the model id for kind 'model'
  digest      TEXT NOT NULL DEFAULT '',
  source_type TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',
  schema      TEXT,
  profile     TEXT,
  tags        TEXT NOT NULL DEFAULT '[]',   -- input tags, JSON [{key, value}] (e.g. mlflow.data.context)
  created_at  INTEGER NOT NULL,
  UNIQUE (run, kind, name, digest)
);
CREATE TABLE run_outputs (
  run      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model_id TEXT NOT NULL,
  step     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run, model_id)
) WITHOUT ROWID;

CREATE TABLE logged_models (
  model_id          TEXT PRIMARY KEY,
  experiment_id     INTEGER NOT NULL REFERENCES experiments(experiment_id),
  name              TEXT NOT NULL,
  artifact_location TEXT NOT NULL,
  creation_time     INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('LOGGED_MODEL_PENDING','LOGGED_MODEL_READY','LOGGED_MODEL_UPLOAD_FAILED')),
  status_message    TEXT,
  model_type        TEXT NOT NULL DEFAULT '',
  source_run_id     TEXT,
  lifecycle_stage   TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active','deleted'))
);
CREATE INDEX logged_models_experiment ON logged_models (experiment_id, creation_time DESC);
CREATE INDEX logged_models_run ON logged_models (source_run_id);
CREATE TABLE logged_model_tags (
  model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
) WITHOUT ROWID;
CREATE TABLE logged_model_params (
  model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
) WITHOUT ROWID;
CREATE TABLE logged_model_metrics (
  model_id       TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
  key            TEXT NOT NULL,
  step           INTEGER NOT NULL,
  timestamp      INTEGER NOT NULL,
  is_nan         INTEGER NOT NULL DEFAULT 0,
  value          REAL NOT NULL,
  run_id         TEXT NOT NULL DEFAULT '',
  dataset_name   TEXT NOT NULL DEFAULT '',
  dataset_digest TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (model_id, key, step, timestamp, is_nan, value, run_id, dataset_name, dataset_digest)
) WITHOUT ROWID;

CREATE TABLE registered_models (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE,
  description       TEXT,
  user_id           TEXT,
  creation_time     INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL
);
CREATE TABLE registered_model_tags (
  model INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  key   TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model, key)
) WITHOUT ROWID;
CREATE TABLE model_versions (
  model             INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  version           INTEGER NOT NULL,
  creation_time     INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  user_id           TEXT,
  current_stage     TEXT NOT NULL DEFAULT 'None' CHECK (current_stage IN ('None','Staging','Production','Archived')),
  source            TEXT NOT NULL,
  run_id            TEXT NOT NULL DEFAULT '',
  run_link          TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL DEFAULT 'READY',
  status_message    TEXT,
  model_id          TEXT,
  storage_location  TEXT,
  deleted_time      INTEGER,
  PRIMARY KEY (model, version)
) WITHOUT ROWID;
CREATE INDEX model_versions_run ON model_versions (run_id);
CREATE TABLE model_version_tags (
  model   INTEGER NOT NULL,
  version INTEGER NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (model, version, key),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE registered_model_aliases (
  model   INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
  alias   TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (model, alias)
) WITHOUT ROWID;
`;
