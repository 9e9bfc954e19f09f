import type { Db } from '../store/database';
import { BLOCK_LEVELS } from '../store/migration-5-search-indexes';

/** A metric point after validation: key checked, value parsed (NaN/±Infinity allowed), ms timestamp, int step. */
export interface ParsedMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** One point as the store orders it: (step, timestamp, is_nan, value), NaN stored as is_nan 1 with value 0. */
interface Point {
  step: number;
  ts: number;
  nan: number;
  value: number;
}

/** The running summary of one (key, level, block) for the points of one batch. */
interface BlockAgg {
  keyId: number;
  level: number;
  block: number;
  n: number;
  nanN: number;
  min: number | null;
  max: number | null;
  minTs: number;
  maxTs: number;
  first: Point;
  last: Point;
}

/** What one batch gathers for one key. */
interface KeyState {
  id: number;
  latest: Point | null;
  levels: Array<{ level: number; size: number; cur: BlockAgg | null; all: Map<number, BlockAgg> }>;
}

/** Lexicographic order of the metrics primary key after (run, key_id). */
function comparePoints(a: Point, b: Point): number {
  return a.step - b.step || a.ts - b.ts || a.nan - b.nan || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/**
 * MLflow's "latest": highest (step, timestamp), then the higher value, NaN lowest. Returns
 * true when `a` should replace `b`.
 */
function laterThan(a: Point, b: Point): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.ts !== b.ts) return a.ts > b.ts;
  if (b.nan) return true;
  return a.nan === 0 && a.value > b.value;
}

/**
 * Appends metric points to a run's history, inside the caller's transaction, and keeps the
 * derived tables in step: `latest_metrics` (one upsert per key per batch, not per point) and
 * `metric_blocks` (one upsert per touched block; see migration-5-search-indexes.ts). A point
 * already stored (same key, step, timestamp and value, NaN included) is ignored and counted
 * nowhere, so client retries never skew the block counts.
 *
 * Prepared statements are built once; per point the work is one INSERT and a few compares.
 */
