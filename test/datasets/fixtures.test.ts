import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetProfile, Finding } from '../../src/shared/api/dataset-types';
import { profileFile } from '../../src/main/core/datasets/inspect/profiler';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ds-fixtures-'));
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

const CASES = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.json')).sort();
const profiles = new Map<string, DatasetProfile>();

async function profileOf(caseFile: string): Promise<DatasetProfile> {
  if (!profiles.has(caseFile)) {
    const exp = loadExpected(path.join(FIXTURES, caseFile));
    profiles.set(caseFile, await profileFile(path.join(FIXTURES, exp.file), { tempDir }));
  }
  return profiles.get(caseFile)!;
}

function find(p: DatasetProfile, kind: Finding['kind'], pred: (f: Finding) => boolean = () => true): Finding | undefined {
  return p.findings.find((f) => f.kind === kind && pred(f));
}

describe('every fixture case matches its expected JSON at the README tolerance', () => {
  it('covers all 19 committed cases', () => expect(CASES).toHaveLength(19));
  for (const c of CASES) {
    it(c.replace('.expected.json', ''), async () => {
      const exp = loadExpected(path.join(FIXTURES, c));
      const p = await profileOf(c);
      expect(p.findings.filter((f) => f.kind === 'unreadable')).toEqual([]);
      expect(diffProfile(exp, p)).toEqual([]);
      // The columns come out in file order with the reference names, positions and types.
      expect(p.columns.map((col) => [col.position, col.name, col.inferred_type])).toEqual((exp.columns ?? []).map((col) => [col.position, col.name, col.inferred_type]));
    }, 60_000);
  }
});

describe('quantiles from value counts (bounded memory, used for large inputs) equal quantile_cont', () => {
  for (const c of CASES.filter((x) => !x.startsWith('14-'))) {
    it(c.replace('.expected.json', ''), async () => {
      const exp = loadExpected(path.join(FIXTURES, c));
      const p = await profileFile(path.join(FIXTURES, exp.file), { tempDir, quantiles: 'counts', onDisk: true });
      expect(diffProfile(exp, p)).toEqual([]);
    }, 60_000);
  }
});

