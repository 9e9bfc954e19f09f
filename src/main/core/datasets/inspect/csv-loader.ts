import type { Finding } from '../../../../shared/api/dataset-types';
import type { CsvDialect } from './dialect';
import { lit, type DuckSession } from './duck';

/** Positional column ids in DuckDB (c1, c2, …): names in files repeat, collide case-insensitively or are empty. */
export const colId = (position: number) => `c${position}`;

export interface CsvSource {
  /** The file DuckDB reads (a UTF-8 transcoded copy when the encoding needed one). */
  path: string;
  encoding: 'utf-8' | 'latin-1';
  compression: 'gzip' | 'zstd' | 'none';
}

export interface TypeBreak {
  position: number;
  /** The type DuckDB's sniffer chose from its sample. */
  sniffed: string;
}

export interface CsvLoadResult {
  /** DuckDB type per position (index 0 = position 1) as loaded into table `t`. */
  types: string[];
  /** Columns that were not of their sniffed type over the whole file (now VARCHAR). */
  typeBreaks: TypeBreak[];
  /** Columns sniffed TIMESTAMP WITH TIME ZONE, loaded as text for offset analysis. */
  tzColumns: number[];
  /** Over-long records skipped (reference policy: pad short records, skip long ones). */
  skippedLines: number[];
  /** Every record with a wrong field count: DuckDB's line, the count. */
  ragged: Array<{ line: number; kind: 'too_many' | 'too_few'; text: string }>;
  raggedTotal: number;
  findings: Finding[];
  /** The read_csv call of the final load, for the profile's `read` field. */
  read: string;
}

const MAX_ATTEMPTS = 12;
const RAGGED_LIST_CAP = 1000;

function baseOptions(src: CsvSource, d: CsvDialect, encoding: string, strict: boolean): string[] {
  const opts = [
    `auto_detect=false`,
    `delim=${lit(d.delimiter)}`,
    `quote=${lit(d.quote)}`,
    `escape=${lit(d.escape)}`,
    `header=${d.header}`,
    `skip=${d.skipRows}`,
    `encoding=${lit(encoding)}`,
    `compression=${lit(src.compression)}`,
  ];
  if (!strict) opts.push('strict_mode=false');
  return opts;
}

function columnsOption(types: string[]): string {
  return `columns={${types.map((t, i) => `${lit(colId(i + 1))}: ${lit(t)}`).join(', ')}}`;
}

/**
 * Types DuckDB's sniffer proposes for each column, with Lathe's dialect given (it only
 * guesses types, from its 20,480-row sample). Text columns that may hide a time zone mix are
 * loaded as VARCHAR and typed later. Falls back to all-VARCHAR when the sniffer gives up.
 */
async function sniffTypes(duck: DuckSession, src: CsvSource, d: CsvDialect, width: number): Promise<{ types: string[]; dateOpts: string[] }> {
  const opts = baseOptions(src, d, src.encoding, true).filter((o) => !o.startsWith('auto_detect'));
  // DuckDB's sniffer refuses some files in one mode and reads them in another: try both.
  for (const relaxed of ['null_padding=true, ignore_errors=true', 'null_padding=true, ignore_errors=true, strict_mode=false']) {
    try {
      const rows = await duck.all(`SELECT Columns, DateFormat, TimestampFormat FROM sniff_csv(${lit(src.path)}, ${opts.join(', ')}, ${relaxed})`);
      const cols = (rows[0]?.Columns ?? []) as Array<{ name: string; type: string }>;
      const types = Array.from({ length: width }, (_, i) => cols[i]?.type ?? 'VARCHAR');
      const dateOpts: string[] = [];
      const df = rows[0]?.DateFormat;
      const tf = rows[0]?.TimestampFormat;
      if (typeof df === 'string' && df) dateOpts.push(`dateformat=${lit(df)}`);
      if (typeof tf === 'string' && tf) dateOpts.push(`timestampformat=${lit(tf)}`);
      return { types, dateOpts };
    } catch {
      // next mode
    }
  }
  // Text everywhere; refineTypes() types the columns from all their values.
  return { types: new Array<string>(width).fill('VARCHAR'), dateOpts: [] };
}

const CONVERSION = /Could not convert string .* to '([A-Z_ ]+)'/;
const CONVERT_COLUMN = /converting column "([^"]+)"/;
const RAGGED = /Expected Number of Columns|TOO MANY COLUMNS|MISSING COLUMNS/i;
const UNICODE = /Invalid unicode|not utf-8 encoded/i;
const NOT_STRICT = /invalid state|strict_mode|unterminated quote|not RFC 4180|not possible to automatically detect/i;

/**
 * Loads a delimited file into table `t` (columns c1…cN) with the dialect Lathe detected
 * (never DuckDB's auto-detection, which is wrong for several real files), then repairs what
 * the first attempt shows, one retry each: a value that breaks the sniffed type of a column
 * (the column becomes VARCHAR and the break is reported), records with a wrong field count
 * (pad short ones with NULL, skip long ones, list both with their lines), bytes that are not
 * UTF-8 (read as Latin-1) and non-RFC 4180 line structure (DuckDB's strict_mode off).
 * @param overrides types to force by position (a second read after {@link refineTypes} asks for one).
 * @throws Error with DuckDB's message when the file still cannot be read after the repairs.
 */
