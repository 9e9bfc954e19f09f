import { describe, expect, it } from 'vitest';
import { decodeHead, detectEncoding, firstInvalidUtf8 } from './encoding';

describe('encoding detection', () => {
  it('validates UTF-8 strictly, tolerating a sequence cut by the sample end', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo', 'utf8'), false)).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62]), false)).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]), true)).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]), false)).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]), false)).toBe(0); // a surrogate
  });

  it('names BOMs, UTF-16 without BOM, Latin-1 and windows-1252', () => {
    expect(detectEncoding(Buffer.from('\ufeffa,b\n', 'utf8'), true)).toMatchObject({ name: 'UTF-8 with BOM', bomBytes: 3, duckdb: 'utf-8' });
    expect(detectEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a\0', 'utf16le').swap16()]), true)).toMatchObject({ name: 'UTF-16BE', duckdb: null });
    expect(detectEncoding(Buffer.from('name,city\nAnna,Berlin\n', 'utf16le'), true)).toMatchObject({ name: 'UTF-16LE', bom: false });
    const latin1 = Buffer.from('nom;ville\nCécile;Orléans\n', 'latin1');
    expect(detectEncoding(latin1, true)).toMatchObject({ name: 'ISO-8859-1', duckdb: 'latin-1', firstInvalidUtf8: { offset: 11, byte: '0xE9', line: 2 } });
    const cp1252 = Buffer.concat([Buffer.from('item;price\nbook;12 ', 'latin1'), Buffer.from([0x80]), Buffer.from('\n', 'latin1')]);
    expect(detectEncoding(cp1252, true)).toMatchObject({ name: 'windows-1252', duckdb: null });
  });

  it('decodes the head without the BOM', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]);
    expect(decodeHead(buf, detectEncoding(buf, true))).toBe('a,b\n');
  });
});
