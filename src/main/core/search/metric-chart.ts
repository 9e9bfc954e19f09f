import type { Db } from '../store/database';
import { LatheError } from '../../../shared/errors';
import type { ChartBucket, ChartQuery, ChartSeries, MetricChart } from '../../../shared/api/search-types';
import { BLOCK_LEVELS } from '../store/migration-5-search-indexes';

/** A bucket row as the SQL returns it: [b, n, nans, min, max, firstX, first, lastX, last]; NULL values are NaN. */
type BucketRow = [number, number, number, number | null, number | null, number, number | null, number, number | null];

interface SeriesStats {
  n: number | null;
  min: number | null;
  max: number | null;
  minStep: number;
  maxStep: number;
  minTs: number;
  maxTs: number;
}

const L1 = BLOCK_LEVELS[0];
const L2 = BLOCK_LEVELS[1];

// Step axis over blocks of one level: a bucket is a run of whole blocks, so count, NaNs, min
// and max add up exactly, and the first/last point is that of the first/last block (one seek each).
const STEP_BLOCKS_SQL = `
SELECT g.b, g.n, g.nans, g.mn, g.mx,
  f.first_step, CASE WHEN f.first_nan = 1 THEN NULL ELSE f.first_value END,
  l.last_step, CASE WHEN l.last_nan = 1 THEN NULL ELSE l.last_value END
FROM (
  SELECT CAST((block - @b0) / @m AS INTEGER) AS b, SUM(n) AS n, SUM(nan_n) AS nans, MIN(min_value) AS mn, MAX(max_value) AS mx,
         MIN(block) AS fb, MAX(block) AS lb
  FROM metric_blocks WHERE run = @run AND key_id = @key AND level = @level AND block BETWEEN @b0 AND @b1
  GROUP BY b
) g
JOIN metric_blocks f ON f.run = @run AND f.key_id = @key AND f.level = @level AND f.block = g.fb
JOIN metric_blocks l ON l.run = @run AND l.key_id = @key AND l.level = @level AND l.block = g.lb
ORDER BY g.b`;

// Step axis from the history itself (zoomed in: fewer than 64 steps a bucket). A bucket of one
// point is its own first and last; others find theirs with one seek each. With one step a
// bucket the grouping follows the primary key, so no sort is needed.
const stepRawSql = (unit: boolean) => `
SELECT g.b, g.n, g.nans, g.mn, g.mx, g.fs,
  CASE WHEN g.n = 1 THEN g.mx ELSE
    (SELECT CASE WHEN is_nan = 1 THEN NULL ELSE value END FROM metrics WHERE run = @run AND key_id = @key AND step = g.fs ORDER BY timestamp, is_nan, value LIMIT 1) END,
  g.ls,
  CASE WHEN g.n = 1 THEN g.mx ELSE
    (SELECT CASE WHEN is_nan = 1 THEN NULL ELSE value END FROM metrics WHERE run = @run AND key_id = @key AND step = g.ls ORDER BY timestamp DESC, is_nan DESC, value DESC LIMIT 1) END
FROM (
  SELECT ${unit ? 'step - @x0' : 'CAST((step - @x0) / @w AS INTEGER)'} AS b, COUNT(*) AS n, SUM(is_nan) AS nans,
         MIN(CASE WHEN is_nan = 0 THEN value END) AS mn, MAX(CASE WHEN is_nan = 0 THEN value END) AS mx, MIN(step) AS fs, MAX(step) AS ls
  FROM metrics WHERE run = @run AND key_id = @key AND step BETWEEN @x0 AND @x1
  GROUP BY ${unit ? 'step' : 'b'}
) g
ORDER BY g.b`;
const STEP_RAW_SQL = stepRawSql(false);
const STEP_UNIT_SQL = stepRawSql(true);

