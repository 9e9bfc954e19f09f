/**
 * Migration 3 (issue #5): GPU leases, the GPU queue and GPU history rollups.
 *
 * - `gpu_leases`: the GPUs Lathe assigned to a run, written in the same transaction that picks
 *   them and before the container starts. The partial unique index allows one active lease per
 *   GPU (or MIG device) UUID, so two runs can never hold one GPU, even from two processes.
 * - `run_queue`: runs waiting for GPUs, served by priority (higher first) then arrival (`seq`).
 *   `env` holds the run's unmasked environment until it launches (the executions row keeps the
 *   masked copy); it is deleted with the entry.
 * - `gpu_devices` interns GPU UUIDs; `gpu_rollups` holds min/mean/max per bucket of 10 s
 *   (resolution 10) and of 5 min (resolution 300) for each GPU, one wide row per bucket so a
 *   week of 8 GPUs is ~16k rows. NULL means no reading in the bucket (never 0).
 */
const METRICS = ['util', 'mem_util', 'mem_used', 'temp', 'power', 'fan', 'sm_clock'];
const rollupColumns = METRICS.flatMap((m) => [`${m}_min REAL`, `${m}_mean REAL`, `${m}_max REAL`]).join(',\n  ');

export const GPUS_SQL = `
CREATE TABLE gpu_leases (
  run         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  slot        INTEGER NOT NULL,          -- the run sees this GPU as device <slot>
  gpu_uuid    TEXT NOT NULL,             -- GPU-… or MIG-…
  gpu_index   INTEGER,                   -- index when assigned (indexes can change at boot)
  acquired_at INTEGER NOT NULL,
  released_at INTEGER,
  PRIMARY KEY (run, slot)
);
CREATE UNIQUE INDEX gpu_leases_active ON gpu_leases (gpu_uuid) WHERE released_at IS NULL;
CREATE TABLE run_queue (
  run         INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  priority    INTEGER NOT NULL DEFAULT 0,
  request     TEXT NOT NULL,             -- JSON: count, device ids, or "all"
  env         TEXT NOT NULL,             -- JSON: the run's environment, unmasked, until launch
  reason      TEXT,
  enqueued_at INTEGER NOT NULL
);
CREATE INDEX run_queue_order ON run_queue (priority DESC, seq);
CREATE TABLE gpu_devices (
  id         INTEGER PRIMARY KEY,
  uuid       TEXT NOT NULL UNIQUE,
  name       TEXT,
  last_index INTEGER,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
);
CREATE TABLE gpu_rollups (
  resolution INTEGER NOT NULL,           -- bucket width in seconds: 10 or 300
  gpu        INTEGER NOT NULL REFERENCES gpu_devices(id) ON DELETE CASCADE,
  bucket     INTEGER NOT NULL,           -- bucket start, ms since epoch
  samples    INTEGER NOT NULL,
  ${rollupColumns},
  PRIMARY KEY (resolution, gpu, bucket)
) WITHOUT ROWID;
`;

/** Rollup column stems, in the order of ROLLUP_METRICS (shared/api/gpu-types.ts). */
export const ROLLUP_COLUMN_STEMS = METRICS;
