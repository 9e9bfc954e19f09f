import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatasetProfile, Finding } from '../../../../shared/api/dataset-types';
import { readHead, type HeadSample } from './head-sample';
import { decodeHead, detectEncoding, transcodeToUtf8, type EncodingInfo } from './encoding';
import { dedupeNames, detectDialect, type CsvDialect } from './dialect';
import { DuckSession, lit } from './duck';
import { colId, loadCsv, type CsvLoadResult, type CsvSource } from './csv-loader';
import { NULL_MARKERS, refineTypes, valueCountsTable } from './refine';
import { loadNested, reproducibleSelect } from './nested-loader';
import { linesOfRows } from './row-lines';
import { profileColumns, type ColumnMeta } from './column-profile';
import type { QuantileMode } from './column-sql';
import { columnFindings, dialectFindings, encodingFindings, raggedFindings } from './findings';
import { compareWithDuckAuto } from './autodetect';

/** Profile revision: bump when figures or findings change, so cached profiles are recomputed. */
export const PROFILER_VERSION = 'lathe-profile/1';
/** Inputs above this size are loaded into an on-disk DuckDB database (bounded memory). */
export const ON_DISK_BYTES = 256 * 1024 * 1024;

export interface ProfileOptions {
  /** Folder for DuckDB spill files, transcoded copies and on-disk databases. */
  tempDir: string;
  /** SHA-256 of the file when known (recorded in the profile). */
  sha256?: string | null;
  /** Path to show in the profile (default: the file). */
  displayPath?: string;
  signal?: AbortSignal;
  /** Force DuckDB's on-disk mode (default: above {@link ON_DISK_BYTES}). */
  onDisk?: boolean;
  /** Quantile computation (default: 'counts' on disk, 'direct' in memory); both exact. */
  quantiles?: QuantileMode;
}

function skeleton(file: string, bytes: number, opts: ProfileOptions, head: HeadSample | null): DatasetProfile {
  return {
    profiler: PROFILER_VERSION,
    file: { path: opts.displayPath ?? file, bytes, sha256: opts.sha256 ?? null },
    format: head?.format ?? 'csv',
    compression: head?.compression ?? null,
    encoding: 'UTF-8',
    delimiter: null,
    quote: null,
    header: null,
    skip_rows: 0,
    line_endings: null,
    rows: 0,
    columns: [],
    findings: [],
    read: '',
    transcoded: false,
    row_lines: null,
    approximate: [],
    computed_at: Date.now(),
    duration_ms: 0,
  };
}

async function countRows(duck: DuckSession): Promise<number> {
  return Number((await duck.all('SELECT count(*) AS n FROM t'))[0]?.n ?? 0);
}

/** Maps rows of table t (rowid) to physical lines while the table is being built (see row-lines.ts). */
function lineMapper(duck: DuckSession, d: CsvDialect, types: string[], load: () => CsvLoadResult) {
  return async (rowids: number[]): Promise<number[]> => {
    const text = types.map((t, i) => (t === 'VARCHAR' ? colId(i + 1) : null)).filter((c): c is string => c !== null);
    const rowLines = { first: d.firstDataLine, multiline: d.multilineFields, skipped: [...load().skippedLines].sort((a, b) => a - b) };
    return (await linesOfRows(duck, rowLines, text, rowids)).map((l) => l ?? 0);
  };
}

/**
 * For zstd files (Node 20 cannot decompress a head sample) the dialect comes from DuckDB's
 * sniffer: delimiter, quote, header, skipped lines and names; line-level diagnostics are then
 * unavailable (the profile says the line endings were not scanned).
 */
async function dialectFromDuck(duck: DuckSession, file: string): Promise<CsvDialect> {
  const row = (await duck.all(`SELECT Delimiter, Quote, HasHeader, SkipRows, Columns FROM sniff_csv(${lit(file)}, compression='zstd')`))[0]!;
  const cols = (row.Columns as Array<{ name: string }>) ?? [];
  const header = Boolean(row.HasHeader);
  const skipRows = Number(row.SkipRows ?? 0);
  return {
    delimiter: String(row.Delimiter),
    quote: '"',
    escape: '"',
    header,
    skipRows,
    rawNames: cols.map((c, i) => (header ? c.name : `column${i}`)),
    firstDataLine: skipRows + (header ? 2 : 1),
    lineEndings: { CRLF: 0, LF: 0, CR: 0, sampled: true },
    ragged: [],
    quotedEmpty: cols.map(() => 0),
    multilineFields: false,
    sampleRecords: 0,
    sampleComplete: false,
  };
}

