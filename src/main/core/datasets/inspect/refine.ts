import type { Finding } from '../../../../shared/api/dataset-types';
import type { DuckSession } from './duck';
import { lit } from './duck';
import { colId, type TypeBreak } from './csv-loader';

/**
 * Spellings of "no value" found in real files: pandas' default na_values plus '-', '--',
 * '?', 'none', 'nil', 'missing'. They count as missing only where that makes an otherwise
 * numeric or date column clean: in a text column 'NA' may be Namibia.
 */
export const NULL_MARKERS = [
  '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
  '-', '--', '?', 'none', 'NONE', 'Null', 'NIL', 'nil', 'missing', 'MISSING',
];
const MARKERS_SQL = NULL_MARKERS.map(lit).join(', ');

export interface RefineContext {
  duck: DuckSession;
  /** DuckDB type per position (index 0 = position 1); updated in place. */
  types: string[];
  names: string[];
  delimiter: string;
  /** Rows of table t. */
  rows: number;
  tzColumns: number[];
  typeBreaks: TypeBreak[];
  /** 1-based physical lines of rows (by rowid of table t). */
  linesOf(rowids: number[]): Promise<number[]>;
  /** Conversions applied, by position: SQL over the loaded column c<pos> (to reproduce the read). */
  conversions: Map<number, string>;
}

export interface RefineResult {
  findings: Finding[];
  /** Markers turned into NULL, per position. */
  convertedMarkers: Map<number, Record<string, number>>;
}

interface TextStats {
  k: number;
  nonnull: number;
  marker_n: number;
  markers: Array<{ m: string; n: unknown }> | null;
  int_n: number;
  num_n: number;
  bool_n: number;
  dc_n: number;
  comma_n: number;
  date_n: number;
  ts_n: number;
  tstz_n: number;
  off_n: number;
  big_n: number;
  thousands_r0: number | null;
  thousands_v: string | null;
  marker_r0: number | null;
}

const OFFSET_RE = `'\\d:\\d\\d(?::\\d\\d(?:[.,]\\d+)?)?\\s*(Z|z|[+-]\\d\\d(?::?\\d\\d)?|UTC|GMT)$'`;
/** Cells per statement: short tables check many text columns at once, long ones one each (side by side). */
const TEXT_BATCH_CELLS = 1_000_000;

/** The table keeping a long text column's value counts for its profile statement (see valueCountsTable). */
export const valueCountsTable = (c: string) => `vct_${c}`;

