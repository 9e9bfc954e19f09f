import type { InferredType } from '../../../../shared/api/dataset-types';

/**
 * Column profiles are computed inside DuckDB, several columns of one type per statement, from
 * a long relation src(k, v) (k = the column's number in the batch) and its value counts
 * vc(k, v, n). No row reaches JavaScript and every figure is exact:
 * - distinct = rows of vc per k (count(DISTINCT x)); missing = rows − Σn.
 * - mean, std: avg and stddev_samp (ddof 1) over finite values.
 * - q25/q50/q75: linear interpolation between order statistics (DuckDB quantile_cont, pandas
 *   quantile(interpolation='linear')): with N values sorted, h = (N−1)·p, the values at 0-based
 *   ranks ⌊h⌋ and ⌈h⌉, q = lo + (h−⌊h⌋)·(hi−lo): DuckDB's quantile_cont in memory, or the
 *   same from the running sum of the value counts for inputs larger than memory.
 * - histogram: numpy.histogram(values, bins=10): edges i·step + min with step = (max−min)/10
 *   and the last edge = max (±0.5 around a single value); bin ⌊(x−min)/(max−min)·10⌋, then
 *   corrected against those edges as numpy does; the last bin is closed.
 * - outliers_iqr: x < q25 − 1.5·IQR or x > q75 + 1.5·IQR; outliers_z3: |x − mean| > 3·std.
 * - top5: by count descending, then the value's text ascending.
 */

export type ColumnKind = 'integer' | 'float' | 'decimal' | 'boolean' | 'temporal' | 'string' | 'nested' | 'mixed';

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/** How a DuckDB type is profiled. */
export function kindOf(duckType: string): ColumnKind {
  const t = duckType.toUpperCase();
  if (INTEGER_TYPES.test(t)) return 'integer';
  if (t === 'DOUBLE' || t === 'FLOAT' || t === 'REAL') return 'float';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE' || t.startsWith('TIMESTAMP')) return 'temporal';
  if (t === 'JSON') return 'mixed';
  if (t.endsWith(']') || t.startsWith('STRUCT') || t.startsWith('MAP') || t.startsWith('UNION')) return 'nested';
  return 'string';
}

/** The fixtures' type name for a DuckDB type (a column with no value at all is 'empty' instead). */
export function inferredTypeOf(duckType: string): InferredType {
  const t = duckType.toUpperCase();
  switch (kindOf(t)) {
    case 'integer':
      return 'integer';
    case 'float':
      return 'float';
    case 'decimal':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    case 'temporal':
      return t === 'DATE' ? 'date' : t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ' ? 'timestamp_tz' : 'timestamp';
    case 'mixed':
      return 'mixed';
    case 'nested':
      return t.endsWith(']') ? 'list' : 'struct';
    default:
      return 'string';
  }
}

/** Characters Python's str.strip() removes (ASCII and Unicode whitespace), as a DuckDB expression. */
export const WHITESPACE_SQL = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288]
  .map((c) => `chr(${c})`)
  .join(' || ');

/** src(k, v[, r]): one column as is, several of one type unnested side by side. */
function source(cols: string[], cast: string, withRow: boolean): string {
  const v = (c: string) => (cast ? `${c}::${cast}` : c);
  const r = withRow ? ', rowid AS r' : '';
  if (cols.length === 1) return `SELECT 1 AS k, ${v(cols[0]!)} AS v${r} FROM t`;
  return `SELECT unnest([${cols.map((_, i) => i + 1).join(', ')}]) AS k, unnest([${cols.map(v).join(', ')}]) AS v${r} FROM t`;
}

const keys = (n: number) => `keys AS (SELECT unnest(range(1, ${n + 1})) AS k)`;
/**
 * Top five per k. One column: a top-N over its value counts (no full sort). Several: only
 * counts ≥ the 5th largest per column are candidates, ranked with a window.
 */