/** Float columns holding only whole numbers at or beyond 2^63: DuckDB rounded them to doubles. */
function bigIntegerReloads(cols: Array<{ profile: { position: number; duckdb_type: string; min: unknown; max: unknown }; raw: Record<string, unknown> }>): Record<number, string> {
  const out: Record<number, string> = {};
  for (const { profile: p, raw } of cols) {
    if (p.duckdb_type !== 'DOUBLE' || Number(raw.fractional ?? 1) !== 0) continue;
    if (Math.max(Math.abs(Number(p.min)), Math.abs(Number(p.max))) >= 2 ** 63) out[p.position] = 'HUGEINT';
  }
  return out;
}

async function profileCsv(duck: DuckSession, file: string, head: HeadSample, out: DatasetProfile, opts: ProfileOptions, temps: string[], mode: QuantileMode): Promise<void> {
  const enc: EncodingInfo = head.compression === 'zstd' ? { name: 'UTF-8', bom: false, bomBytes: 0, duckdb: 'utf-8', iconv: 'utf8' } : detectEncoding(head.bytes, head.complete);
  out.encoding = enc.name;
  out.findings.push(...encodingFindings(enc, head.compression));
  const text = decodeHead(head.bytes, enc);
  if (head.complete && text.trim() === '') {
    out.findings.push({ kind: 'empty_file', severity: 'warning', message: 'The file holds no data (only blank lines): no columns, no rows.' });
    return;
  }
  const d = head.compression === 'zstd' ? await dialectFromDuck(duck, file) : detectDialect(text, head.complete, head.format === 'tsv');
  if (d.delimiter === '\t') out.format = 'tsv';
  const names = dedupeNames(d.rawNames);
  Object.assign(out, { delimiter: d.delimiter, quote: d.quote, header: d.header, skip_rows: d.skipRows, line_endings: d.lineEndings });
  out.findings.push(...dialectFindings(d, names));
  let src: CsvSource = { path: file, encoding: enc.duckdb ?? 'utf-8', compression: head.compression ?? 'none' };
  if (enc.duckdb === null) {
    const tmp = path.join(opts.tempDir, `transcoded-${randomBytes(6).toString('hex')}.csv`);
    temps.push(tmp);
    await transcodeToUtf8(file, tmp, enc, head.compression === 'gzip', opts.signal);
    src = { path: tmp, encoding: 'utf-8', compression: 'none' };
  }
  let load = await loadCsv(duck, src, d);
  let linesOf = lineMapper(duck, d, load.types, () => load);
  out.rows = await countRows(duck);
  let conversions = new Map<number, string>();
  let refined = await refineTypes({ duck, types: load.types, names, delimiter: d.delimiter, rows: out.rows, tzColumns: load.tzColumns, typeBreaks: load.typeBreaks, linesOf, conversions });
  const metasOf = () =>
    names.map((name, i): ColumnMeta => ({ position: i + 1, name, rawName: d.rawNames[i], id: colId(i + 1), duckType: load.types[i]!, convertedMarkers: refined.convertedMarkers.get(i + 1), valueCounts: kept.has(valueCountsTable(colId(i + 1))) ? valueCountsTable(colId(i + 1)) : undefined }));
  const keptTables = async () => new Set((await duck.all("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'vct_c%'")).map((r) => String(r.table_name)));
  let kept = await keptTables();
  let cols = await profileColumns(duck, metasOf(), out.rows, NULL_MARKERS, mode);
  const reload = bigIntegerReloads(cols);
  if (Object.keys(reload).length) {
    // DuckDB typed integers beyond int64 as DOUBLE (rounding them): read those columns again, exactly.
    load = await loadCsv(duck, src, d, reload);
    linesOf = lineMapper(duck, d, load.types, () => load);
    out.rows = await countRows(duck);
    conversions = new Map<number, string>();
    refined = await refineTypes({ duck, types: load.types, names, delimiter: d.delimiter, rows: out.rows, tzColumns: load.tzColumns, typeBreaks: load.typeBreaks, linesOf, conversions });
    kept = await keptTables();
    cols = await profileColumns(duck, metasOf(), out.rows, NULL_MARKERS, mode);
  }
  out.read = reproducibleSelect(`SELECT * FROM ${load.read}`, names.length, conversions);
  out.transcoded = src.path !== file;
  out.row_lines = { first: d.firstDataLine, multiline: d.multilineFields, skipped: [...load.skippedLines].sort((a, b) => a - b) };
  out.findings.push(...load.findings);
  const width = names.length;
  if (d.sampleComplete) {
    out.findings.push(...raggedFindings(d.ragged.map((r) => ({ line: r.line, fields: r.fields, kind: r.fields > width ? 'too_many' : 'too_few' })), d.ragged.length, width));
  } else if (load.raggedTotal) {
    out.findings.push(...raggedFindings(load.ragged, load.raggedTotal, width));
  }
  out.findings.push(...refined.findings);
  out.columns = cols.map((c) => c.profile);
  const nonFinite = new Map<string, number[]>();
  for (const c of cols) {
    if ((c.profile.nan_count ?? 0) + (c.profile.posinf_count ?? 0) + (c.profile.neginf_count ?? 0) === 0) continue;
    const id = colId(c.profile.position);
    const rows = await duck.all(`SELECT rowid AS r FROM t WHERE NOT isfinite(${id}) ORDER BY rowid LIMIT 20`);
    nonFinite.set(c.profile.name, await linesOf(rows.map((r) => Number(r.r))));
  }
  out.findings.push(...columnFindings(cols, nonFinite, false));
  if (out.rows === 0) out.findings.push({ kind: 'no_data_rows', severity: 'info', message: `The file has a header (${width} columns) and no data rows: the column names are known, their types are not.` });
  // DuckDB's own guess is only worth comparing when something about the file is unusual.
  if (src.path === file && head.compression !== 'zstd' && out.findings.length > 0) {
    const auto = await compareWithDuckAuto(duck, file, { delimiter: d.delimiter, columns: out.columns });
    if (auto) out.findings.push(auto);
  }
}