describe('the findings each case describes', () => {
  it('01: UTF-8 with BOM, clean names, CRLF record ends, quoted empty Score', async () => {
    const p = await profileOf('01-utf8-bom-quoted-header.expected.json');
    expect(p.encoding).toBe('UTF-8 with BOM');
    expect(find(p, 'bom')).toBeDefined();
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'Team', 'Games', 'Score']);
    expect(p.line_endings).toEqual({ CRLF: 7, LF: 0, CR: 0, sampled: false });
    expect(find(p, 'quoted_empty', (f) => f.column === 'Score')).toBeDefined();
  });

  it('02: Latin-1 detected at the first invalid byte (0xE9, offset 48, line 2), padding reported', async () => {
    const p = await profileOf('02-latin1-semicolon-padded.expected.json');
    expect(p.encoding).toBe('ISO-8859-1');
    expect(p.delimiter).toBe(';');
    const enc = find(p, 'encoding');
    expect(enc).toMatchObject({ line: 2, value: '0xE9', details: { offset: 48 } });
    expect(find(p, 'whitespace_padded', (f) => f.column === 'ESPECE')?.details).toEqual({ count: 8 });
    expect(p.columns[0]!.top5[0]![0]).toBe('Autres céréales   ');
    expect(find(p, 'duckdb_autodetect')?.message).toMatch(/fails/);
  });

  it('03: mixed line endings (2 CRLF, 4 LF record ends), no stray CR in values', async () => {
    const p = await profileOf('03-mixed-crlf-lf.expected.json');
    expect(find(p, 'mixed_line_endings')?.details).toEqual({ CRLF: 2, LF: 4, CR: 0 });
    expect(p.columns[2]).toMatchObject({ name: 'value', inferred_type: 'integer', min: 10, max: 50 });
    expect(p.columns[1]!.top5.map((t) => t[0])).toContain('first line\r\nsecond line');
    expect(find(p, 'duckdb_autodetect')?.message).toMatch(/fails/);
  });

  it('04: quoted newlines and doubled quotes; quoted empties told apart', async () => {
    const p = await profileOf('04-quoted-newlines-delimiters.expected.json');
    expect(p.columns[1]!.top5.map((t) => t[0])).toContain('O"Brien, Pat');
    expect(find(p, 'quoted_empty', (f) => f.column === 'name')?.details).toEqual({ count: 1 });
    expect(find(p, 'quoted_empty', (f) => f.column === 'notes')?.details).toEqual({ count: 1 });
    expect(p.row_lines).toMatchObject({ first: 2, multiline: true });
  });

  it("05: decimal comma with '.' thousands: the breaking value '1.234,56' on line 4", async () => {
    const p = await profileOf('05-semicolon-decimal-comma.expected.json');
    expect(find(p, 'decimal_comma', (f) => f.column === 'price')).toMatchObject({ line: 4, value: '1.234,56' });
    expect(p.columns[1]!.max).toBe(1234.56);
  });

  it("06: ragged lines 3 (2 fields), 5 (5 fields, skipped), 6 (3 fields); DuckDB's '|' guess reported", async () => {
    const p = await profileOf('06-ragged-rows.expected.json');
    const ragged = p.findings.filter((f) => f.kind === 'ragged_row').map((f) => [f.line, (f.details as { fields: number }).fields]);
    expect(ragged).toEqual([[3, 2], [5, 5], [6, 3]]);
    expect(find(p, 'ragged_row', (f) => f.line === 5)?.message).toMatch(/skipped/);
    expect(p.delimiter).toBe(',');
    expect(find(p, 'duckdb_autodetect')?.message).toMatch(/delimiter '\|' instead of ','/);
  });

  it('07: duplicate header names kept by position and flagged', async () => {
    const p = await profileOf('07-duplicate-column-names.expected.json');
    expect(find(p, 'duplicate_header', (f) => f.column === 'x')?.details).toEqual({ positions: [2, 3], names: ['x', 'x.2'] });
    expect(find(p, 'duplicate_header', (f) => f.column === 'y')?.details).toEqual({ positions: [5, 6], names: ['y', 'y.1'] });
    expect(p.columns[2]).toMatchObject({ name: 'x.2', raw_name: 'x', min: 10, max: 40 });
  });

  it("08: the value that breaks the sampled type: 'D417' on line 21,002", async () => {
    const p = await profileOf('08-type-change-after-sample.expected.json');
    expect(find(p, 'type_break')).toMatchObject({ column: 'code', line: 21002, value: 'D417' });
    expect(p.columns[1]).toMatchObject({ inferred_type: 'string', distinct: 1001 });
  });

  it("09: missing markers counted per column; 'NA' (Namibia) kept as text in iso2", async () => {
    const p = await profileOf('09-missing-markers.expected.json');
    const score = p.columns.find((c) => c.name === 'score')!;
    expect(score.missing_markers).toEqual({ NA: 1, 'N/A': 1, null: 1, NULL: 1, NaN: 1, '-': 1, 'n/a': 1 });
    expect(find(p, 'missing_markers', (f) => f.column === 'score')).toMatchObject({ line: 4 });
    expect(find(p, 'marker_like_text', (f) => f.column === 'iso2')?.details).toEqual({ markers: { NA: 1 } });
    expect(p.columns.find((c) => c.name === 'iso2')!.top5[0]).toEqual(['NA', 1]);
  });

  it('10: 1,200 columns profiled', async () => {
    const p = await profileOf('10-wide-1200-columns.expected.json');
    expect(p.columns).toHaveLength(1200);
    expect(p.duration_ms).toBeLessThan(20_000);
  });

  it('11: integers beyond 2^53 exact; big_uint read exactly although DuckDB guessed DOUBLE', async () => {
    const p = await profileOf('11-bigint-beyond-2p53.expected.json');
    expect(p.columns[0]).toMatchObject({ min: '-9007199254740993', max: '208310224003697685', distinct: 5 });
    expect(p.columns[1]).toMatchObject({ duckdb_type: 'HUGEINT', max: '18446744073709551615' });
    expect(find(p, 'big_integer', (f) => f.column === 'order_id')).toBeDefined();
    expect(find(p, 'duckdb_autodetect')?.message).toMatch(/big_uint typed DOUBLE/);
  });

  it('12: mixed UTC offsets and one naive value (line 5) reported; min/max in UTC', async () => {
    const p = await profileOf('12-mixed-timezone-offsets.expected.json');
    expect(find(p, 'timezone_mixed')).toMatchObject({ column: 'ts', line: 5, details: { offsets: { '+01:00': 2, '+02:00': 2, Z: 1 }, naive: 1 } });
    expect(p.columns[1]).toMatchObject({ min: '2024-03-30T22:30:00+00:00', max: '2024-10-27T01:30:00+00:00' });
  });

  it('13: header only: names kept, no data', async () => {
    const p = await profileOf('13-header-only.expected.json');
    expect(find(p, 'no_data_rows')).toBeDefined();
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount']);
  });

  it('14: empty file: no invented column', async () => {
    const p = await profileOf('14-empty-file.expected.json');
    expect(p.columns).toEqual([]);
    expect(find(p, 'empty_file')).toBeDefined();
  });

  it('15: gzip from magic bytes, 3 preamble lines, tab delimiter', async () => {
    const p = await profileOf('15-gzip-tsv-with-preamble.expected.json');
    expect(p.compression).toBe('gzip');
    expect(find(p, 'compression')?.message).toMatch(/1f 8b/);
    expect(p).toMatchObject({ delimiter: '\t', skip_rows: 3, format: 'tsv' });
    expect(find(p, 'preamble')).toBeDefined();
  });

  it('16: NaN/Infinity literals on lines 2–4 are values, not missing', async () => {
    const p = await profileOf('16-nan-infinity-literals.expected.json');
    expect(find(p, 'non_standard_json')).toMatchObject({ column: 'value', line: 2, details: { lines: [2, 3, 4] } });
  });

  it("17: nested leaves by dotted path; 'mixed' columns with their share and examples", async () => {
    const p = await profileOf('17-nested-inconsistent-json.expected.json');
    expect(find(p, 'mixed_type', (f) => f.column === 'score')).toMatchObject({ line: 6 });
    expect(p.columns.find((c) => c.name === 'score')!.type_examples).toEqual({ float: ['12.5'], integer: ['10', '7', '9'], string: ['n/a'] });
  });

  it('18: Parquet timestamps outside pandas range kept; DECIMAL exact', async () => {
    const p = await profileOf('18-parquet-out-of-range-timestamps.expected.json');
    expect(p.format).toBe('parquet');
    expect(find(p, 'out_of_range_timestamp', (f) => f.column === 'ts')).toBeDefined();
    expect(p.columns[2]).toMatchObject({ inferred_type: 'decimal', min: '-0.0001', max: '99999999999999.9999' });
  });

  it('no profile claims an approximate figure', async () => {
    for (const c of CASES) expect((await profileOf(c)).approximate).toEqual([]);
  });
});
