import type { ColumnProfile, Finding } from '../../../../shared/api/dataset-types';
import type { CsvDialect } from './dialect';
import type { EncodingInfo } from './encoding';
import type { Row } from './duck';

const RAGGED_FINDINGS_CAP = 100;
/** pandas' datetime64[ns] range (1677-09-21 … 2262-04-11): values outside break pandas-based tools. */
const NS_MIN = '1677-09-21T00:12:43.145224';
const NS_MAX = '2262-04-11T23:47:16.854775';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** Findings about the bytes: encoding, BOM, compression. */
export function encodingFindings(enc: EncodingInfo | null, compression: string | null): Finding[] {
  const out: Finding[] = [];
  if (compression) out.push({ kind: 'compression', severity: 'info', message: `${compression}-compressed (detected from the file's magic bytes${compression === 'gzip' ? ' 1f 8b' : ''}, not its name); decompressed while reading.` });
  if (!enc) return out;
  if (enc.bom) out.push({ kind: 'bom', severity: 'info', message: `${enc.name}: the file starts with a byte-order mark, which is not part of the first column's name.` });
  if (enc.firstInvalidUtf8) {
    const f = enc.firstInvalidUtf8;
    out.push({
      kind: 'encoding',
      severity: 'warning',
      line: f.line,
      value: f.byte,
      message: `Not UTF-8: the first invalid byte is ${f.byte} at offset ${f.offset} (line ${f.line}); decoded as ${enc.name}.`,
      details: { offset: f.offset },
    });
  } else if (enc.name.startsWith('UTF-16')) {
    out.push({ kind: 'encoding', severity: 'info', message: `${enc.name} text: transcoded to UTF-8 for reading.` });
  }
  return out;
}

/** Findings from the dialect scan of the head: preamble, header names, line endings, ragged records, quoted empties. */
export function dialectFindings(d: CsvDialect, names: string[]): Finding[] {
  const out: Finding[] = [];
  const sampled = d.sampleComplete ? '' : ' (in the first MiB)';
  if (d.skipRows > 0) out.push({ kind: 'preamble', severity: 'info', line: 1, message: `${plural(d.skipRows, 'line')} before the header skipped (lines 1–${d.skipRows}); the header is line ${d.skipRows + 1}.` });
  const seen = new Map<string, number[]>();
  d.rawNames.forEach((n, i) => {
    if (n === '') out.push({ kind: 'empty_header', severity: 'warning', column: names[i], message: `Column ${i + 1} has no name in the header; it is called '${names[i]}'.`, details: { position: i + 1 } });
    else seen.set(n, [...(seen.get(n) ?? []), i + 1]);
  });
  for (const [n, positions] of seen) {
    if (positions.length < 2) continue;
    out.push({
      kind: 'duplicate_header',
      severity: 'warning',
      column: n,
      message: `Column name '${n}' appears at positions ${positions.join(', ')}; columns are kept by position and named ${positions.map((p) => `'${names[p - 1]}'`).join(', ')}.`,
      details: { positions, names: positions.map((p) => names[p - 1]) },
    });
  }
  const le = d.lineEndings;
  const kinds = (['CRLF', 'LF', 'CR'] as const).filter((k) => le[k] > 0);
  if (kinds.length > 1) {
    out.push({
      kind: 'mixed_line_endings',
      severity: 'warning',
      message: `Mixed line endings${sampled}: ${kinds.map((k) => `${le[k]} records end in ${k}`).join(', ')} (line breaks inside quoted values not counted).`,
      details: { CRLF: le.CRLF, LF: le.LF, CR: le.CR },
    });
  }
  d.quotedEmpty.forEach((n, i) => {
    if (n > 0) out.push({ kind: 'quoted_empty', severity: 'info', column: names[i], message: `${names[i]}: ${plural(n, 'quoted empty value')} ("")${sampled} read as missing, like unquoted empty cells.`, details: { count: n } });
  });
  return out;
}

/** One finding per record with a wrong field count (capped), plus a total when capped. */
export function raggedFindings(list: Array<{ line: number; fields?: number; kind: 'too_many' | 'too_few' }>, total: number, width: number): Finding[] {
  const out: Finding[] = list.slice(0, RAGGED_FINDINGS_CAP).map((r) => ({
    kind: 'ragged_row' as const,
    severity: 'warning' as const,
    line: r.line,
    message:
      r.kind === 'too_many'
        ? `Line ${r.line} has ${r.fields ?? 'more than ' + width} fields; the header has ${width}: the record is skipped.`
        : `Line ${r.line} has ${r.fields ?? 'fewer than ' + width} fields; the header has ${width}: the missing fields are read as missing values.`,
    details: { fields: r.fields, expected: width },
  }));
  if (total > RAGGED_FINDINGS_CAP) out.push({ kind: 'ragged_row', severity: 'warning', message: `${plural(total, 'record')} in all have the wrong number of fields; the first ${RAGGED_FINDINGS_CAP} are listed.`, details: { total } });
  return out;
}

/** Findings read from the column profiles: whitespace, non-finite floats, big integers, extreme dates. */
export function columnFindings(cols: Array<{ profile: ColumnProfile; raw: Row }>, nonFiniteLines: Map<string, number[]>, jsonText: boolean): Finding[] {
  const out: Finding[] = [];
  for (const { profile: p, raw } of cols) {
    if (p.whitespace_padded) out.push({ kind: 'whitespace_padded', severity: 'info', column: p.name, message: `${p.name}: ${plural(p.whitespace_padded, 'value')} with leading or trailing whitespace (kept as data).`, details: { count: p.whitespace_padded } });
    const nan = p.nan_count ?? 0;
    const pos = p.posinf_count ?? 0;
    const neg = p.neginf_count ?? 0;
    if (nan + pos + neg > 0) {
      const lines = nonFiniteLines.get(p.name) ?? [];
      const where = lines.length ? ` on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}` : '';
      out.push({
        kind: jsonText ? 'non_standard_json' : 'non_finite',
        severity: 'warning',
        column: p.name,
        line: lines[0],
        message: `${p.name}: NaN ×${nan}, Infinity ×${pos}, -Infinity ×${neg}${where}${jsonText ? ' (literals strict JSON parsers reject)' : ''}; they are values, not missing, and are left out of mean, std, quantiles and histogram.`,
        details: { nan, posinf: pos, neginf: neg, lines },
      });
    }
    const beyond = Number(raw.beyond_2p53 ?? 0);
    if (beyond > 0) {
      out.push({
        kind: 'big_integer',
        severity: 'info',
        column: p.name,
        message: `${p.name}: ${plural(beyond, 'integer')} beyond ±2^53 (JavaScript numbers and doubles would round them); kept exact as ${p.duckdb_type}, min ${p.min} and max ${p.max} shown as exact decimal text.`,
        details: { count: beyond, type: p.duckdb_type },
      });
    }
    if ((p.inferred_type === 'timestamp' || p.inferred_type === 'timestamp_tz' || p.inferred_type === 'date') && typeof p.min === 'string' && typeof p.max === 'string') {
      if (p.min < NS_MIN || p.max > NS_MAX) {
        out.push({ kind: 'out_of_range_timestamp', severity: 'info', column: p.name, message: `${p.name}: values from ${p.min} to ${p.max} fall outside pandas' datetime64[ns] range (1677–2262); pandas-based tools fail on them, Lathe keeps them.` });
      }
    }
  }
  return out;
}