// Time axes: level-1 blocks whose whole time span falls in one bucket count as one partial;
// the points of the other blocks that overlap the range are read from the history. The
// partials are summed per bucket; the first/last point (step order, as everywhere) is then
// found by one seek each at the bucket's first/last step, within the bucket's time span.
const TIME_SQL = `
WITH p AS (
  SELECT CAST((min_ts - @t0) / @w AS INTEGER) AS b, n, nan_n, min_value AS mn, max_value AS mx, first_step AS fs, last_step AS ls
  FROM metric_blocks WHERE run = @run AND key_id = @key AND level = ${L1.level} AND min_ts >= @t0 AND max_ts <= @t1
    AND CAST((min_ts - @t0) / @w AS INTEGER) = CAST((max_ts - @t0) / @w AS INTEGER)
  UNION ALL
  SELECT CAST((m.timestamp - @t0) / @w AS INTEGER), 1, m.is_nan, CASE WHEN m.is_nan = 0 THEN m.value END, CASE WHEN m.is_nan = 0 THEN m.value END, m.step, m.step
  FROM metric_blocks k JOIN metrics m
    ON m.run = k.run AND m.key_id = k.key_id AND m.step BETWEEN k.block * ${2 ** L1.shift} AND k.block * ${2 ** L1.shift} + ${2 ** L1.shift - 1}
  WHERE k.run = @run AND k.key_id = @key AND k.level = ${L1.level} AND k.max_ts >= @t0 AND k.min_ts <= @t1
    AND NOT (k.min_ts >= @t0 AND k.max_ts <= @t1 AND CAST((k.min_ts - @t0) / @w AS INTEGER) = CAST((k.max_ts - @t0) / @w AS INTEGER))
    AND m.timestamp BETWEEN @t0 AND @t1
),
g AS (
  SELECT b, SUM(n) AS n, SUM(nan_n) AS nans, MIN(mn) AS mn, MAX(mx) AS mx, MIN(fs) AS fs, MAX(ls) AS ls,
         MAX(@t0 + b * @w, @t0) AS lo, MIN(@t0 + (b + 1) * @w - 1, @t1) AS hi
  FROM p GROUP BY b
)
SELECT g.b, g.n, g.nans, g.mn, g.mx,
  (SELECT timestamp FROM metrics WHERE run = @run AND key_id = @key AND step = g.fs AND timestamp BETWEEN g.lo AND g.hi ORDER BY timestamp, is_nan, value LIMIT 1),
  (SELECT CASE WHEN is_nan = 1 THEN NULL ELSE value END FROM metrics WHERE run = @run AND key_id = @key AND step = g.fs AND timestamp BETWEEN g.lo AND g.hi ORDER BY timestamp, is_nan, value LIMIT 1),
  (SELECT timestamp FROM metrics WHERE run = @run AND key_id = @key AND step = g.ls AND timestamp BETWEEN g.lo AND g.hi ORDER BY timestamp DESC, is_nan DESC, value DESC LIMIT 1),
  (SELECT CASE WHEN is_nan = 1 THEN NULL ELSE value END FROM metrics WHERE run = @run AND key_id = @key AND step = g.ls AND timestamp BETWEEN g.lo AND g.hi ORDER BY timestamp DESC, is_nan DESC, value DESC LIMIT 1)
FROM g
ORDER BY g.b`;

const STATS_SQL = `
SELECT SUM(n) AS n, MIN(min_value) AS min, MAX(max_value) AS max, MIN(first_step) AS minStep, MAX(last_step) AS maxStep, MIN(min_ts) AS minTs, MAX(max_ts) AS maxTs
FROM metric_blocks WHERE run = ? AND key_id = ? AND level = ${L2.level}`;

const nanIfNull = (v: number | null): number => (v === null ? Number.NaN : v);

/**
 * Chart queries (DESIGN.md, Storage): for each run, the series of one metric key cut into
 * buckets over an x range, each bucket's count, first, last, min and max computed in SQL,
 * plus each series' global min/max and point count. Reads the block summaries of migration
 * 5 (metric_blocks), not the raw history, wherever a bucket spans whole blocks, so a
 * 1,000,000-point series costs ~2,000 rows at 1,000 buckets.
 *
 * Buckets:
 * - `step`: width = ceil(range / buckets) rounded up to a multiple of the block size (64 or
 *   512 steps) once it is at least that, and the first bucket starts on a block boundary, so
 *   every bucket is whole blocks; zoomed in further, buckets come from the history itself.
 *   The first and last bucket may reach a little past `xMin`/`xMax`.
 * - `wall` (timestamp, ms) and `relative` (ms since the series' first point): width =
 *   ceil(range / buckets) ms; blocks whose time span fits in one bucket are used whole, the
 *   points of the others are read, so the buckets are exact.
 */
