import type { ColumnProfile, ProfileValue } from '../../../../shared/api/dataset-types';
import type { DuckSession, Row } from './duck';
import { columnBatchSql, inferredTypeOf, kindOf, type QuantileMode } from './column-sql';
import { doubleFromText, exactInteger, isoFromMicros, pythonJson, toCount, toNumber, topValue } from './values';

/** What the profiler knows about a column before computing its statistics. */
export interface ColumnMeta {
  position: number;
  name: string;
  rawName?: string;
  /** Identifier in table `t`. */
  id: string;
  duckType: string;
  /** Marker spellings already turned into NULL, by marker (counted as missing). */
  convertedMarkers?: Record<string, number>;
  /** A table with this text column's value counts (v, n), computed while refining types. */
  valueCounts?: string;
}

/** Cells (rows × columns) one statement handles: short tables batch many columns, long ones go one column per statement. */
const BATCH_CELLS = 1_000_000;
const MAX_BATCH_COLUMNS = 128;

function top5Of(raw: unknown, kind: string, duckType: string): Array<[ProfileValue, number]> {
  const list = (raw ?? []) as Array<{ t: string; n: unknown }>;
  return list.map((e) => [kind === 'nested' ? pythonJson(e.t) : topValue(e.t, kind, duckType), toCount(e.n)]);
}

function numericValue(text: unknown, x: unknown, kind: string): ProfileValue {
  if (text === null || text === undefined) return null;
  if (kind === 'integer') return exactInteger(String(text));
  if (kind === 'decimal') return String(text);
  return typeof x === 'number' ? x : doubleFromText(String(text));
}

/** Turns one profile statement's row into the fixtures' column shape. */
export function toColumnProfile(meta: ColumnMeta, row: Row, rows: number): ColumnProfile {
  const kind = kindOf(meta.duckType);
  const nonnull = toCount(row.nonnull);
  const base: ColumnProfile = {
    name: meta.name,
    position: meta.position,
    ...(meta.rawName !== undefined && meta.rawName !== meta.name ? { raw_name: meta.rawName } : {}),
    inferred_type: nonnull === 0 ? 'empty' : inferredTypeOf(meta.duckType),
    duckdb_type: meta.duckType,
    missing: rows - nonnull,
    distinct: toCount(row.distinct_count),
    mean: null,
    std: null,
    min: null,
    max: null,
    q25: null,
    q50: null,
    q75: null,
    top5: nonnull ? top5Of(row.top5, kind, meta.duckType) : [],
  };
  if (meta.convertedMarkers && Object.keys(meta.convertedMarkers).length) base.missing_markers = meta.convertedMarkers;
  if (nonnull === 0) return base;
  if (kind === 'integer' || kind === 'float' || kind === 'decimal') {
    const qs = (row.qs ?? null) as number[] | null;
    Object.assign(base, {
      mean: toNumber(row.mean),
      std: toNumber(row.sd),
      min: numericValue(row.mn_t, row.mn, kind),
      max: numericValue(row.mx_t, row.mx, kind),
      q25: qs?.[0] ?? null,
      q50: qs?.[1] ?? null,
      q75: qs?.[2] ?? null,
    });
    if (Array.isArray(row.hist_counts) && Array.isArray(row.hist_edges)) {
      base.histogram = { bins: 10, edges: (row.hist_edges as unknown[]).map(Number), counts: (row.hist_counts as unknown[]).map(toCount) };
    }
    if (row.outliers_iqr !== null && row.outliers_iqr !== undefined) base.outliers_iqr = toCount(row.outliers_iqr);
    if (row.outliers_z3 !== null && row.outliers_z3 !== undefined) base.outliers_z3 = toCount(row.outliers_z3);
    if (kind === 'float') {
      const nan = toCount(row.nan_count);
      const pos = toCount(row.posinf_count);
      const neg = toCount(row.neginf_count);
      if (nan || pos || neg) Object.assign(base, { nan_count: nan, posinf_count: pos, neginf_count: neg });
    }
  } else if (kind === 'boolean') {
    Object.assign(base, { mean: toNumber(row.mean), min: row.mn as boolean, max: row.mx as boolean });
  } else if (kind === 'temporal') {
    const tz = base.inferred_type === 'timestamp_tz';
    const date = base.inferred_type === 'date';
    const qs = (row.qs ?? null) as string[] | null;
    const iso = (us: unknown, asDate = false) => (us === null || us === undefined ? null : isoFromMicros(String(us), { tz, date: asDate }));
    const meanUs = toNumber(row.mean_us);
    const sdUs = toNumber(row.sd_us);
    Object.assign(base, {
      min: iso(row.mn_us, date),
      max: iso(row.mx_us, date),
      mean: meanUs === null ? null : isoFromMicros(BigInt(Math.round(meanUs)), { tz }),
      q25: iso(qs?.[0]),
      q50: iso(qs?.[1]),
      q75: iso(qs?.[2]),
    });
    if (sdUs !== null) base.std_seconds = sdUs / 1e6;
    if (Array.isArray(row.hist_counts) && Array.isArray(row.hist_edges)) {
      base.time_histogram = {
        bins: 10,
        edges: (row.hist_edges as unknown[]).map((e) => isoFromMicros(BigInt(Math.round(Number(e))), { tz })),
        counts: (row.hist_counts as unknown[]).map(toCount),
      };
    }
  } else if (kind === 'string') {
    Object.assign(base, {
      min: row.mn as string,
      max: row.mx as string,
      empty_strings: toCount(row.empty_strings),
      whitespace_padded: toCount(row.whitespace_padded),
      length_min: toCount(row.length_min),
      length_max: toCount(row.length_max),
    });
  } else if (kind === 'mixed') {
    const types = (row.type_counts ?? []) as Array<{ type: string; n: unknown; examples: string[] }>;
    const typeCounts: Record<string, number> = {};
    const typeExamples: Record<string, string[]> = {};
    let numeric = 0;
    for (const t of types) {
      typeCounts[t.type] = toCount(t.n);
      typeExamples[t.type] = t.examples;
      if (t.type === 'integer' || t.type === 'float') numeric += toCount(t.n);
    }
    Object.assign(base, {
      type_counts: typeCounts,
      type_examples: typeExamples,
      numeric_share: nonnull ? numeric / nonnull : 0,
      non_numeric_examples: (row.non_numeric_examples ?? []) as string[],
    });
    // A JSON column holding one type only is that type, not 'mixed'.
    if (types.length === 1) base.inferred_type = types[0]!.type as ColumnProfile['inferred_type'];
  }
  return base;
}