function textStatsSql(cols: string[]): string {
  const nm = `v NOT IN (${MARKERS_SQL})`;
  // One column of a long table: its value counts are kept in a table, so the profile does not group it again.
  const keep = cols.length === 1 ? `CREATE OR REPLACE TABLE ${valueCountsTable(cols[0]!)} AS SELECT ${cols[0]} AS v, count(*)::BIGINT AS n, min(rowid) AS r0 FROM t WHERE ${cols[0]} IS NOT NULL GROUP BY ALL;
` : '';
  const src = `SELECT unnest(range(1, ${cols.length + 1})) AS k, unnest([${cols.join(', ')}]) AS v, rowid AS r FROM t`;
  // Group the raw text first (few distinct values in most columns), trim afterwards.
  const vc0 = keep ? `SELECT 1 AS k, v, n, r0 FROM ${valueCountsTable(cols[0]!)}` : `SELECT k, v, count(*)::BIGINT AS n, min(r) AS r0 FROM (${src}) WHERE v IS NOT NULL GROUP BY k, v`;
  return `${keep}WITH vc0 AS (${vc0}),
vc AS (SELECT k, trim(v) AS v, sum(n)::BIGINT AS n, min(r0) AS r0 FROM vc0 GROUP BY k, trim(v))
SELECT k, coalesce(sum(n), 0)::BIGINT AS nonnull,
  coalesce(sum(n) FILTER (WHERE v IN (${MARKERS_SQL})), 0)::BIGINT AS marker_n,
  list({'m': v, 'n': n} ORDER BY r0) FILTER (WHERE v IN (${MARKERS_SQL})) AS markers,
  min(r0) FILTER (WHERE v IN (${MARKERS_SQL})) AS marker_r0,
  coalesce(sum(n) FILTER (WHERE ${nm} AND regexp_full_match(v, '[-+]?\\d+')), 0)::BIGINT AS int_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND regexp_full_match(v, '[-+]?\\d+') AND TRY_CAST(v AS BIGINT) IS NULL), 0)::BIGINT AS big_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND TRY_CAST(v AS DOUBLE) IS NOT NULL AND NOT regexp_full_match(lower(v), '[-+]?(nan|inf|infinity)')), 0)::BIGINT AS num_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND lower(v) IN ('true', 'false')), 0)::BIGINT AS bool_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND regexp_full_match(v, '[-+]?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?')), 0)::BIGINT AS dc_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND contains(v, ',')), 0)::BIGINT AS comma_n,
  min(r0) FILTER (WHERE ${nm} AND regexp_full_match(v, '[-+]?\\d{1,3}(\\.\\d{3})+(,\\d+)?')) AS thousands_r0,
  arg_min(v, r0) FILTER (WHERE ${nm} AND regexp_full_match(v, '[-+]?\\d{1,3}(\\.\\d{3})+(,\\d+)?')) AS thousands_v,
  coalesce(sum(n) FILTER (WHERE ${nm} AND TRY_CAST(v AS DATE) IS NOT NULL), 0)::BIGINT AS date_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND TRY_CAST(v AS TIMESTAMP) IS NOT NULL), 0)::BIGINT AS ts_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND TRY_CAST(v AS TIMESTAMPTZ) IS NOT NULL), 0)::BIGINT AS tstz_n,
  coalesce(sum(n) FILTER (WHERE ${nm} AND regexp_extract(v, ${OFFSET_RE}, 1) <> ''), 0)::BIGINT AS off_n
FROM vc GROUP BY k ORDER BY k`;
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

async function alter(ctx: RefineContext, pos: number, type: string, conv: (x: string) => string): Promise<void> {
  const c = colId(pos);
  await ctx.duck.run(`DROP TABLE IF EXISTS ${valueCountsTable(c)}`);
  const expr = `CASE WHEN trim(${c}) IN (${MARKERS_SQL}) THEN NULL ELSE ${conv(`trim(${c})`)} END`;
  await ctx.duck.run(`ALTER TABLE t ALTER ${c} SET DATA TYPE ${type} USING (${expr})`);
  ctx.types[pos - 1] = type;
  ctx.conversions.set(pos, expr);
}

/** Text columns: null markers hiding numbers or dates, decimal commas; reports what broke a sniffed type. */
async function refineText(ctx: RefineContext, pos: number, row: TextStats, out: RefineResult): Promise<void> {
  const name = ctx.names[pos - 1]!;
  const nonnull = num(row.nonnull);
  const markerN = num(row.marker_n);
  const plain = nonnull - markerN;
  const broke = ctx.typeBreaks.find((b) => b.position === pos);
  const markers: Record<string, number> = {};
  for (const m of row.markers ?? []) markers[m.m] = num(m.n);
  const markerText = Object.entries(markers).map(([m, n]) => `'${m}' ×${n}`).join(', ');
  // Every value apart from markers parses as one type: the column is of that type (pandas agrees).
  let converted: string | null = null;
  if (plain > 0) {
    if (num(row.int_n) === plain) converted = num(row.big_n) > 0 ? 'HUGEINT' : 'BIGINT';
    else if (num(row.num_n) === plain) converted = 'DOUBLE';
    else if (num(row.bool_n) === plain) converted = 'BOOLEAN';
    else if (num(row.date_n) === plain) converted = 'DATE';
    else if (num(row.ts_n) === plain && num(row.off_n) === 0) converted = 'TIMESTAMP';
    else if (num(row.tstz_n) === plain && num(row.off_n) > 0 && markerN === 0) return refineTimeZones(ctx, pos, out);
  }
  if (converted && markerN === 0) {
    await alter(ctx, pos, converted, (x) => `TRY_CAST(${x} AS ${converted})`);
    if (broke) await reportBreak(ctx, pos, broke.sniffed, nonnull, `the column is read as ${converted}`, out);
    return;
  }
  if (converted) {
    await alter(ctx, pos, converted, (x) => `TRY_CAST(${x} AS ${converted})`);
    out.convertedMarkers.set(pos, markers);
    const [line] = row.marker_r0 !== null ? await ctx.linesOf([num(row.marker_r0)]) : [undefined];
    out.findings.push({
      kind: 'missing_markers',
      severity: 'warning',
      column: name,
      line,
      message: `${name}: ${markerN} cell${markerN === 1 ? '' : 's'} hold${markerN === 1 ? 's' : ''} a missing-value marker (${markerText}) and ${markerN === 1 ? 'is' : 'are'} counted as missing; the other values are ${converted === 'DOUBLE' ? 'numbers' : converted.toLowerCase()}.`,
      details: { markers },
    });
    return;
  }
  if (ctx.delimiter !== ',' && plain > 0 && num(row.dc_n) === plain && num(row.comma_n) > 0) {
    await alter(ctx, pos, 'DOUBLE', (x) => `TRY_CAST(replace(replace(${x}, '.', ''), ',', '.') AS DOUBLE)`);
    if (markerN) out.convertedMarkers.set(pos, markers);
    const r0 = row.thousands_r0;
    const [line] = r0 !== null ? await ctx.linesOf([num(r0)]) : [undefined];
    out.findings.push({
      kind: 'decimal_comma',
      severity: 'info',
      column: name,
      line,
      value: row.thousands_v ?? undefined,
      message:
        `${name}: numbers written with a decimal comma${r0 !== null ? ` and '.' as thousands separator ('${row.thousands_v}' on line ${line}, the first value a decimal-comma-only parser rejects)` : ''}; read as floats.`,
    });
    return;
  }
  if (markerN > 0) {
    out.findings.push({
      kind: 'marker_like_text',
      severity: 'info',
      column: name,
      message: `${name}: ${markerN} value${markerN === 1 ? '' : 's'} look${markerN === 1 ? 's' : ''} like missing markers (${markerText}) but the column is text, so ${markerN === 1 ? 'it is' : 'they are'} kept as values.`,
      details: { markers },
    });
  }
  if (broke) await reportBreak(ctx, pos, broke.sniffed, nonnull, 'the column is text', out);
}

/** The first value (and its line) that does not parse as the type DuckDB's sample suggested. */
async function reportBreak(ctx: RefineContext, pos: number, sniffed: string, nonnull: number, conclusion: string, out: RefineResult): Promise<void> {
  const c = colId(pos);
  const name = ctx.names[pos - 1]!;
  const first = (await ctx.duck.all(
    `SELECT rowid AS r, ${c}::VARCHAR AS v, (SELECT count(TRY_CAST(trim(${c}::VARCHAR) AS ${sniffed})) FROM t) AS ok FROM t WHERE ${c} IS NOT NULL AND TRY_CAST(trim(${c}::VARCHAR) AS ${sniffed}) IS NULL ORDER BY rowid LIMIT 1`,
  ))[0];
  if (!first) return;
  const [line] = await ctx.linesOf([num(first.r)]);
  const ok = num(first.ok);
  out.findings.push({
    kind: 'type_break',
    severity: 'warning',
    column: name,
    line,
    value: String(first.v),
    message: `${name}: the first ${num(first.r).toLocaleString('en-US')} values read as ${sniffed} (DuckDB's sample said so), but line ${line} holds '${first.v}'; ${ok.toLocaleString('en-US')} of ${nonnull.toLocaleString('en-US')} values parse as ${sniffed}, so ${conclusion}.`,
    details: { sniffedType: sniffed, parsable: ok, values: nonnull },
  });
}

/** Columns DuckDB typed TIMESTAMPTZ: report mixed UTC offsets and naive values, then read all as UTC instants. */
async function refineTimeZones(ctx: RefineContext, pos: number, out: RefineResult): Promise<void> {
  const c = colId(pos);
  const name = ctx.names[pos - 1]!;
  const rows = await ctx.duck.all(`WITH vc AS (SELECT ${c} AS v, count(*)::BIGINT AS n, min(rowid) AS r0 FROM t WHERE ${c} IS NOT NULL GROUP BY ALL)
SELECT regexp_extract(v, '\\d:\\d\\d(?::\\d\\d(?:[.,]\\d+)?)?\\s*(Z|z|[+-]\\d\\d(?::?\\d\\d)?|UTC|GMT)$', 1) AS off, sum(n)::BIGINT AS n, min(r0) AS r0,
  coalesce(sum(n) FILTER (WHERE TRY_CAST(v AS TIMESTAMPTZ) IS NULL), 0)::BIGINT AS bad
FROM vc GROUP BY off ORDER BY r0`);
  if (rows.some((r) => num(r.bad) > 0)) return; // not all timestamps: stays text
  await ctx.duck.run(`DROP TABLE IF EXISTS ${valueCountsTable(c)}`);
  await ctx.duck.run(`ALTER TABLE t ALTER ${c} SET DATA TYPE TIMESTAMPTZ USING TRY_CAST(${c} AS TIMESTAMPTZ)`);
  ctx.types[pos - 1] = 'TIMESTAMP WITH TIME ZONE';
  ctx.conversions.set(pos, `TRY_CAST(${c} AS TIMESTAMPTZ)`);
  const offsets: Record<string, number> = {};
  let naive = 0;
  let naiveRow: number | null = null;
  for (const r of rows) {
    if (r.off === '') (naive += num(r.n)), (naiveRow = naiveRow ?? num(r.r0));
    else offsets[String(r.off)] = num(r.n);
  }
  if (Object.keys(offsets).length + (naive ? 1 : 0) <= 1) return;
  const [line] = naiveRow !== null ? await ctx.linesOf([naiveRow]) : [undefined];
  const list = Object.entries(offsets).map(([o, n]) => `${o} ×${n}`).join(', ');
  out.findings.push({
    kind: 'timezone_mixed',
    severity: 'warning',
    column: name,
    line,
    message: `${name}: timestamps with different UTC offsets (${list})${naive ? ` and ${naive} without an offset (first on line ${line}), taken as UTC` : ''}; all are compared as UTC instants.`,
    details: { offsets, naive },
  });
}

/**
 * Corrects the types DuckDB's sniffer chose from its sample, in SQL over table `t`: text
 * columns that are numbers or dates apart from null markers, decimal-comma numbers,
 * and timestamps with mixed offsets. (DOUBLE columns that really are integers beyond int64
 * are found from their profile, see `reloadForBigIntegers`.)
 */
export async function refineTypes(ctx: RefineContext): Promise<RefineResult> {
  const out: RefineResult = { findings: [], convertedMarkers: new Map() };
  for (const pos of ctx.tzColumns) await refineTimeZones(ctx, pos, out);
  const text: number[] = [];
  for (let pos = 1; pos <= ctx.types.length; pos++) if (ctx.types[pos - 1] === 'VARCHAR' && !ctx.tzColumns.includes(pos)) text.push(pos);
  const per = Math.max(1, Math.min(64, Math.floor(TEXT_BATCH_CELLS / Math.max(1, ctx.rows))));
  const batches: number[][] = [];
  for (let i = 0; i < text.length; i += per) batches.push(text.slice(i, i + per));
  const results = await ctx.duck.parallel(batches.map((b) => textStatsSql(b.map(colId))));
  for (let b = 0; b < batches.length; b++) {
    for (const row of results[b] as unknown as TextStats[]) await refineText(ctx, batches[b]![num(row.k) - 1]!, row, out);
  }
  return out;
}