export class MetricChartService {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      run: db.prepare<[string], { id: number }>('SELECT id FROM runs WHERE run_id = ?').pluck(),
      key: db.prepare<[string], { id: number }>('SELECT id FROM metric_keys WHERE key = ?').pluck(),
      stats: db.prepare(STATS_SQL),
      stepBlocks: db.prepare(STEP_BLOCKS_SQL).raw(),
      stepRaw: db.prepare(STEP_RAW_SQL).raw(),
      stepUnit: db.prepare(STEP_UNIT_SQL).raw(),
      time: db.prepare(TIME_SQL).raw(),
    };
  }

  /**
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run id; INVALID_PARAMETER_VALUE
   *   when xMin > xMax or buckets < 1.
   */
  chart(q: ChartQuery): MetricChart {
    if (!Number.isInteger(q.buckets) || q.buckets < 1) throw new LatheError('INVALID_PARAMETER_VALUE', `buckets must be a positive integer, got ${q.buckets}`, { field: 'buckets' });
    if (q.xMin !== undefined && q.xMax !== undefined && q.xMin > q.xMax) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `xMin (${q.xMin}) is greater than xMax (${q.xMax})`, { field: 'xMin' });
    }
    const runs = q.runIds.map((runId) => {
      const id = this.stmt.run.get(runId) as unknown as number | undefined;
      if (id === undefined) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { runId });
      return { runId, id };
    });
    const keyId = this.stmt.key.get(q.key) as unknown as number | undefined;
    const series = runs.map(({ runId, id }) => {
      const s = keyId === undefined ? undefined : (this.stmt.stats.get(id, keyId) as SeriesStats);
      const has = s !== undefined && s.n !== null && s.n > 0;
      const origin = q.xAxis === 'relative' && has ? s.minTs : 0;
      const extent: [number, number] | null = !has ? null : q.xAxis === 'step' ? [s.minStep, s.maxStep] : [s.minTs - origin, s.maxTs - origin];
      return { runId, id, stats: has ? s : null, origin, extent };
    });
    const extents = series.flatMap((s) => (s.extent ? [s.extent] : []));
    const lo = Math.floor(q.xMin ?? (extents.length ? Math.min(...extents.map((e) => e[0])) : 0));
    const hi = Math.ceil(q.xMax ?? (extents.length ? Math.max(...extents.map((e) => e[1])) : lo));
    let width = Math.max(1, Math.ceil((hi - lo + 1) / q.buckets));
    let x0 = lo;
    let level: (typeof BLOCK_LEVELS)[number] | null = null;
    if (q.xAxis === 'step') {
      level = width >= 2 ** L2.shift ? L2 : width >= 2 ** L1.shift ? L1 : null;
      if (level) {
        const size = 2 ** level.shift;
        width = Math.ceil(width / size) * size;
        x0 = Math.floor(lo / size) * size;
      }
    }
    const bucketCount = Math.floor((hi - x0) / width) + 1;
    const out: ChartSeries[] = series.map((s) => {
      const base = { runId: s.runId, total: s.stats?.n ?? 0, min: s.stats?.min ?? null, max: s.stats?.max ?? null, xFirst: s.extent?.[0] ?? null, xLast: s.extent?.[1] ?? null, origin: s.origin };
      if (!s.stats || keyId === undefined) return { ...base, buckets: [] };
      let rows: BucketRow[];
      if (q.xAxis === 'step' && level) {
        rows = this.stmt.stepBlocks.all({ run: s.id, key: keyId, level: level.level, b0: x0 / 2 ** level.shift, m: width / 2 ** level.shift, b1: Math.floor(hi / 2 ** level.shift) }) as BucketRow[];
      } else if (q.xAxis === 'step') {
        rows = (width === 1 ? this.stmt.stepUnit.all({ run: s.id, key: keyId, x0, x1: hi }) : this.stmt.stepRaw.all({ run: s.id, key: keyId, x0, w: width, x1: hi })) as BucketRow[];
      } else {
        rows = (this.stmt.time.all({ run: s.id, key: keyId, t0: x0 + s.origin, t1: hi + s.origin, w: width }) as BucketRow[]).map((r) => {
          r[5] -= s.origin;
          r[7] -= s.origin;
          return r;
        });
      }
      const buckets: ChartBucket[] = rows
        .filter((r) => r[0] >= 0 && r[0] < bucketCount)
        .map((r) => ({ i: r[0], n: r[1], nans: r[2], min: nanIfNull(r[3]), max: nanIfNull(r[4]), firstX: r[5], first: nanIfNull(r[6]), lastX: r[7], last: nanIfNull(r[8]) }));
      return { ...base, buckets };
    });
    return { key: q.key, xAxis: q.xAxis, x0, bucketWidth: width, bucketCount: extents.length || q.xMin !== undefined ? bucketCount : 0, series: out };
  }

  /** The query plans of the chart statements, for tests that check they read indexes, not scans. */
  plans(): Record<'stepBlocks' | 'stepRaw' | 'stepUnit' | 'time', string[]> {
    const plan = (sql: string) => (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ run: 1, key: 1, level: 1, b0: 0, m: 1, b1: 1, x0: 0, w: 1, x1: 1, t0: 0, t1: 1 }) as Array<{ detail: string }>).map((r) => r.detail);
    return { stepBlocks: plan(STEP_BLOCKS_SQL), stepRaw: plan(STEP_RAW_SQL), stepUnit: plan(STEP_UNIT_SQL), time: plan(TIME_SQL) };
  }
}
