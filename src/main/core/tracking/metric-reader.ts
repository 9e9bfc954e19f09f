import type { Db } from '../store/database';
import type { MetricPoint, MetricSeries } from '../../../shared/api/types';

/** A metric point as stored (metrics, logged_model_metrics). */
export interface MetricRow {
  key: string;
  step: number;
  timestamp: number;
  is_nan: number;
  value: number;
}

/** The stored value; NaN is kept as a flag because SQLite turns a NaN REAL into NULL. */
export function toValue(row: { is_nan: number; value: number }): number {
  return row.is_nan ? Number.NaN : row.value;
}

/** One run's metric histories, read from the `metrics` table (run = the run's row id). */
export class MetricReader {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      history: db.prepare<[number, string], MetricRow>(
        `SELECT k.key, m.step, m.timestamp, m.is_nan, m.value FROM metrics m JOIN metric_keys k ON k.id = m.key_id
         WHERE m.run = ? AND k.key = ? ORDER BY m.step, m.timestamp`,
      ),
      keyId: db.prepare<[string], { id: number }>('SELECT id FROM metric_keys WHERE key = ?'),
      stats: db.prepare<[number, number], { n: number; lo: number; hi: number }>(
        'SELECT COUNT(*) AS n, MIN(step) AS lo, MAX(step) AS hi FROM metrics WHERE run = ? AND key_id = ?',
      ),
      whole: db.prepare<[number, number], MetricRow>('SELECT step, timestamp, is_nan, value FROM metrics WHERE run = ? AND key_id = ? ORDER BY step, timestamp'),
      // Rank each point within its bucket four ways and keep rank 1 of each: first, last, min, max.
      reduced: db.prepare<[number, number, number, number], MetricRow>(
        `WITH b AS (
           SELECT step, timestamp, is_nan, value, CAST((step - ?) / ? AS INTEGER) AS bucket FROM metrics WHERE run = ? AND key_id = ?
         ), r AS (
           SELECT *, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY step, timestamp) AS rf,
                     ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY step DESC, timestamp DESC) AS rl,
                     ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY is_nan, value) AS rmin,
                     ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY is_nan, value DESC) AS rmax
           FROM b
         )
         SELECT DISTINCT step, timestamp, is_nan, value FROM r WHERE rf = 1 OR rl = 1 OR rmin = 1 OR rmax = 1 ORDER BY step, timestamp`,
      ),
    };
  }

  /** The whole history of one metric of the run with row id `run`, ordered by step then timestamp. */
  history(run: number, key: string): MetricPoint[] {
    return this.stmt.history.all(run, key).map((r) => ({ key: r.key, value: toValue(r), step: r.step, timestamp: r.timestamp }));
  }

  /**
   * A metric series reduced for a chart `buckets` pixels wide: the step range is cut into
   * equal buckets and each keeps its first, min, max and last point, computed in SQL, so
   * spikes survive (DESIGN.md, Storage). Series of ≤ 4 × buckets points come back whole.
   * Points are `[step, value, timestamp ms]`.
   */
  series(run: { id: number; runId: string }, key: string, buckets = 1000): MetricSeries {
    const runId = run.runId;
    const keyRow = this.stmt.keyId.get(key);
    if (!keyRow) return { runId, key, total: 0, reduced: false, points: [] };
    const stats = this.stmt.stats.get(run.id, keyRow.id)!;
    const toPoint = (r: MetricRow): [number, number, number] => [r.step, toValue(r), r.timestamp];
    if (stats.n <= buckets * 4) {
      return { runId, key, total: stats.n, reduced: false, points: this.stmt.whole.all(run.id, keyRow.id).map(toPoint) };
    }
    const width = (stats.hi - stats.lo + 1) / buckets;
    return { runId, key, total: stats.n, reduced: true, points: this.stmt.reduced.all(stats.lo, width, run.id, keyRow.id).map(toPoint) };
  }
}