function top5Ctes(text: string, single: boolean): string {
  if (single) {
    return `top AS (SELECT 1 AS k, list({'t': t, 'n': n} ORDER BY n DESC, t) AS top5 FROM (
  SELECT ${text} AS t, vc.n FROM vc WHERE vc.n >= coalesce((SELECT n FROM vc ORDER BY n DESC LIMIT 1 OFFSET 4), 0) ORDER BY vc.n DESC, t LIMIT 5))`;
  }
  return `k5 AS (SELECT k, n AS kn FROM (SELECT k, n, row_number() OVER (PARTITION BY k ORDER BY n DESC) AS rn FROM vc) WHERE rn = 5),
top AS (SELECT k, list({'t': t, 'n': n} ORDER BY n DESC, t) AS top5 FROM (
  SELECT k, t, n, row_number() OVER (PARTITION BY k ORDER BY n DESC, t) AS rn FROM (
    SELECT vc.k, ${text} AS t, vc.n FROM vc LEFT JOIN k5 ON k5.k = vc.k WHERE vc.n >= coalesce(k5.kn, 0)))
  WHERE rn <= 5 GROUP BY k)`;
}
/** How exact quantiles are computed: 'direct' picks per column, 'counts' always uses value counts (bounded memory). */
export type QuantileMode = 'direct' | 'counts';

/**
 * Exact quantiles from the value counts f(k, x, n). With cum the running count in x order,
 * the value at 0-based rank r is the smallest x whose cum exceeds r (x grows with cum), so
 * the six ranks three quantiles need are six filtered minimums in one pass.
 */
function countQuantileCtes(interp: (lo: string, hi: string, d: string) => string, when: string): string {
  // Ranks and fractions once per column, in BIGINT and DOUBLE (DECIMAL arithmetic per row is slow).
  const ranks = [0.25, 0.5, 0.75]
    .map((p, i) => `floor((cnt - 1) * ${p}::DOUBLE)::BIGINT AS lo${i}, ceil((cnt - 1) * ${p}::DOUBLE)::BIGINT AS hi${i}, (cnt - 1) * ${p}::DOUBLE - floor((cnt - 1) * ${p}::DOUBLE) AS d${i}`)
    .join(', ');
  const at = (rank: string) => `min(c.x) FILTER (WHERE c.cum > s.${rank})`;
  const q = (i: number) => interp(at(`lo${i}`), at(`hi${i}`), `s.d${i}`);
  return `c AS (SELECT k, x, (sum(n) OVER (PARTITION BY k ORDER BY x ROWS UNBOUNDED PRECEDING))::BIGINT AS cum FROM f WHERE ${when}),
s AS (SELECT k, ${ranks} FROM (SELECT k, sum(n)::BIGINT AS cnt FROM f GROUP BY k)),
cq AS MATERIALIZED (SELECT c.k, [${q(0)}, ${q(1)}, ${q(2)}] AS qs FROM c JOIN s ON s.k = c.k GROUP BY c.k, s.lo0, s.hi0, s.d0, s.lo1, s.hi1, s.d1, s.lo2, s.hi2, s.d2)`;
}

/**
 * When quantiles come from value counts: always in 'counts' mode; otherwise for one column
 * whose distinct values are at most a fifth of its values (sorting them is cheaper than
 * DuckDB's quantile_cont over every value). Short multi-column batches use quantile_cont.
 */
function countsWhen(mode: QuantileMode, single: boolean): string {
  if (mode === 'counts') return 'true';
  return single ? '(SELECT count(*) * 5 FROM vc) <= (SELECT sum(n) FROM vc)' : 'false';
}

/** Shared shape of a batch: one column is aggregated without GROUP BY (DuckDB's grouped quantile is far slower), several by k. */
function batchShape(cols: string[], cast: string, withRow: boolean) {
  const single = cols.length === 1;
  return {
    single,
    head: `${keys(cols.length)}, src AS (${source(cols, cast, withRow)}), vc AS MATERIALIZED (SELECT ${single ? '1 AS k' : 'k'}, v, count(*)::BIGINT AS n FROM src WHERE v IS NOT NULL GROUP BY ${single ? 'v' : 'k, v'})`,
    k: single ? '1 AS k' : 'k',
    groupBy: single ? '' : 'GROUP BY k',
  };
}

/**
 * numpy.histogram(x, bins=10) per k over f(k, x, n), from `range`(k, mn, mx, cnt): edges
 * i·step + lo (the last = hi), bins corrected against the edges as numpy does. With
 * `outliers`, the same pass counts IQR and 3σ outliers (range must then have qs, mean, sd).
 */
