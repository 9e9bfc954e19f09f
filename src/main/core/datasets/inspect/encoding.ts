import fs from 'node:fs';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** What the bytes are, and how DuckDB should read them. */
export interface EncodingInfo {
  /** 'UTF-8', 'UTF-8 with BOM', 'UTF-16LE', 'UTF-16BE', 'ISO-8859-1', 'windows-1252', … */
  name: string;
  bom: boolean;
  /** Length of the byte-order mark in bytes (0 when none). */
  bomBytes: number;
  /** The `encoding` DuckDB's CSV reader takes; null when Lathe must transcode to UTF-8 first. */
  duckdb: 'utf-8' | 'latin-1' | null;
  /** iconv-lite name for decoding the head and for transcoding. */
  iconv: string;
  /** Where the text stops being UTF-8 (offset in the decompressed bytes, 1-based line). */
  firstInvalidUtf8?: { offset: number; byte: string; line: number };
}

/**
 * Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF),
 * or -1. A sequence cut off by the end of a truncated sample is not an error.
 */
export function firstInvalidUtf8(buf: Buffer, truncated: boolean): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) (need = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return truncated ? -1 : i;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineAt(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++;
  return line;
}

/** UTF-16 without a BOM shows as NUL bytes in every other position of ASCII-heavy text. */
function utf16WithoutBom(buf: Buffer): 'UTF-16LE' | 'UTF-16BE' | null {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenNul++;
    if (buf[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'UTF-16LE';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'UTF-16BE';
  return null;
}

/**
 * Detects the text encoding of a (decompressed) head sample: a byte-order mark first, then
 * UTF-16 by its NUL pattern, then strict UTF-8 validation; text that is not UTF-8 is
 * classified by `chardet` (Latin-1 when it cannot tell — every byte is valid Latin-1).
 * DuckDB reads UTF-8, UTF-16LE-with-BOM and Latin-1 itself; everything else (UTF-16BE,
 * windows-1252 with bytes 0x80–0x9F, other code pages) is transcoded by {@link transcodeToUtf8}.
 * @param head the first bytes; `complete` when they are the whole file.
 */
export function detectEncoding(head: Buffer, complete: boolean): EncodingInfo {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    const bad = firstInvalidUtf8(head.subarray(3), !complete);
    if (bad < 0) return { name: 'UTF-8 with BOM', bom: true, bomBytes: 3, duckdb: 'utf-8', iconv: 'utf8' };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { name: 'UTF-16LE', bom: true, bomBytes: 2, duckdb: null, iconv: 'utf16le' };
  if (head[0] === 0xfe && head[1] === 0xff) return { name: 'UTF-16BE', bom: true, bomBytes: 2, duckdb: null, iconv: 'utf16be' };
  const u16 = utf16WithoutBom(head);
  if (u16) return { name: u16, bom: false, bomBytes: 0, duckdb: null, iconv: u16 === 'UTF-16LE' ? 'utf16le' : 'utf16be' };
  const bad = firstInvalidUtf8(head, !complete);
  if (bad < 0) return { name: 'UTF-8', bom: false, bomBytes: 0, duckdb: 'utf-8', iconv: 'utf8' };
  const firstInvalid = { offset: bad, byte: `0x${head[bad]!.toString(16).toUpperCase().padStart(2, '0')}`, line: lineAt(head, bad) };
  const guess = guessSingleByte(head);
  const hasC1 = head.some((b) => b >= 0x80 && b <= 0x9f);
  if (/^(ISO-8859-1|windows-1252)$/i.test(guess) || !iconv.encodingExists(guess)) {
    // Latin-1 and windows-1252 differ only in 0x80–0x9F (C1 controls vs € ‚ ƒ „ …).
    return hasC1
      ? { name: 'windows-1252', bom: false, bomBytes: 0, duckdb: null, iconv: 'win1252', firstInvalidUtf8: firstInvalid }
      : { name: 'ISO-8859-1', bom: false, bomBytes: 0, duckdb: 'latin-1', iconv: 'latin1', firstInvalidUtf8: firstInvalid };
  }
  return { name: guess, bom: false, bomBytes: 0, duckdb: null, iconv: guess, firstInvalidUtf8: firstInvalid };
}

const LATIN = /^(ISO-8859-\d+|windows-125\d)$/i;

/**
 * chardet's best guess, except that among 8-bit Latin code pages Western European
 * (ISO-8859-1 / windows-1252, by far the most common in data files) wins unless another is
 * clearly more likely (20 points of confidence): short samples often score close.
 */
function guessSingleByte(head: Buffer): string {
  const matches = chardet.analyse(head);
  const best = matches[0];
  if (!best) return 'ISO-8859-1';
  if (LATIN.test(best.name)) {
    const western = matches.find((m) => /^(ISO-8859-1|windows-1252)$/i.test(m.name));
    if (western && western.confidence >= best.confidence - 20) return western.name;
  }
  return best.name;
}

/** The head as text (BOM removed), for dialect detection. */
export function decodeHead(head: Buffer, enc: EncodingInfo): string {
  const body = head.subarray(enc.bomBytes);
  if (enc.iconv === 'utf8') return body.toString('utf8');
  if (enc.iconv === 'latin1') return body.toString('latin1');
  return iconv.decode(body, enc.iconv);
}

/**
 * Writes a UTF-8 copy of `src` (gunzipped when `gzip`) decoded from `enc.iconv`, streaming,
 * so memory stays flat for any size. The BOM is dropped.
 * @throws Error from the file system or zlib; AbortError when `signal` aborts.
 */
export async function transcodeToUtf8(src: string, dst: string, enc: EncodingInfo, gzip: boolean, signal?: AbortSignal): Promise<void> {
  const stages: NodeJS.ReadWriteStream[] = [];
  if (gzip) stages.push(zlib.createGunzip());
  stages.push(iconv.decodeStream(enc.iconv, { stripBOM: true }));
  stages.push(iconv.encodeStream('utf8'));
  const streams: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [fs.createReadStream(src), ...stages, fs.createWriteStream(dst)];
  await pipeline(streams, { signal });
}
