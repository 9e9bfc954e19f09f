import type { LineEndings } from '../../../../shared/api/dataset-types';
import { isBlankRecord, scanCsv, type ScannedRecord } from './csv-scan';

/** Delimiters tried, in order of preference on a tie. */
export const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const;
const SNIFF_RECORDS = 500;
const MAX_PREAMBLE = 50;

export interface CsvDialect {
  delimiter: string;
  quote: '"';
  escape: '"';
  header: boolean;
  /** Physical lines before the header record (DuckDB `skip`). */
  skipRows: number;
  /** The header's fields as written (unquoted), or column0… when there is no header. */
  rawNames: string[];
  /** 1-based physical line of the first data record. */
  firstDataLine: number;
  /** Record terminators seen in the sample (quote-aware). */
  lineEndings: LineEndings;
  /** Data records in the sample whose field count differs from the header's. */
  ragged: Array<{ line: number; fields: number }>;
  /** Per column: cells written as "" (quoted empty) in the sample. */
  quotedEmpty: number[];
  /** A quoted field spans lines somewhere in the sample. */
  multilineFields: boolean;
  /** Data records the sample holds (all of them when `sampleComplete`). */
  sampleRecords: number;
  sampleComplete: boolean;
}

function modalCount(records: ScannedRecord[]): { count: number; share: number } {
  const freq = new Map<number, number>();
  let total = 0;
  for (const r of records) {
    if (isBlankRecord(r)) continue;
    total++;
    freq.set(r.fields.length, (freq.get(r.fields.length) ?? 0) + 1);
  }
  let best = 1;
  let bestN = 0;
  for (const [count, n] of freq) if (n > bestN || (n === bestN && count > best)) (best = count), (bestN = n);
  return { count: best, share: total ? bestN / total : 0 };
}

/**
 * Chooses the delimiter whose field count is most consistent over the sampled records
 * (share of records with the modal count, which must be above one field). Ties go to the
 * earlier candidate in {@link DELIMITER_CANDIDATES}; a file with no candidate gives ','.
 */
export function detectDelimiter(text: string, complete: boolean, preferTab = false): string {
  let best = preferTab ? '\t' : ',';
  let bestScore = -1;
  for (const d of DELIMITER_CANDIDATES) {
    const { records } = scanCsv(text, d, complete, SNIFF_RECORDS);
    const { count, share } = modalCount(records);
    if (count < 2) continue;
    // Prefer consistency; among equally consistent ones, more fields.
    const score = share + Math.min(count, 1000) * 1e-6 + (preferTab && d === '\t' ? 1e-9 : 0);
    if (score > bestScore) (best = d), (bestScore = score);
  }
  return best;
}

const NUMERIC = /^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$/;

/** A first record of only numbers (and blanks) is data, not a header (pandas would still take it; DuckDB's sniffer agrees with us). */
function looksLikeData(r: ScannedRecord): boolean {
  const nonEmpty = r.fields.filter((f) => f.trim() !== '');
  return nonEmpty.length > 0 && nonEmpty.every((f) => NUMERIC.test(f));
}

/**
 * Reads the dialect of delimited text from its head: delimiter, preamble lines before the
 * header (leading records with at most half the modal field count, e.g. a report title),
 * header presence, raw header names, record-end terminators, ragged records with their
 * physical lines, quoted empty cells per column and multi-line fields.
 * @param text the decoded head, BOM removed.
 * @param complete the head is the whole file (counts are then exact, not sampled).
 */
export function detectDialect(text: string, complete: boolean, preferTab = false): CsvDialect {
  const delimiter = detectDelimiter(text, complete, preferTab);
  const { records, truncated } = scanCsv(text, delimiter, complete);
  const { count: modal } = modalCount(records.slice(0, SNIFF_RECORDS));
  let h = 0;
  while (h < records.length && h < MAX_PREAMBLE && (isBlankRecord(records[h]!) || records[h]!.fields.length <= Math.max(1, modal / 2)) && modal > 1) h++;
  if (h >= records.length || h >= MAX_PREAMBLE) h = 0;
  const headerRec = records[h];
  const header = headerRec ? !looksLikeData(headerRec) : true;
  const width = headerRec ? headerRec.fields.length : 0;
  const rawNames = header && headerRec ? headerRec.fields.slice() : Array.from({ length: width }, (_, i) => `column${i}`);
  const skipRows = headerRec ? headerRec.startLine - 1 : 0;
  const dataStart = header ? h + 1 : h;
  const data = records.slice(dataStart);
  const lineEndings: LineEndings = { CRLF: 0, LF: 0, CR: 0, sampled: !complete || truncated };
  for (const r of records) if (r.terminator !== 'EOF') lineEndings[r.terminator]++;
  const ragged: CsvDialect['ragged'] = [];
  const quotedEmpty = new Array<number>(width).fill(0);
  let multilineFields = false;
  for (const r of data) {
    if (r.endLine > r.startLine) multilineFields = true;
    if (isBlankRecord(r) && width > 1) continue;
    if (r.fields.length !== width) ragged.push({ line: r.startLine, fields: r.fields.length });
    for (let c = 0; c < Math.min(width, r.fields.length); c++) if (r.quoted[c] && r.fields[c] === '') quotedEmpty[c]!++;
  }
  const firstDataLine = data[0]?.startLine ?? (headerRec ? headerRec.endLine + 1 : 1);
  return {
    delimiter,
    quote: '"',
    escape: '"',
    header,
    skipRows,
    rawNames,
    firstDataLine,
    lineEndings,
    ragged,
    quotedEmpty,
    multilineFields,
    sampleRecords: data.length,
    sampleComplete: complete && !truncated,
  };
}

/**
 * Unique display names for the header, keyed by position as pandas 1.5 does it: an empty
 * name becomes `Unnamed: N` (0-based N); a repeated name gets `.1`, `.2`, … skipping any
 * suffix that already is a column name, so `x,x,x.1` gives `x, x.2, x.1`.
 */
export function dedupeNames(raw: string[]): string[] {
  const taken = new Set(raw.filter((n) => n !== ''));
  const used = new Set<string>();
  return raw.map((name, i) => {
    let out = name === '' ? `Unnamed: ${i}` : name;
    if (used.has(out)) {
      let k = 1;
      while (taken.has(`${out}.${k}`) || used.has(`${out}.${k}`)) k++;
      out = `${out}.${k}`;
    }
    used.add(out);
    return out;
  });
}