function histogramCtes(range: string, single: boolean, outliers: boolean): string {
  const on = (a: string, b: string) => (single ? `CROSS JOIN ${b}` : `JOIN ${b} ON ${b}.k = ${a}.k`);
  const flags = outliers
    ? `, (f.x < r.qs[1] - 1.5 * (r.qs[3] - r.qs[1]) OR f.x > r.qs[3] + 1.5 * (r.qs[3] - r.qs[1])) AS is_iqr, abs(f.x - r.mean) > 3 * r.sd AS is_z3, r.sd IS NULL AS no_sd`
    : '';
  const sums = outliers ? `, sum(n) FILTER (WHERE is_iqr) AS iqr, sum(n) FILTER (WHERE is_z3) AS z3, bool_or(no_sd) AS no_sd` : '';
  return `st AS (SELECT k, lo, hi, (hi - lo) / 10 AS step FROM (SELECT k, CASE WHEN mn = mx THEN mn - 0.5 ELSE mn END AS lo, CASE WHEN mn = mx THEN mx + 0.5 ELSE mx END AS hi FROM ${range} WHERE cnt > 0)),
b AS (SELECT f.k, f.x, f.n, st.lo, st.step, least(floor((f.x - st.lo) / (st.hi - st.lo) * 10)::BIGINT, 9) AS b0${flags} FROM f ${on('f', 'st')}${outliers ? ` ${single ? 'CROSS JOIN' : 'JOIN'} ${range} AS r${single ? '' : ' ON r.k = f.k'}` : ''}),
hb AS MATERIALIZED (SELECT k, CASE WHEN x < b0 * step + lo THEN b0 - 1 WHEN b0 < 9 AND x >= (b0 + 1) * step + lo THEN b0 + 1 ELSE b0 END AS bin, sum(n) AS cnt${sums} FROM b GROUP BY ALL),
hist AS (SELECT st.k, list(coalesce(hb.cnt, 0) ORDER BY r.i) AS counts FROM st CROSS JOIN range(10) AS r(i) LEFT JOIN hb ON hb.k = st.k AND hb.bin = r.i GROUP BY st.k),
edges AS (SELECT k, list(CASE WHEN i = 10 THEN hi ELSE i * step + lo END ORDER BY i) AS edges FROM st CROSS JOIN range(11) AS e(i) GROUP BY k)${
    outliers ? `,
o AS (SELECT k, coalesce(sum(iqr), 0) AS iqr, CASE WHEN bool_or(no_sd) THEN NULL ELSE coalesce(sum(z3), 0) END AS z3 FROM hb GROUP BY k)` : ''
  }`;
}

function numericSql(cols: string[], kind: 'integer' | 'float' | 'decimal', duckType: string, mode: QuantileMode): string {
  const finite = kind === 'float' ? `isfinite(v)` : 'true';
  const extra =
    kind === 'float'
      ? `, sum(n) FILTER (WHERE isnan(v)) AS nan_count, sum(n) FILTER (WHERE v = 'inf'::DOUBLE) AS posinf_count, sum(n) FILTER (WHERE v = '-inf'::DOUBLE) AS neginf_count, coalesce(sum(n) FILTER (WHERE isfinite(v) AND v <> trunc(v)), 0) AS fractional`
      : kind === 'integer'
        ? `, sum(n) FILTER (WHERE v > 9007199254740991 OR v < -9007199254740991) AS beyond_2p53`
        : '';
  const b = batchShape(cols, '', false);
  const when = countsWhen(mode, b.single);
  // quantile_cont on the column's own type where it interpolates in double; otherwise on doubles.
  const native = /^(BIGINT|INTEGER|SMALLINT|TINYINT|DOUBLE|FLOAT)$/.test(duckType.toUpperCase());
  return `WITH ${b.head},
f AS MATERIALIZED (SELECT k, v, v::DOUBLE AS x, n FROM vc WHERE ${finite}),
agg AS (SELECT k, count(*) AS distinct_count, sum(n) AS nonnull${extra} FROM vc GROUP BY k),
m AS (SELECT ${b.k}, avg(v)::DOUBLE AS mean, stddev_samp(v::DOUBLE) AS sd FROM src WHERE v IS NOT NULL AND ${finite} ${b.groupBy}),
mm AS (SELECT k, sum(n) AS cnt, min(x) AS mn, max(x) AS mx, min(v)::VARCHAR AS mn_t, max(v)::VARCHAR AS mx_t FROM f GROUP BY k),
dq AS (SELECT ${b.k}, quantile_cont(${native ? 'v' : 'v::DOUBLE'}, [0.25, 0.5, 0.75])::DOUBLE[] AS qs FROM src WHERE v IS NOT NULL AND ${finite} AND NOT (${when}) ${b.groupBy}),
${countQuantileCtes((lo, hi, d) => `${lo} + ${d} * (${hi} - ${lo})`, when)},
mq AS MATERIALIZED (SELECT mm.*, m.mean, m.sd, coalesce(cq.qs, dq.qs) AS qs FROM mm LEFT JOIN m USING (k) LEFT JOIN cq USING (k) LEFT JOIN dq USING (k)),
${histogramCtes('mq', b.single, true)},
${top5Ctes('vc.v::VARCHAR', b.single)}
SELECT keys.k, agg.*, mq.mean, mq.sd, mq.cnt AS finite_count, mq.mn, mq.mx, mq.mn_t, mq.mx_t, mq.qs, o.iqr AS outliers_iqr, o.z3 AS outliers_z3,
  hist.counts AS hist_counts, edges.edges AS hist_edges, top.top5
FROM keys LEFT JOIN agg USING (k) LEFT JOIN mq USING (k) LEFT JOIN o USING (k)
  LEFT JOIN hist USING (k) LEFT JOIN edges USING (k) LEFT JOIN top USING (k) ORDER BY keys.k`;
}