async function profileNested(duck: DuckSession, file: string, head: HeadSample, out: DatasetProfile, mode: QuantileMode): Promise<void> {
  out.encoding = head.format === 'parquet' ? 'binary' : detectEncoding(head.bytes, head.complete).name;
  if (head.compression) out.findings.push(...encodingFindings(null, head.compression));
  const load = await loadNested(duck, file, head.format, head.compression ?? 'none');
  out.read = load.read;
  out.row_lines = head.format === 'parquet' ? null : { first: 1, multiline: false, skipped: [] };
  out.findings.push(...load.findings);
  out.rows = await countRows(duck);
  const metas: ColumnMeta[] = load.names.map((name, i) => ({ position: i + 1, name, id: colId(i + 1), duckType: load.types[i]! }));
  const cols = await profileColumns(duck, metas, out.rows, NULL_MARKERS, mode);
  out.columns = cols.map((c) => c.profile);
  const nonFinite = new Map<string, number[]>();
  for (const c of cols) {
    if ((c.profile.nan_count ?? 0) + (c.profile.posinf_count ?? 0) + (c.profile.neginf_count ?? 0) === 0) continue;
    const rows = await duck.all(`SELECT rowid + 1 AS line FROM t WHERE NOT isfinite(${colId(c.profile.position)}) ORDER BY rowid LIMIT 20`);
    nonFinite.set(c.profile.name, rows.map((r) => Number(r.line)));
  }
  out.findings.push(...columnFindings(cols, nonFinite, head.format === 'jsonl' || head.format === 'json'));
  if (out.rows === 0) out.findings.push({ kind: 'no_data_rows', severity: 'info', message: 'The file has no records.' });
}

/**
 * Inspects one data file (CSV, TSV, JSON Lines, JSON, Parquet; plain, gzip or zstd) and
 * returns its profile: dialect, encoding, rows, a profile per column computed in DuckDB SQL
 * (see column-sql.ts for the formulas) and findings. A malformed file gets findings, never
 * an exception: unreadable content is an 'unreadable' finding.
 * @throws Error from the file system when `file` cannot be read at all; an AbortError when
 *   `opts.signal` aborts (DuckDB is interrupted).
 */
export async function profileFile(file: string, opts: ProfileOptions): Promise<DatasetProfile> {
  const started = Date.now();
  const bytes = (await fs.promises.stat(file)).size;
  if (bytes === 0) {
    const out = skeleton(file, 0, opts, null);
    out.findings.push({ kind: 'empty_file', severity: 'warning', message: 'The file is empty (0 bytes): no columns, no rows.' });
    out.duration_ms = Date.now() - started;
    return out;
  }
  opts.signal?.throwIfAborted();
  const head = await readHead(file);
  const out = skeleton(file, bytes, opts, head);
  const onDisk = opts.onDisk ?? bytes * (head.compression ? 4 : 1) > ON_DISK_BYTES;
  const duck = await DuckSession.open({ tempDir: opts.tempDir, onDisk });
  const temps: string[] = [];
  const onAbort = () => duck.interrupt();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    const mode: QuantileMode = opts.quantiles ?? (onDisk ? 'counts' : 'direct');
    if (head.format === 'parquet' || head.format === 'jsonl' || head.format === 'json') await profileNested(duck, file, head, out, mode);
    else await profileCsv(duck, file, head, out, opts, temps, mode);
  } catch (err) {
    opts.signal?.throwIfAborted();
    const message = (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 3).join(' ');
    const finding: Finding = { kind: 'unreadable', severity: 'error', message: `The file could not be read: ${message}` };
    out.findings.push(finding);
    out.columns = [];
    out.rows = 0;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    duck.close();
    for (const t of temps) fs.rmSync(t, { force: true });
  }
  out.computed_at = Date.now();
  out.duration_ms = out.computed_at - started;
  return out;
}