/**
 * Profiles every column of table `t` inside DuckDB: columns of one type go in batches (one
 * statement for up to {@link MAX_BATCH_COLUMNS} columns of a short table, one per column of a
 * long one), statements run side by side on the session's connections.
 * @param markers null-marker spellings to count in text columns.
 * @param mode quantiles by quantile_cont ('direct') or from value counts ('counts', bounded memory).
 * @returns the profiles in position order, each with its statement's raw row (findings read extra fields).
 */
export async function profileColumns(duck: DuckSession, metas: ColumnMeta[], rows: number, markers: string[], mode: QuantileMode = 'direct'): Promise<Array<{ profile: ColumnProfile; raw: Row }>> {
  const perBatch = Math.max(1, Math.min(MAX_BATCH_COLUMNS, Math.floor(BATCH_CELLS / Math.max(1, rows))));
  const byType = new Map<string, ColumnMeta[]>();
  for (const m of metas) byType.set(m.duckType, [...(byType.get(m.duckType) ?? []), m]);
  const batches: ColumnMeta[][] = [];
  for (const group of byType.values()) for (let i = 0; i < group.length; i += perBatch) batches.push(group.slice(i, i + perBatch));
  // Numbers and times (their quantiles and histograms cost most) first, so the slowest statement does not start last.
  const weight = (m: ColumnMeta) => ({ integer: 0, float: 0, decimal: 0, temporal: 0, mixed: 1, nested: 1, string: 2, boolean: 3 })[kindOf(m.duckType)];
  batches.sort((a, b) => weight(a[0]!) - weight(b[0]!));
  const results = await duck.parallel(batches.map((b) => columnBatchSql(b.map((m) => m.id), b[0]!.duckType, markers, mode, b[0]!.valueCounts)));
  const out = new Map<number, { profile: ColumnProfile; raw: Row }>();
  batches.forEach((batch, bi) => {
    const rowsOut = results[bi]!;
    batch.forEach((m, k) => {
      const raw = rowsOut.find((r) => Number(r.k) === k + 1) ?? {};
      out.set(m.position, { profile: toColumnProfile(m, raw, rows), raw });
    });
  });
  return metas.map((m) => out.get(m.position)!);
}
