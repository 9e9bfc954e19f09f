/**
 * Migration 5, 'search-indexes': the indexes run search and the runs table need, and the
 * metric block summaries chart queries read instead of raw history. Kept in its own file so
 * the migration list stays short; like every migration it must not change once shipped.
 *
 * Indexes (each chosen from a query plan, see test/search/query-plans.test.ts):
 * - `latest_metrics (key_id, is_nan, value)`: `metrics.x > 0.5` filters and `ORDER BY
 *   metrics.x` read one key's latest values in value order without scanning other keys
 *   (the primary key (run, key_id) serves per-run lookups).
 * - `params (key, value)` and `tags (key, value)`: `params.lr = '0.1'`, `LIKE` and `IN`
 *   filters find the matching runs from the index; the (run, key) primary keys serve the
 *   per-run reads of a page.
 * - `runs (experiment_id, lifecycle_stage, start_time)`: the default order (newest first)
 *   within the experiments and view type asked for.
 *
 * `experiment_keys` (why): a column picker lists the distinct param, metric and tag keys of an
 * experiment's runs; with thousands of keys over thousands of runs no index answers that
 * without reading every row, so the set is kept as rows change (KEY_TRIGGERS).
 *
 * `metric_blocks` (why): a chart of a 1,000,000-point series cannot scan its history in the
 * time a redraw has (~90 ms for the scan alone on a 2-core machine). Each series is cut into
 * blocks of consecutive steps — level 1: 64 steps (`block = step >> 6`), level 2: 512 steps
 * (`block = step >> 9`) — and every block keeps its point count, NaN count, min and max of the
 * non-NaN values, its time extent and its first and last point (by step, timestamp, NaN flag,
 * value: the metrics primary-key order). Blocks are kept in the same transaction as each
 * append (src/main/core/tracking/metric-writer.ts), so they always agree with `metrics`; a
 * chart of 1,000,000 points reads ~2,000 level-2 blocks. The backfill below builds them for
 * history logged before this migration.
 */
export const BLOCK_LEVELS = [
  { level: 1, shift: 6 },
  { level: 2, shift: 9 },
] as const;

/**
 * Rebuilds `metric_blocks` rows from `metrics` for every run, or for the runs `WHERE`
 * selects (`:where` is spliced as SQL by the migration only, never with user input).
 */
export function blockBackfillSql(where = '1'): string {
  const levels = BLOCK_LEVELS.map((l) => `(${l.level}, ${l.shift})`).join(', ');
  return `
WITH lv(level, shift) AS (VALUES ${levels}),
p AS (
  SELECT m.run, m.key_id, lv.level, m.step >> lv.shift AS block, m.step, m.timestamp, m.is_nan, m.value,
    ROW_NUMBER() OVER (PARTITION BY m.run, m.key_id, lv.level, m.step >> lv.shift ORDER BY m.step, m.timestamp, m.is_nan, m.value) AS rf,
    ROW_NUMBER() OVER (PARTITION BY m.run, m.key_id, lv.level, m.step >> lv.shift ORDER BY m.step DESC, m.timestamp DESC, m.is_nan DESC, m.value DESC) AS rl
  FROM metrics m CROSS JOIN lv WHERE ${where}
)
INSERT INTO metric_blocks (run, key_id, level, block, n, nan_n, min_value, max_value, min_ts, max_ts,
  first_step, first_ts, first_nan, first_value, last_step, last_ts, last_nan, last_value)
SELECT run, key_id, level, block, COUNT(*), SUM(is_nan),
  MIN(CASE WHEN is_nan = 0 THEN value END), MAX(CASE WHEN is_nan = 0 THEN value END), MIN(timestamp), MAX(timestamp),
  MAX(CASE WHEN rf = 1 THEN step END), MAX(CASE WHEN rf = 1 THEN timestamp END), MAX(CASE WHEN rf = 1 THEN is_nan END), MAX(CASE WHEN rf = 1 THEN value END),
  MAX(CASE WHEN rl = 1 THEN step END), MAX(CASE WHEN rl = 1 THEN timestamp END), MAX(CASE WHEN rl = 1 THEN is_nan END), MAX(CASE WHEN rl = 1 THEN value END)
FROM p GROUP BY run, key_id, level, block;
`;
}