export async function loadCsv(duck: DuckSession, src: CsvSource, d: CsvDialect, overrides: Record<number, string> = {}): Promise<CsvLoadResult> {
  const width = d.rawNames.length;
  const sniffed = await sniffTypes(duck, src, d, width);
  for (const [pos, type] of Object.entries(overrides)) sniffed.types[Number(pos) - 1] = type;
  const tzColumns: number[] = [];
  const types = sniffed.types.map((t, i) => {
    if (t === 'TIMESTAMP WITH TIME ZONE') {
      tzColumns.push(i + 1);
      return 'VARCHAR';
    }
    return t;
  });
  const findings: Finding[] = [];
  const typeBreaks: TypeBreak[] = [];
  let encoding: string = src.encoding;
  let strict = true;
  let ragged = false;
  let read = '';
  for (let attempt = 0, n = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const opts = [...baseOptions(src, d, encoding, strict), ...sniffed.dateOpts, columnsOption(types)];
    if (ragged) opts.push('null_padding=true', 'ignore_errors=true', 'store_rejects=true', `rejects_table='rej_${n}'`, `rejects_scan='rejs_${n}'`);
    read = `read_csv(${lit(src.path)}, ${opts.join(', ')})`;
    try {
      await duck.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM ${read}`);
      if (ragged) {
        // ignore_errors also drops rows whose values do not convert: turn those columns to text and retry.
        const casts = await duck.all(`SELECT DISTINCT column_idx FROM rej_${n} WHERE error_type = 'CAST'`);
        n++;
        if (casts.length) {
          for (const r of casts) {
            const i = Number(r.column_idx) - 1;
            if (types[i] !== 'VARCHAR') typeBreaks.push({ position: i + 1, sniffed: types[i]! }), (types[i] = 'VARCHAR');
          }
          continue;
        }
      }
      const out: CsvLoadResult = { types, typeBreaks, tzColumns, skippedLines: [], ragged: [], raggedTotal: 0, findings, read };
      if (ragged) await diagnoseRagged(duck, src, d, encoding, strict, out);
      return out;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const conv = CONVERSION.exec(msg);
      const col = CONVERT_COLUMN.exec(msg);
      if (conv && col && /^c\d+$/.test(col[1]!)) {
        const i = Number(col[1]!.slice(1)) - 1;
        if (types[i] !== 'VARCHAR') {
          typeBreaks.push({ position: i + 1, sniffed: types[i]! });
          types[i] = 'VARCHAR';
          continue;
        }
      }
      if (RAGGED.test(msg) && !ragged) {
        ragged = true;
        continue;
      }
      if (UNICODE.test(msg) && encoding === 'utf-8') {
        encoding = 'latin-1';
        const line = /Line: (\d+)/.exec(msg)?.[1];
        findings.push({
          kind: 'encoding',
          severity: 'warning',
          message: `Not valid UTF-8${line ? ` (first bad byte in record on line ${line})` : ''}: decoded as Latin-1 (ISO-8859-1).`,
          line: line ? Number(line) : undefined,
        });
        continue;
      }
      if (NOT_STRICT.test(msg) && strict) {
        strict = false;
        findings.push({
          kind: 'strict_mode',
          severity: 'warning',
          message: "The file is not strictly RFC 4180 (DuckDB's strict parser rejects it, e.g. for mixed line endings or quotes inside unquoted fields); read with strict_mode=false.",
        });
        continue;
      }
      throw err;
    }
  }
  throw new Error('the file could not be read after repeated repairs');
}

/** Lists every record with a wrong field count (a separate scan with no padding). */
async function diagnoseRagged(duck: DuckSession, src: CsvSource, d: CsvDialect, encoding: string, strict: boolean, out: CsvLoadResult): Promise<void> {
  const opts = [...baseOptions(src, d, encoding, strict), columnsOption(new Array(d.rawNames.length).fill('VARCHAR'))];
  await duck.run(`SELECT count(*) FROM read_csv(${lit(src.path)}, ${opts.join(', ')}, ignore_errors=true, store_rejects=true, rejects_table='rag_d', rejects_scan='rag_ds')`);
  const rows = await duck.all(
    `SELECT line::BIGINT AS line, any_value(error_type) AS error_type, any_value(csv_line) AS csv_line, count(*) OVER () AS total
     FROM rag_d WHERE error_type IN ('TOO MANY COLUMNS', 'MISSING COLUMNS') GROUP BY line ORDER BY line LIMIT ${RAGGED_LIST_CAP}`,
  );
  out.raggedTotal = Number(rows[0]?.total ?? 0);
  for (const r of rows) {
    const kind = r.error_type === 'TOO MANY COLUMNS' ? 'too_many' : 'too_few';
    out.ragged.push({ line: Number(r.line), kind, text: String(r.csv_line ?? '') });
    if (kind === 'too_many') out.skippedLines.push(Number(r.line));
  }
}
