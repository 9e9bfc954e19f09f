/**
 * A small RFC 4180 scanner for the head sample (the first MiB) of a delimited file. DuckDB
 * reads the data; this only gives what DuckDB does not report: physical line numbers of
 * records, which terminator ends each record (quote-aware), quoted empty cells, and the raw
 * header. Quotes open a field only at its start; a doubled quote inside is a literal quote;
 * a stray quote inside an unquoted field is data.
 */

export type Terminator = 'CRLF' | 'LF' | 'CR' | 'EOF';

export interface ScannedRecord {
  fields: string[];
  /** Per field: it was written in quotes. */
  quoted: boolean[];
  /** 1-based physical line where the record starts and ends. */
  startLine: number;
  endLine: number;
  terminator: Terminator;
}

export interface ScanResult {
  records: ScannedRecord[];
  /** True when the scan stopped at `maxRecords` or dropped a record cut off by the sample's end. */
  truncated: boolean;
}

/**
 * Splits `text` into records.
 * @param text decoded text, BOM removed.
 * @param delimiter one character.
 * @param complete `text` is the whole file (otherwise the last, possibly cut, record is dropped).
 * @param maxRecords stop after this many records.
 */
export function scanCsv(text: string, delimiter: string, complete: boolean, maxRecords = Number.POSITIVE_INFINITY, quote = '"'): ScanResult {
  const records: ScannedRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n && records.length < maxRecords) {
    const fields: string[] = [];
    const quoted: boolean[] = [];
    const startLine = line;
    let terminator: Terminator = 'EOF';
    let field = '';
    let isQuoted = false;
    let cutOff = false;
    for (;;) {
      if (i >= n) {
        terminator = 'EOF';
        break;
      }
      const ch = text[i]!;
      if (ch === quote && field === '' && !isQuoted) {
        // Quoted field: read to the closing quote.
        isQuoted = true;
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === quote) {
            if (text[i + 1] === quote) {
              field += quote;
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          field += c;
          i++;
        }
        if (!closed) {
          cutOff = !complete;
          terminator = 'EOF';
          break;
        }
        continue;
      }
      if (ch === delimiter) {
        fields.push(field);
        quoted.push(isQuoted);
        field = '';
        isQuoted = false;
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && text[i + 1] === '\n') {
          terminator = 'CRLF';
          i += 2;
        } else {
          terminator = ch === '\r' ? 'CR' : 'LF';
          i++;
        }
        line++;
        break;
      }
      field += ch;
      i++;
    }
    fields.push(field);
    quoted.push(isQuoted);
    if (cutOff || (terminator === 'EOF' && !complete)) return { records, truncated: true };
    records.push({ fields, quoted, startLine, endLine: terminator === 'EOF' ? line : line - 1, terminator });
  }
  return { records, truncated: i < n };
}

/** True for a record that is an empty line (one empty, unquoted field). */
export function isBlankRecord(r: ScannedRecord): boolean {
  return r.fields.length === 1 && r.fields[0] === '' && !r.quoted[0];
}