function booleanSql(cols: string[]): string {
  return `WITH ${batchShape(cols, '', false).head},
agg AS (SELECT k, count(*) AS distinct_count, sum(n) AS nonnull, min(v) AS mn, max(v) AS mx, sum(n * v::INTEGER)::DOUBLE / sum(n) AS mean FROM vc GROUP BY k),
${top5Ctes('vc.v::VARCHAR', cols.length === 1)}
SELECT keys.k, agg.*, top.top5 FROM keys LEFT JOIN agg USING (k) LEFT JOIN top USING (k) ORDER BY keys.k`;
}

/** Timestamps and dates: ordered and interpolated on epoch microseconds (BIGINT, exact). */
function temporalSql(cols: string[], duckType: string, mode: QuantileMode): string {
  const date = duckType.toUpperCase() === 'DATE';
  const us = (e: string) => (date ? `epoch_us(${e}::TIMESTAMP)` : `epoch_us(${e})`);
  const b = batchShape(cols, '', false);
  const when = countsWhen(mode, b.single);
  return `WITH ${b.head},
f AS MATERIALIZED (SELECT k, v, ${us('v')} AS x, n FROM vc),
agg AS (SELECT k, count(*) AS distinct_count, sum(n) AS nonnull, min(x)::VARCHAR AS mn_us, max(x)::VARCHAR AS mx_us FROM f GROUP BY k),
hr AS (SELECT k, sum(n) AS cnt, min(x)::DOUBLE AS mn, max(x)::DOUBLE AS mx FROM f GROUP BY k),
${histogramCtes('hr', b.single, false)},
m AS (SELECT ${b.k}, avg(${us('v')})::DOUBLE AS mean_us, stddev_samp(${us('v')}::DOUBLE) AS sd_us FROM src WHERE v IS NOT NULL ${b.groupBy}),
dq AS (SELECT ${b.k}, list_transform(quantile_cont(${date ? 'v::TIMESTAMP' : 'v'}, [0.25, 0.5, 0.75]), q -> epoch_us(q)::VARCHAR) AS qs FROM src WHERE v IS NOT NULL AND NOT (${when}) ${b.groupBy}),
${countQuantileCtes((lo, hi, d) => `(${lo} + round(${d} * (${hi} - ${lo}))::BIGINT)::VARCHAR`, when)},
${top5Ctes('vc.v::VARCHAR', b.single)}
SELECT keys.k, agg.*, m.mean_us, m.sd_us, coalesce(cq.qs, dq.qs) AS qs, top.top5, hist.counts AS hist_counts, edges.edges AS hist_edges
FROM keys LEFT JOIN agg USING (k) LEFT JOIN m USING (k) LEFT JOIN cq USING (k) LEFT JOIN dq USING (k) LEFT JOIN top USING (k)
  LEFT JOIN hist USING (k) LEFT JOIN edges USING (k) ORDER BY keys.k`;
}

