import { parse } from 'csv-parse/sync';
import { canonicalField, FREE_TEXT_FIELDS, type QueryKind } from './query-fields';
import { splitHeaderCell } from './nvidia-values';

/** One `--query-*` CSV answer: canonical field names, their header units, and raw rows. */
export interface CsvTable {
  fields: string[];
  /** Unit from the header (`MiB` in `memory.used [MiB]`), null when none. */
  units: Array<string | null>;
  /** Raw cell texts, one array per data line, aligned with `fields`. */
  rows: string[][];
  /** Lines that are not data rows (a device that could not be read, an XID message). */
  other: string[];
}

/**
 * Splits nvidia-smi CSV text into cells. nvidia-smi separates with ", " and never quotes, so
 * quoting is off (a process name may contain a quote); `\r` of Windows output is dropped.
 */
export function splitCsvLines(text: string): string[][] {
  return parse(text, { delimiter: ', ', quote: false, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
}

/**
 * Fits a split line to `width` columns. Names may contain ", " (OpenSpeedy PR #266), so extra
 * cells are joined back into the one free-text column (split from the known columns inward);
 * returns null when the line cannot be a row of this table.
 */
export function fitRow(cells: string[], fields: string[]): string[] | null {
  if (cells.length === fields.length) return cells.map((c) => c.trim());
  if (cells.length < fields.length) return null;
  const free = fields.findIndex((f) => FREE_TEXT_FIELDS.has(f));
  if (free < 0) return null;
  const extra = cells.length - fields.length;
  return [...cells.slice(0, free), cells.slice(free, free + extra + 1).join(', '), ...cells.slice(free + extra + 1)].map((c) => c.trim());
}

/** True when `cells` is a header line of a query for `expected` fields (canonical names). */
export function isHeader(cells: string[], expected: readonly string[], kind: QueryKind = 'gpu'): boolean {
  if (cells.length !== expected.length) return false;
  return cells.every((c, i) => canonicalField(splitHeaderCell(c).field, kind) === expected[i]);
}

/**
 * Parses one `--query-gpu` or `--query-compute-apps` answer by header name, so any subset or
 * order of fields works. Without a header (`noheader`), pass the fields the command asked for.
 * @param opts.fields the requested field list (any alias); required for headerless text.
 */
export function parseQueryCsv(text: string, opts: { fields?: readonly string[]; kind?: QueryKind } = {}): CsvTable {
  const kind = opts.kind ?? 'gpu';
  const lines = splitCsvLines(text);
  let fields: string[];
  let units: Array<string | null>;
  let start = 0;
  const first = lines[0];
  const expected = opts.fields?.map((f) => canonicalField(f, kind));
  if (first && (!expected || isHeader(first, expected, kind))) {
    const cells = first.map(splitHeaderCell);
    fields = cells.map((c) => canonicalField(c.field, kind));
    units = cells.map((c) => c.unit);
    start = 1;
  } else if (expected) {
    fields = expected;
    units = expected.map(() => null);
  } else {
    return { fields: [], units: [], rows: [], other: [] };
  }
  const rows: string[][] = [];
  const other: string[] = [];
  for (const cells of lines.slice(start)) {
    if (isHeader(cells, fields, kind)) continue;
    const row = fitRow(cells, fields);
    if (row) rows.push(row);
    else other.push(cells.join(', ').trim());
  }
  return { fields, units, rows, other };
}

/** The rows of a table as objects keyed by canonical field name. */
export function rowObjects(table: CsvTable): Array<Record<string, string>> {
  return table.rows.map((r) => Object.fromEntries(table.fields.map((f, i) => [f, r[i] ?? ''])));
}
