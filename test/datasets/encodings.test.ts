import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { profileFile } from '../../src/main/core/datasets/inspect/profiler';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ds-enc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const exp01 = loadExpected(path.join(FIXTURES, '01-utf8-bom-quoted-header.expected.json'));
const text01 = fs.readFileSync(path.join(FIXTURES, exp01.file)).toString('utf8').replace(/^\ufeff/, '');

async function profileBytes(name: string, bytes: Buffer) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return profileFile(f, { tempDir: dir });
}

describe('the same table in other encodings and containers gives the same profile', () => {
  for (const [name, bytes, encoding] of [
    ['utf16le-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text01, 'utf16le')]), 'UTF-16LE'],
    ['utf16be-bom.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text01, 'utf16le').swap16()]), 'UTF-16BE'],
    ['utf16le-nobom.csv', Buffer.from(text01, 'utf16le'), 'UTF-16LE'],
    ['gzip-named-csv.csv', zlib.gzipSync(Buffer.from(text01)), 'UTF-8'],
  ] as const) {
    it(name, async () => {
      const p = await profileBytes(name, bytes);
      expect(p.encoding).toBe(encoding);
      expect(diffProfile(exp01, p)).toEqual([]);
    });
  }

  it('windows-1252 (€ is 0x80) is transcoded, not read as Latin-1', async () => {
    const p = await profileBytes('cp1252.csv', iconv.encode('item;price\nbook;12 €\npen;3 €\n', 'win1252'));
    expect(p.encoding).toBe('windows-1252');
    expect(p.columns[1]!.top5.map((t) => t[0])).toEqual(['12 €', '3 €']);
    expect(p.findings.find((f) => f.kind === 'encoding')).toMatchObject({ line: 2 });
  });

  it('zstd-compressed CSV (written by DuckDB) is read', async () => {
    const f = path.join(dir, 'zstd.csv.zst');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    await conn.run(`COPY (SELECT range AS id, range * 0.5 AS half FROM range(100)) TO '${f}' (FORMAT csv, HEADER, COMPRESSION zstd)`);
    conn.closeSync();
    inst.closeSync();
    const p = await profileFile(f, { tempDir: dir });
    expect(p.compression).toBe('zstd');
    expect(p.rows).toBe(100);
    expect(p.columns[1]).toMatchObject({ name: 'half', inferred_type: 'float', max: 49.5 });
  });

  it('a malformed JSON line is a finding, the other records are read', async () => {
    const p = await profileBytes('bad.jsonl', Buffer.from('{"a":1}\n{"a":2,\n{"a":3}\n'));
    expect(p.findings.find((f) => f.kind === 'malformed_json')).toMatchObject({ severity: 'error' });
    expect(p.columns[0]!.name).toBe('a');
  });

  it('a binary file is an unreadable finding, not a crash', async () => {
    const p = await profileBytes('noise.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expect(p.findings.length).toBeGreaterThan(0);
  });
});