/**
 * `experiment_keys` is kept by triggers, so every writer (log-batch, run creation, the registry's
 * helpers) keeps it right: a key is listed while some run of the experiment has it. Inserts
 * cost one probe per new (run, key) — a metric key's first point in a run, not every point.
 */
const KEY_TRIGGERS = (
  [
    ['param', 'params', 'key', 'key'],
    ['tag', 'tags', 'key', 'key'],
    ['metric', 'latest_metrics', '(SELECT key FROM metric_keys WHERE id = NEW.key_id)', '(SELECT key FROM metric_keys WHERE id = OLD.key_id)'],
  ] as const
)
  .map(([kind, table, newKey, oldKey]) => {
    const keyOf = (side: 'NEW' | 'OLD') => (kind === 'metric' ? (side === 'NEW' ? newKey : oldKey) : `${side}.key`);
    const stillThere =
      kind === 'metric'
        ? `SELECT 1 FROM latest_metrics t JOIN runs r ON r.id = t.run WHERE t.key_id = OLD.key_id AND r.experiment_id = x.experiment_id`
        : `SELECT 1 FROM ${table} t JOIN runs r ON r.id = t.run WHERE t.key = OLD.key AND r.experiment_id = x.experiment_id`;
    return `
CREATE TRIGGER ${table}_key_added AFTER INSERT ON ${table} BEGIN
  INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) SELECT experiment_id, '${kind}', ${keyOf('NEW')} FROM runs WHERE id = NEW.run;
END;
CREATE TRIGGER ${table}_key_removed AFTER DELETE ON ${table} BEGIN
  DELETE FROM experiment_keys AS x WHERE x.experiment_id = (SELECT experiment_id FROM runs WHERE id = OLD.run) AND x.kind = '${kind}' AND x.key = ${keyOf('OLD')}
    AND NOT EXISTS (${stillThere});
END;`;
  })
  .join('\n');

export const SEARCH_INDEXES_SQL = `
CREATE INDEX latest_metrics_key_value ON latest_metrics (key_id, is_nan, value);
CREATE INDEX params_key_value ON params (key, value);
CREATE INDEX tags_key_value ON tags (key, value);
CREATE INDEX runs_experiment_stage_start ON runs (experiment_id, lifecycle_stage, start_time);
CREATE TABLE metric_blocks (
  run         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key_id      INTEGER NOT NULL REFERENCES metric_keys(id),
  level       INTEGER NOT NULL,          -- 1: 64 steps a block, 2: 512 steps (BLOCK_LEVELS)
  block       INTEGER NOT NULL,          -- step >> shift
  n           INTEGER NOT NULL,          -- points, NaN included
  nan_n       INTEGER NOT NULL,
  min_value   REAL,                      -- of the non-NaN values; NULL when all are NaN
  max_value   REAL,
  min_ts      INTEGER NOT NULL,
  max_ts      INTEGER NOT NULL,
  first_step  INTEGER NOT NULL,
  first_ts    INTEGER NOT NULL,
  first_nan   INTEGER NOT NULL,
  first_value REAL NOT NULL,
  last_step   INTEGER NOT NULL,
  last_ts     INTEGER NOT NULL,
  last_nan    INTEGER NOT NULL,
  last_value  REAL NOT NULL,
  PRIMARY KEY (run, key_id, level, block)
) WITHOUT ROWID;
${blockBackfillSql()}
CREATE TABLE experiment_keys (
  experiment_id INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('param','metric','tag')),
  key           TEXT NOT NULL,
  PRIMARY KEY (experiment_id, kind, key)
) WITHOUT ROWID;
${KEY_TRIGGERS}
INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) SELECT DISTINCT r.experiment_id, 'param', p.key FROM params p JOIN runs r ON r.id = p.run;
INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) SELECT DISTINCT r.experiment_id, 'tag', t.key FROM tags t JOIN runs r ON r.id = t.run;
INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) SELECT DISTINCT r.experiment_id, 'metric', k.key FROM latest_metrics l JOIN runs r ON r.id = l.run JOIN metric_keys k ON k.id = l.key_id;
`;