export class MetricWriter {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      insertKey: db.prepare('INSERT OR IGNORE INTO metric_keys (key) VALUES (?)'),
      keyId: db.prepare<[string], { id: number }>('SELECT id FROM metric_keys WHERE key = ?').pluck(),
      insertMetric: db.prepare('INSERT OR IGNORE INTO metrics (run, key_id, step, timestamp, is_nan, value) VALUES (?, ?, ?, ?, ?, ?)'),
      // The WHERE keeps the stored row when it is later (MLflow's definition; NaN counts as the lowest value).
      upsertLatest: db.prepare(`
        INSERT INTO latest_metrics (run, key_id, step, timestamp, is_nan, value) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (run, key_id) DO UPDATE SET
          step = excluded.step, timestamp = excluded.timestamp, is_nan = excluded.is_nan, value = excluded.value
        WHERE (excluded.step, excluded.timestamp) > (latest_metrics.step, latest_metrics.timestamp)
           OR ((excluded.step, excluded.timestamp) = (latest_metrics.step, latest_metrics.timestamp)
               AND (latest_metrics.is_nan = 1 OR (excluded.is_nan = 0 AND excluded.value > latest_metrics.value)))`),
      // Merges a batch's block summary into the stored one. Every SET expression sees the old row.
      upsertBlock: db.prepare(`
        INSERT INTO metric_blocks (run, key_id, level, block, n, nan_n, min_value, max_value, min_ts, max_ts,
          first_step, first_ts, first_nan, first_value, last_step, last_ts, last_nan, last_value)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (run, key_id, level, block) DO UPDATE SET
          n = n + excluded.n,
          nan_n = nan_n + excluded.nan_n,
          min_value = COALESCE(MIN(min_value, excluded.min_value), min_value, excluded.min_value),
          max_value = COALESCE(MAX(max_value, excluded.max_value), max_value, excluded.max_value),
          min_ts = MIN(min_ts, excluded.min_ts),
          max_ts = MAX(max_ts, excluded.max_ts),
          first_step  = CASE WHEN (excluded.first_step, excluded.first_ts, excluded.first_nan, excluded.first_value) < (first_step, first_ts, first_nan, first_value) THEN excluded.first_step ELSE first_step END,
          first_ts    = CASE WHEN (excluded.first_step, excluded.first_ts, excluded.first_nan, excluded.first_value) < (first_step, first_ts, first_nan, first_value) THEN excluded.first_ts ELSE first_ts END,
          first_nan   = CASE WHEN (excluded.first_step, excluded.first_ts, excluded.first_nan, excluded.first_value) < (first_step, first_ts, first_nan, first_value) THEN excluded.first_nan ELSE first_nan END,
          first_value = CASE WHEN (excluded.first_step, excluded.first_ts, excluded.first_nan, excluded.first_value) < (first_step, first_ts, first_nan, first_value) THEN excluded.first_value ELSE first_value END,
          last_step   = CASE WHEN (excluded.last_step, excluded.last_ts, excluded.last_nan, excluded.last_value) > (last_step, last_ts, last_nan, last_value) THEN excluded.last_step ELSE last_step END,
          last_ts     = CASE WHEN (excluded.last_step, excluded.last_ts, excluded.last_nan, excluded.last_value) > (last_step, last_ts, last_nan, last_value) THEN excluded.last_ts ELSE last_ts END,
          last_nan    = CASE WHEN (excluded.last_step, excluded.last_ts, excluded.last_nan, excluded.last_value) > (last_step, last_ts, last_nan, last_value) THEN excluded.last_nan ELSE last_nan END,
          last_value  = CASE WHEN (excluded.last_step, excluded.last_ts, excluded.last_nan, excluded.last_value) > (last_step, last_ts, last_nan, last_value) THEN excluded.last_value ELSE last_value END`),
    };
  }

  /** Ids of keys that existed before the current write (committed: keys are never deleted). */
  private readonly knownKeys = new Map<string, number>();

  /**
   * The id of a metric key, created when new. Only ids that already existed are cached: an
   * id created in a transaction that later rolls back must not outlive it.
   */
  private keyIdOf(key: string): number {
    const known = this.knownKeys.get(key);
    if (known !== undefined) return known;
    const created = this.stmt.insertKey.run(key).changes > 0;
    const id = this.stmt.keyId.get(key) as unknown as number;
    if (!created && this.knownKeys.size < 100_000) this.knownKeys.set(key, id);
    return id;
  }

  /**
   * Stores `points` for run `run` (the integer `runs.id`). Must run inside a transaction.
   * @returns how many points were new (identical points already stored are not).
   */
  write(run: number, points: readonly ParsedMetric[]): number {
    if (points.length === 0) return 0;
    // Per key: its id, its latest point and, per block level, the block summaries touched.
    // Consecutive points of a key usually share a block, so `cur` saves most map lookups.
    const keys = new Map<string, KeyState>();
    let inserted = 0;
    for (const m of points) {
      let ks = keys.get(m.key);
      if (ks === undefined) {
        const id = this.keyIdOf(m.key);
        ks = { id, latest: null, levels: BLOCK_LEVELS.map(({ level, shift }) => ({ level, size: 2 ** shift, cur: null, all: new Map() })) };
        keys.set(m.key, ks);
      }
      const nan = Number.isNaN(m.value) ? 1 : 0;
      const p: Point = { step: m.step, ts: m.timestamp, nan, value: nan ? 0 : m.value };
      if (ks.latest === null || laterThan(p, ks.latest)) ks.latest = p;
      if (this.stmt.insertMetric.run(run, ks.id, p.step, p.ts, nan, p.value).changes === 0) continue;
      inserted++;
      for (const lv of ks.levels) {
        const block = Math.floor(p.step / lv.size);
        let b = lv.cur !== null && lv.cur.block === block ? lv.cur : lv.all.get(block);
        if (b === undefined) {
          b = { keyId: ks.id, level: lv.level, block, n: 1, nanN: nan, min: nan ? null : p.value, max: nan ? null : p.value, minTs: p.ts, maxTs: p.ts, first: p, last: p };
          lv.all.set(block, b);
          lv.cur = b;
          continue;
        }
        lv.cur = b;
        b.n++;
        b.nanN += nan;
        if (!nan) {
          if (b.min === null || p.value < b.min) b.min = p.value;
          if (b.max === null || p.value > b.max) b.max = p.value;
        }
        if (p.ts < b.minTs) b.minTs = p.ts;
        if (p.ts > b.maxTs) b.maxTs = p.ts;
        if (comparePoints(p, b.first) < 0) b.first = p;
        if (comparePoints(p, b.last) > 0) b.last = p;
      }
    }
    const blocks: BlockAgg[] = [];
    for (const ks of keys.values()) {
      if (ks.latest) this.stmt.upsertLatest.run(run, ks.id, ks.latest.step, ks.latest.ts, ks.latest.nan, ks.latest.value);
      for (const lv of ks.levels) blocks.push(...lv.all.values());
    }
    for (const b of blocks) {
      const f = b.first;
      const l = b.last;
      this.stmt.upsertBlock.run(run, b.keyId, b.level, b.block, b.n, b.nanN, b.min, b.max, b.minTs, b.maxTs, f.step, f.ts, f.nan, f.value, l.step, l.ts, l.nan, l.value);
    }
    return inserted;
  }
}