function stringSql(cols: string[], markers: string[], counts?: string): string {
  const markerList = markers.map((m) => `'${m.replace(/'/g, "''")}'`).join(', ');
  const head = counts ? `${keys(1)}, vc AS (SELECT 1 AS k, v, n FROM ${counts})` : batchShape(cols, 'VARCHAR', false).head;
  return `WITH ${head},
agg AS (SELECT k, count(*) AS distinct_count, sum(n) AS nonnull, min(v) AS mn, max(v) AS mx, min(length(v)) AS length_min, max(length(v)) AS length_max,
  coalesce(sum(n) FILTER (WHERE v = ''), 0) AS empty_strings, coalesce(sum(n) FILTER (WHERE v <> trim(v, ${WHITESPACE_SQL})), 0) AS whitespace_padded,
  list({'m': v, 'n': n}) FILTER (WHERE v IN (${markerList})) AS markers FROM vc GROUP BY k),
${top5Ctes('vc.v', cols.length === 1)}
SELECT keys.k, agg.*, top.top5 FROM keys LEFT JOIN agg USING (k) LEFT JOIN top USING (k) ORDER BY keys.k`;
}

function nestedSql(cols: string[]): string {
  return `WITH ${batchShape(cols, '', false).head},
agg AS (SELECT k, count(*) AS distinct_count, sum(n) AS nonnull FROM vc GROUP BY k),
${top5Ctes('to_json(vc.v)::VARCHAR', cols.length === 1)}
SELECT keys.k, agg.*, top.top5 FROM keys LEFT JOIN agg USING (k) LEFT JOIN top USING (k) ORDER BY keys.k`;
}

/** JSON-typed columns (numbers in some records, strings in others): per-type counts and examples. */
function mixedSql(cols: string[]): string {
  return `WITH ${keys(cols.length)}, src AS (${source(cols, '', true)}),
vc AS MATERIALIZED (
  SELECT k, CASE json_type(v) WHEN 'BIGINT' THEN 'integer' WHEN 'UBIGINT' THEN 'integer' WHEN 'DOUBLE' THEN 'float' WHEN 'VARCHAR' THEN 'string'
              WHEN 'BOOLEAN' THEN 'boolean' WHEN 'ARRAY' THEN 'list' WHEN 'OBJECT' THEN 'struct' ELSE lower(json_type(v)) END AS jt,
         CASE WHEN json_type(v) = 'VARCHAR' THEN v ->> '$' ELSE v::VARCHAR END AS v, count(*)::BIGINT AS n, min(r) AS r0
  FROM src WHERE v IS NOT NULL AND json_type(v) <> 'NULL' GROUP BY ALL),
agg AS (SELECT k, count(*) AS distinct_count, sum(n) AS nonnull FROM vc GROUP BY k),
tc AS (SELECT k, list({'type': jt, 'n': n, 'examples': examples} ORDER BY jt) AS type_counts FROM (SELECT k, jt, sum(n) AS n, list(v ORDER BY r0)[1:3] AS examples FROM vc GROUP BY k, jt) GROUP BY k),
nn AS (SELECT k, list(v ORDER BY r0)[1:5] AS non_numeric_examples, min(r0) AS first_non_numeric_row FROM vc WHERE jt NOT IN ('integer', 'float') GROUP BY k),
${top5Ctes(`'<' || vc.jt || '>' || vc.v`, cols.length === 1)}
SELECT keys.k, agg.*, tc.type_counts, nn.non_numeric_examples, nn.first_non_numeric_row, top.top5
FROM keys LEFT JOIN agg USING (k) LEFT JOIN tc USING (k) LEFT JOIN nn USING (k) LEFT JOIN top USING (k) ORDER BY keys.k`;
}

/**
 * The profile statement for columns `cols` (identifiers of table `t`, all of DuckDB type
 * `duckType`): one result row per column, in order, with `k` = its 1-based index in `cols`.
 * `markers` are the null-marker spellings counted in text columns; `mode` how quantiles are
 * computed (both exact, see {@link QuantileMode}); `counts` a table already holding one
 * text column's value counts (v, n).
 */
export function columnBatchSql(cols: string[], duckType: string, markers: string[], mode: QuantileMode = 'direct', counts?: string): string {
  const kind = kindOf(duckType);
  switch (kind) {
    case 'integer':
    case 'float':
    case 'decimal':
      return numericSql(cols, kind, duckType, mode);
    case 'boolean':
      return booleanSql(cols);
    case 'temporal':
      return temporalSql(cols, duckType, mode);
    case 'nested':
      return nestedSql(cols);
    case 'mixed':
      return mixedSql(cols);
    default:
      return stringSql(cols, markers, cols.length === 1 ? counts : undefined);
  }
}
