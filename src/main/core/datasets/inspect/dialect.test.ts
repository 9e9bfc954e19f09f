import { describe, expect, it } from 'vitest';
import { dedupeNames, detectDelimiter, detectDialect } from './dialect';
import { scanCsv } from './csv-scan';

describe('CSV head scan', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, and counts physical lines', () => {
    const { records } = scanCsv('a,b\n"x, y","say ""hi""\nthere"\r\n3,4', ',', true);
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere'], ['3', '4']]);
    expect(records.map((r) => [r.startLine, r.endLine, r.terminator])).toEqual([[1, 1, 'LF'], [2, 3, 'CRLF'], [4, 4, 'EOF']]);
  });

  it('drops a record cut off by the end of a partial sample', () => {
    const { records, truncated } = scanCsv('a,b\n1,2\n3,"unfinished', ',', false);
    expect(records).toHaveLength(2);
    expect(truncated).toBe(true);
  });
});

describe('dialect detection', () => {
  it('picks the delimiter with the most consistent field count', () => {
    expect(detectDelimiter('item;price\na;1,20\nb;22,3\nc;1.234,56\n', true)).toBe(';');
    expect(detectDelimiter('a,b,c,d\n1,2,3,4\n5,6\n7,8,9,10\n', true)).toBe(',');
    expect(detectDelimiter('x\ty\n1\t2\n', true)).toBe('\t');
  });

  it('finds preamble lines, header, ragged records and quoted empties', () => {
    const d = detectDialect('Report\nGenerated today\n\nid,name,v\n1,"",3\n2,b\n3,c,4,5\n', true);
    expect(d).toMatchObject({ delimiter: ',', skipRows: 3, header: true, rawNames: ['id', 'name', 'v'], firstDataLine: 5 });
    expect(d.ragged).toEqual([{ line: 6, fields: 2 }, { line: 7, fields: 4 }]);
    expect(d.quotedEmpty).toEqual([0, 1, 0]);
    expect(d.lineEndings).toEqual({ CRLF: 0, LF: 7, CR: 0, sampled: false });
  });

  it('treats a first record of numbers as data', () => {
    expect(detectDialect('1,2\n3,4\n', true)).toMatchObject({ header: false, rawNames: ['column0', 'column1'], firstDataLine: 1 });
  });
});

describe('header names', () => {
  it("renames duplicates like pandas 1.5, skipping suffixes that are real names", () => {
    expect(dedupeNames(['key', 'x', 'x', 'x.1', 'y', 'y'])).toEqual(['key', 'x', 'x.2', 'x.1', 'y', 'y.1']);
    expect(dedupeNames(['a', '', 'a', ''])).toEqual(['a', 'Unnamed: 1', 'a.1', 'Unnamed: 3']);
  });
});
